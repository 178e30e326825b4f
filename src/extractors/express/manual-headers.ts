import type * as ES from 'estree';
import type { EmittedHeader, Loc, OriginEntry, OriginForm, Policy, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { FunctionNode, Node } from './ast.js';
import { isFunction, isIdent, locOf, memberName, staticKeyName, stringLiteral, unwrap, walk } from './ast.js';
import type { Outcome } from './decide.js';
import { decide, outcomeKey } from './decide.js';
import type { Evaluator, Mod, Mode } from './evaluate.js';
import type { ExecCtx, Path, Scenario } from './paths.js';
import { PathSet, runPaths } from './paths.js';
import { mountScope } from './usage.js';

/**
 * Hand-written CORS headers in Express/Node handlers: `res.setHeader`,
 * `res.header`/`res.set` (also with an object), `res.append`, `res.writeHead`
 * and `res.vary`. One policy per handler function; the handler's paths decide
 * for which Origins the Access-Control-Allow-Origin value is the request's own
 * Origin (reflection, or an allowlist when it is set only after a check
 * against written values).
 */

type HV = { k: 'origin' } | { k: 'str'; v: string } | { k: 'throws' } | { k: 'unknown'; reason: string };

interface HeaderEvent {
  name: string;
  value: HV;
  op: 'set' | 'append';
  loc: Loc;
}

interface HeaderState {
  values: HV[];
  loc: Loc;
  append: boolean;
}

const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';
const WRITERS = new Set(['setHeader', 'header', 'set', 'append', 'writeHead']);

const isCorsName = (n: string) => /^access-control-/i.test(n);
const isTracked = (n: string) => isCorsName(n) || n.toLowerCase() === 'vary';

export function manualHeaderPolicies(ev: Evaluator, mod: Mod): Policy[] {
  const owners: FunctionNode[] = [];
  walk(mod.program, (n) => {
    if (n.type !== 'CallExpression' || !writesCorsHeaderSyntactically(n, mod)) return;
    const fn = enclosingFunction(n, mod);
    if (fn && !owners.includes(fn)) owners.push(fn);
  });
  const out: Policy[] = [];
  for (const fn of owners) {
    const p = handlerPolicy(ev, mod, fn);
    if (p) out.push(p);
  }
  return out;
}

function enclosingFunction(n: Node, mod: Mod): FunctionNode | undefined {
  let cur = mod.scopes.parentOf(n);
  while (cur && !isFunction(cur)) cur = mod.scopes.parentOf(cur);
  return cur as FunctionNode | undefined;
}

function writesCorsHeaderSyntactically(call: ES.CallExpression, mod: Mod): boolean {
  if (call.callee.type !== 'MemberExpression') return false;
  const m = memberName(call.callee);
  if (!m || !WRITERS.has(m)) return false;
  const names: string[] = [];
  const first = call.arguments[0];
  if (m === 'writeHead') {
    const obj = call.arguments[call.arguments.length - 1];
    if (obj && obj !== first) names.push(...objectKeys(obj, mod));
  } else if (call.arguments.length >= 2) {
    const s = stringLiteral(first);
    if (s !== undefined) names.push(s);
  } else if (first) names.push(...objectKeys(first, mod));
  return names.some(isCorsName) && !isRequestHeaders(call.callee.object as ES.Expression, mod);
}

/**
 * `const h = new Headers(); h.set('Access-Control-Allow-Origin', '*'); fetch(url, { headers: h })`:
 * a browser-side mistake (CORS headers sent on the request), not a server answer.
 */
function isRequestHeaders(receiver: ES.Expression, mod: Mod): boolean {
  const r = unwrap(receiver);
  if (!isIdent(r)) return false;
  const b = mod.scopes.bindingOf(r);
  const init = b?.init ? unwrap(b.init) : undefined;
  if (!b || init?.type !== 'NewExpression' || !isIdent(init.callee as ES.Expression, 'Headers')) return false;
  return b.references.some((ref) => {
    let n: Node | undefined = ref;
    for (let i = 0; i < 6 && n; i++) {
      const parent: Node | undefined = mod.scopes.parentOf(n);
      if (parent?.type === 'CallExpression' && parent.callee !== n) {
        const callee = unwrap(parent.callee as ES.Expression);
        const name = isIdent(callee) ? callee.name : callee.type === 'MemberExpression' ? memberName(callee) : undefined;
        if (name === 'fetch' || name === 'Request') return true;
      }
      if (parent?.type === 'NewExpression' && isIdent(parent.callee as ES.Expression, 'Request')) return true;
      n = parent;
    }
    return false;
  });
}

function objectNode(e: ES.Node, mod: Mod): ES.ObjectExpression | undefined {
  let x = unwrap(e as ES.Expression);
  if (isIdent(x)) {
    const b = mod.scopes.bindingOf(x);
    if (b && b.kind === 'const' && b.init && !b.path) x = unwrap(b.init);
  }
  return x.type === 'ObjectExpression' ? x : undefined;
}

function objectKeys(e: ES.Node, mod: Mod): string[] {
  const o = objectNode(e, mod);
  if (!o) return [];
  const out: string[] = [];
  for (const p of o.properties) if (p.type === 'Property') {
    const k = staticKeyName(p.key, p.computed);
    if (k !== undefined) out.push(k);
  }
  return out;
}

function classify(e: ES.Expression, method: 'setHeader' | 'header', ctx: ExecCtx<HeaderEvent>): HV {
  // Node's setHeader throws on undefined; Express's res.set/header/append write String(value).
  const undef: HV = method === 'setHeader' ? { k: 'throws' } : { k: 'str', v: 'undefined' };
  const x = ctx.resolveLocal(e);
  if (x === null) return undef;
  if (ctx.isOrigin(x)) return { k: 'origin' };
  if (ctx.isUndefinedOrigin(x)) return undef;
  if (x.type === 'ConditionalExpression') return ctx.cond(x.test) ? classify(x.consequent, method, ctx) : classify(x.alternate, method, ctx);
  // `${req.headers.origin}` and String(origin): the Origin as a string (the text "undefined" when there is none).
  const inner = stringified(x, ctx.mod);
  if (inner && ctx.isOrigin(ctx.resolveLocal(inner) ?? inner)) return { k: 'origin' };
  const v = ctx.value(x);
  switch (v.t) {
    case 'str':
      return { k: 'str', v: v.v };
    case 'num':
    case 'bool':
      return { k: 'str', v: String(v.v) };
    case 'undef':
      return undef;
    case 'null':
      return method === 'setHeader' ? { k: 'throws' } : { k: 'str', v: 'null' };
    case 'array':
      if (v.items.every((i) => i.t === 'str')) return { k: 'str', v: v.items.map((i) => (i as { v: string }).v).join(', ') };
      return { k: 'unknown', reason: 'header list' };
    case 'unknown':
      return { k: 'unknown', reason: v.reason };
    default:
      return { k: 'unknown', reason: `header value ${v.t}` };
  }
}

/** The expression a template literal with no text of its own, or `String(x)`, turns into a string. */
function stringified(e: ES.Expression, mod: Mod): ES.Expression | undefined {
  if (e.type === 'TemplateLiteral' && e.expressions.length === 1 && e.quasis.every((q) => q.value.cooked === '')) return unwrap(e.expressions[0] as ES.Expression);
  const callee = e.type === 'CallExpression' ? unwrap(e.callee as ES.Expression) : undefined;
  if (e.type === 'CallExpression' && callee && isIdent(callee, 'String') && !mod.scopes.bindingOf(callee) && e.arguments.length === 1 && e.arguments[0]!.type !== 'SpreadElement') {
    return unwrap(e.arguments[0] as ES.Expression);
  }
  return undefined;
}

function writesOf(call: ES.CallExpression, ctx: ExecCtx<HeaderEvent>): HeaderEvent[] | undefined {
  if (call.callee.type !== 'MemberExpression') return undefined;
  const m = memberName(call.callee);
  const loc = locOf(call, ctx.mod.file);
  const args = call.arguments.filter((a): a is ES.Expression => a.type !== 'SpreadElement');
  if (m === 'vary' && args.length === 1) {
    const v = classify(args[0]!, 'header', ctx);
    return [{ name: 'vary', value: v, op: 'append', loc }];
  }
  if (!m || !WRITERS.has(m)) return undefined;
  const fromObject = (obj: ES.Expression, method: 'setHeader' | 'header'): HeaderEvent[] | undefined => {
    const o = objectNode(obj, ctx.mod);
    if (!o) return undefined;
    const out: HeaderEvent[] = [];
    for (const p of o.properties) {
      if (p.type !== 'Property') continue;
      const k = staticKeyName(p.key, p.computed);
      if (k === undefined || !isTracked(k)) continue;
      out.push({ name: k.toLowerCase(), value: classify(p.value as ES.Expression, method, ctx), op: 'set', loc });
    }
    return out;
  };
  if (m === 'writeHead') {
    const last = args[args.length - 1];
    return last && args.length >= 2 ? fromObject(last, 'setHeader') : [];
  }
  if (args.length >= 2) {
    const name = ctx.value(args[0]!);
    if (name.t !== 'str' || !isTracked(name.v)) return [];
    const method = m === 'setHeader' ? 'setHeader' : 'header';
    return [{ name: name.v.toLowerCase(), value: classify(args[1]!, method, ctx), op: m === 'append' ? 'append' : 'set', loc }];
  }
  if (args.length === 1 && (m === 'set' || m === 'header')) return fromObject(args[0]!, 'header');
  return undefined;
}

/** What the path leaves in the response; undefined when it throws first. */
function finalState(p: Path<HeaderEvent>): Map<string, HeaderState> | undefined {
  const st = new Map<string, HeaderState>();
  for (const e of p.events) {
    if (e.value.k === 'throws') return undefined;
    const prev = st.get(e.name);
    if (e.op === 'append' && prev) st.set(e.name, { values: [...prev.values, e.value], loc: prev.loc, append: true });
    else st.set(e.name, { values: [e.value], loc: e.loc, append: e.op === 'append' });
  }
  return st;
}

function acaoOutcome(p: Path<HeaderEvent>): Outcome {
  if (p.unknown) return { k: 'unknown', reason: p.unknown };
  const st = finalState(p);
  if (!st) return { k: 'unknown', reason: 'setHeader throws on an undefined value' };
  const h = st.get(ACAO);
  if (!h) return { k: 'reject' };
  if (h.values.length !== 1) return { k: 'unknown', reason: 'several Access-Control-Allow-Origin values' };
  const v = h.values[0]!;
  if (v.k === 'origin') return { k: 'accept', loc: h.loc };
  if (v.k === 'str') return { k: 'fixed', value: v.v, loc: h.loc };
  return { k: 'unknown', reason: v.k === 'unknown' ? v.reason : 'throws' };
}

interface OriginsResult {
  origins: Val<OriginEntry[]>;
  form: OriginForm;
  /** Per scenario: is ACAO sent (undefined when not decided). */
  sent?: (s: Scenario) => boolean | undefined;
}

function handlerPolicy(ev: Evaluator, mod: Mod, fn: FunctionNode): Policy | undefined {
  const run = (mode: Mode) =>
    runPaths<HeaderEvent>(
      ev,
      mod,
      fn,
      {
        onCall(call, ctx) {
          const w = writesOf(call, ctx);
          if (!w) return false;
          for (const e of w) ctx.emit(e);
          return true;
        },
      },
      mode,
    );
  const paths = run('normal');
  if (!paths) return undefined;
  const all = paths.flatMap((p) => p.events);
  const first = all.find((e) => e.name === ACAO) ?? all.find((e) => isCorsName(e.name));
  if (!first) return undefined;
  const loc = first.loc;
  const set = new PathSet(paths);
  const res = originsOf(set, loc, 'normal', () => {
    const again = run('unset');
    return again ? new PathSet(again) : undefined;
  });

  const headers = emittedHeaders(set, res.sent);
  const acao = all.find((e) => e.name === ACAO);
  if (acao) {
    const fixed = res.origins.known && res.form === 'single' && res.origins.value.length === 1 ? res.origins.value[0] : undefined;
    const value: Val<string> = fixed?.kind === 'exact' ? known(fixed.origin, acao.loc) : fixed?.kind === 'any' ? known('*', acao.loc) : unknown('the request Origin', acao.loc);
    headers.unshift({ name: ACAO, value, loc: acao.loc });
  }
  const acac = headers.find((h) => h.name === ACAC);
  const credentials: Val<boolean> = !acac
    ? known(false, loc, true)
    : acac.value.known
      ? known(acac.value.value.trim() === 'true', acac.loc)
      : unknown(acac.value.reason, acac.loc);
  const listHeader = (name: string): Val<string[]> => {
    const h = headers.find((x) => x.name === name);
    if (!h) return known<string[]>([], loc, true);
    if (!h.value.known) return unknown(h.value.reason, h.loc);
    return known(
      h.value.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      h.loc,
    );
  };
  const maxAgeH = headers.find((x) => x.name === 'access-control-max-age');
  const maxAge: Val<number | null> = !maxAgeH
    ? known<number | null>(null, loc, true)
    : maxAgeH.value.known && Number.isFinite(Number(maxAgeH.value.value))
      ? known<number | null>(Number(maxAgeH.value.value), maxAgeH.loc)
      : unknown('Access-Control-Max-Age', maxAgeH.loc);

  return {
    framework: 'manual-headers',
    layer: 'app',
    scope: mountScope(fn, mod, ev),
    loc,
    origins: res.origins,
    originForm: res.form,
    credentials,
    methods: listHeader('access-control-allow-methods'),
    allowHeaders: listHeader('access-control-allow-headers'),
    exposeHeaders: listHeader('access-control-expose-headers'),
    maxAge,
    headers,
    unknownOptions: [],
  };
}

function originsOf(set: PathSet<HeaderEvent>, loc: Loc, mode: Mode, rerunUnset: () => PathSet<HeaderEvent> | undefined): OriginsResult {
  const d = decide(set, acaoOutcome);
  const sentIn = (s: Scenario): boolean | undefined => {
    const os = set.pathsFor(s).map(acaoOutcome);
    const keys = new Set(os.map(outcomeKey));
    if (keys.size !== 1) return undefined;
    const o = os[0]!;
    return o.k === 'accept' || o.k === 'fixed' ? true : o.k === 'reject' ? false : undefined;
  };
  if (d.k === 'same') {
    const o = d.outcome;
    switch (o.k) {
      case 'accept':
        return { origins: known([{ kind: 'reflect', loc: o.loc }], o.loc), form: 'list', sent: sentIn };
      case 'reject':
        return { origins: known<OriginEntry[]>([], loc), form: 'list', sent: sentIn };
      case 'fixed':
        return {
          origins: known([o.value === '*' ? { kind: 'any', loc: o.loc } : { kind: 'exact', origin: o.value, loc: o.loc }], o.loc),
          form: 'single',
          sent: sentIn,
        };
      default:
        return { origins: known([{ kind: 'predicate', description: o.k === 'unknown' ? o.reason : 'header value', loc }], loc), form: 'list' };
    }
  }
  if (d.k === 'allowlist') return { origins: known(d.entries, loc), form: 'list', sent: sentIn };
  if (d.vars.length && mode === 'normal') {
    const unsetSet = rerunUnset();
    const fb = unsetSet ? originsOf(unsetSet, loc, 'unset', () => undefined) : undefined;
    if (fb?.origins.known && !fb.origins.value.some((e) => e.kind === 'predicate')) {
      return { origins: unknown(`origin check depends on ${d.vars.join(', ')}`, loc, fb.origins.value, d.vars.join('/')), form: fb.form };
    }
  }
  return { origins: known([{ kind: 'predicate', description: d.description, loc }], loc), form: 'list' };
}

/** Every tracked header other than ACAO, with when it is written. */
function emittedHeaders(set: PathSet<HeaderEvent>, sent: OriginsResult['sent']): EmittedHeader[] {
  const names: string[] = [];
  for (const p of set.paths) for (const e of p.events) if (e.name !== ACAO && !names.includes(e.name)) names.push(e.name);
  const scenarios = set.scenarios();
  const out: EmittedHeader[] = [];
  if (!scenarios) {
    // Too many tests to tell when each header is written.
    for (const name of names) {
      const loc = set.paths.flatMap((p) => p.events).find((e) => e.name === name)!.loc;
      out.push({ name, value: unknown('written under too many conditions to follow', loc), loc });
    }
    return out;
  }
  for (const name of names) {
    const rows: { s: Scenario; present: boolean; value?: string; loc?: Loc; append?: boolean }[] = [];
    let bad: string | undefined;
    let anyLoc: Loc | undefined;
    for (const s of scenarios) {
      const states = set.pathsFor(s).map((p) => (p.unknown ? undefined : finalState(p)?.get(name)));
      const keyed = states.map((h) => (h ? JSON.stringify(h.values) : 'absent'));
      const h = states.find(Boolean);
      anyLoc ??= h?.loc;
      if (new Set(keyed).size !== 1) {
        bad = 'set on some paths only';
        continue;
      }
      if (!h) {
        rows.push({ s, present: false });
        continue;
      }
      if (!h.values.every((v) => v.k === 'str')) {
        bad = h.values.find((v) => v.k === 'unknown')?.k === 'unknown' ? (h.values.find((v) => v.k === 'unknown') as { reason: string }).reason : 'a value read from the request';
        rows.push({ s, present: true, loc: h.loc });
        continue;
      }
      rows.push({ s, present: true, value: h.values.map((v) => (v as { v: string }).v).join(', '), loc: h.loc, append: h.append });
    }
    const present = rows.filter((r) => r.present);
    if (!present.length && !bad) continue;
    const loc = present[0]?.loc ?? anyLoc!;
    const values = new Set(present.map((r) => r.value));
    const header: EmittedHeader = { name, value: unknown(bad ?? 'set conditionally', loc), loc };
    if (!bad && values.size === 1 && present[0]!.value !== undefined) {
      const value = present[0]!.value;
      const isPre = (r: (typeof rows)[number]) => r.s.method === 'OPTIONS';
      const isSent = (r: (typeof rows)[number]) => (sent ? sent(r.s) : undefined);
      const fits = (pred: (r: (typeof rows)[number]) => boolean | undefined) => rows.every((r) => pred(r) === r.present);
      // The simplest condition that says exactly when the header is written.
      const conditions: [(r: (typeof rows)[number]) => boolean | undefined, Partial<EmittedHeader>][] = [
        [() => true, {}],
        [isSent, { onlyIfOriginAllowed: true }],
      ];
      if (set.methods.includes('OPTIONS')) {
        const and = (a: boolean | undefined, b: boolean) => (a === undefined ? undefined : a && b);
        conditions.push(
          [isPre, { onlyOnPreflight: true }],
          [(r) => !isPre(r), { notOnPreflight: true }],
          [(r) => and(isSent(r), isPre(r)), { onlyIfOriginAllowed: true, onlyOnPreflight: true }],
          [(r) => and(isSent(r), !isPre(r)), { onlyIfOriginAllowed: true, notOnPreflight: true }],
        );
      }
      const hit = conditions.find(([pred]) => fits(pred));
      const ok = !!hit;
      if (hit) Object.assign(header, hit[1]);
      if (ok) header.value = known(value, loc);
      if (present[0]!.append) header.append = true;
    }
    out.push(header);
  }
  return out;
}
