import type * as ES from 'estree';
import type { Loc, Policy } from '../../model/index.js';
import { known } from '../../model/index.js';
import { isIdent, locOf, memberName, unwrap, walk } from './ast.js';
import type { OriginReading } from '../js-middleware/options.js';
import { defaultOptions, optionsPolicy, originFromAV, unknownOptions } from './cors-options.js';
import type { Outcome } from './decide.js';
import { decide } from './decide.js';
import type { AV, Evaluator, Mod, Mode } from './evaluate.js';
import { lookupKey, truthy } from './evaluate.js';
import type { ExecCtx, Hooks } from './paths.js';
import type { Binding } from './scope.js';
import { PathSet, runPaths } from './paths.js';
import { mountScope } from './usage.js';
import type { OptionsPolicy } from '../js-middleware/parts.js';
import { chosenByVariable, policyOfParts } from '../js-middleware/parts.js';
import { answerOfValue, originOfDecision, predicateOrigin } from '../js-middleware/origin-function.js';

type Func = Extract<AV, { t: 'func' }>;

/** Every `cors(...)` call of the module, as a policy. */
export function corsPolicies(ev: Evaluator, mod: Mod): Policy[] {
  const out: Policy[] = [];
  walk(mod.program, (n) => {
    if (n.type === 'CallExpression' && isCorsCallee(n.callee, mod, ev)) out.push(policyForCall(ev, mod, n));
  });
  return out;
}

function isCorsCallee(callee: ES.Expression | ES.Super, mod: Mod, ev: Evaluator): boolean {
  if (callee.type === 'Super') return false;
  const c = unwrap(callee);
  // Only shapes that can name the package: a local name, `x.default`, `require('cors')`.
  const plausible =
    c.type === 'Identifier' ||
    (c.type === 'MemberExpression' && memberName(c) === 'default') ||
    (c.type === 'CallExpression' && isIdent(unwrap(c.callee as ES.Expression), 'require'));
  if (!plausible) return false;
  if (c.type === 'Identifier') {
    // Most calls in a big file go to functions and parameters: no need to evaluate those.
    const b = mod.scopes.bindingOf(c);
    if (!b || b.kind === 'function' || b.kind === 'param' || b.kind === 'class' || b.kind === 'catch') return false;
  }
  const v = ev.eval(c, mod, 'normal');
  return v.t === 'pkg' && v.name === 'cors';
}

function policyForCall(ev: Evaluator, mod: Mod, call: ES.CallExpression): Policy {
  const loc = locOf(call, mod.file);
  return policyOfParts('express', mountScope(call, mod, ev), loc, optionsOfArgument(ev, mod, call.arguments[0], loc));
}

/**
 * What `cors(arg)` is configured with: the defaults for no argument (or a
 * primitive, which cors merges over its defaults as nothing), an options
 * object, an options delegate, or unknown values with the written fallback.
 * `loc` is where the defaults are reported (the call).
 */
export function optionsOfArgument(ev: Evaluator, mod: Mod, arg: ES.CallExpression['arguments'][number] | undefined, loc: Loc): OptionsPolicy {
  const analyze = (f: Func, mode: Mode) => analyzeOriginFunction(ev, f, mode);
  if (!arg) return defaultOptions(loc);
  if (arg.type === 'SpreadElement') return unknownOptions('spread arguments', locOf(arg, mod.file));
  const av = ev.eval(arg, mod, 'normal');
  return optionsOfValue(ev, av, () => ev.eval(arg, mod, 'unset'), loc, locOf(arg, mod.file), analyze);
}

/** `optionsOfArgument` for an already evaluated value; `unset` evaluates it with every environment variable unset. */
export function optionsOfValue(ev: Evaluator, av: AV, unset: () => AV, loc: Loc, argLoc: Loc, analyze: (f: Func, mode: Mode) => OriginReading = (f, mode) => analyzeOriginFunction(ev, f, mode)): OptionsPolicy {
  if (av.t === 'func') return delegatePolicy(ev, av, loc);
  if (av.t === 'object') return optionsPolicy(av, unset(), loc, analyze);
  if (av.t === 'undef' || av.t === 'null' || av.t === 'bool' || av.t === 'num' || av.t === 'str') return defaultOptions(loc);
  const reason = av.t === 'unknown' ? av.reason : `options ${av.t}`;
  const u = av.t === 'unknown' && av.vars.length ? unset() : undefined;
  if (av.t === 'unknown' && av.vars.length && u?.t === 'object') return chosenByVariable(optionsPolicy(u, u, loc, analyze), reason, av.vars.join('/'), argLoc, { extra: 'keep' });
  return unknownOptions(reason, argLoc);
}

function callbackBinding(fn: Func['fn'], mod: Mod, index: number) {
  const p = fn.params[index];
  return p?.type === 'Identifier' ? mod.scopes.bindingOf(p) : undefined;
}

function isCallTo(call: ES.CallExpression, mod: Mod, b: ReturnType<typeof callbackBinding>): boolean {
  const c = call.callee.type === 'Super' ? undefined : unwrap(call.callee);
  return !!b && !!c && isIdent(c) && mod.scopes.bindingOf(c) === b;
}

/**
 * Reading cors's callback `cb(err, value)`: an error (or what may be one)
 * answers first; otherwise `answer` reads `value` (undefined: none passed).
 */
function callbackHooks(f: Func, cbB: Binding, answer: (value: ES.Expression | undefined, ctx: ExecCtx<Outcome>, call: ES.CallExpression) => Outcome): Hooks<Outcome> {
  return {
    onCall(call, ctx) {
      if (!isCallTo(call, f.mod, cbB)) return false;
      const err = isError(call.arguments[0], ctx);
      if (err === undefined) ctx.emit({ k: 'unknown', reason: 'error argument' });
      else if (err) ctx.emit({ k: 'reject' });
      else {
        const a = call.arguments[1];
        ctx.emit(a?.type === 'SpreadElement' ? { k: 'unknown', reason: 'spread' } : answer(a, ctx, call));
      }
      return true;
    },
    escapes: (b) => b === cbB,
  };
}

/** `cb(err)` or `cb(new Error(...))`: the middleware calls next(err), no CORS headers. */
function isError(arg: ES.CallExpression['arguments'][number] | undefined, ctx: ExecCtx<Outcome>): boolean | undefined {
  if (!arg || arg.type === 'SpreadElement') return false;
  const x = unwrap(arg);
  if (x.type === 'NewExpression') return true;
  const v = ctx.value(x);
  const t = truthy(v);
  return t;
}

/**
 * cors's `origin` callback `(origin, cb)`: whatever it calls back replaces
 * the option for this request. `true` or the origin itself → echoed; a falsy
 * value or an error → no CORS headers; a list → matched as a list.
 */
export function analyzeOriginFunction(ev: Evaluator, f: Func, mode: Mode): OriginReading {
  const fnLoc = locOf(f.fn, f.mod.file);
  const originB = callbackBinding(f.fn, f.mod, 0);
  const cbB = callbackBinding(f.fn, f.mod, 1);
  const predicate = (description: string) => predicateOrigin(description, fnLoc);
  if (!cbB) return predicate('an origin function that never calls back');

  const classify = (e: ES.Expression, ctx: ExecCtx<Outcome>, at: Loc): Outcome => {
    const x = ctx.resolveLocal(e);
    if (x === null) return { k: 'reject' };
    if (ctx.isOrigin(x)) return { k: 'accept', loc: at };
    if (ctx.isUndefinedOrigin(x)) return { k: 'reject' };
    if (x.type === 'ConditionalExpression') return ctx.cond(x.test) ? classify(x.consequent, ctx, at) : classify(x.alternate, ctx, at);
    return answerOfValue(x, ctx, at);
  };

  const paths = runPaths<Outcome>(
    ev,
    f.mod,
    f.fn,
    callbackHooks(f, cbB, (a, ctx, call) => (a ? classify(a, ctx, locOf(call, f.mod.file)) : { k: 'reject' })),
    mode,
    originB,
  );
  if (!paths) return predicate('an origin function with too many branches');
  const set = new PathSet(paths);
  const d = decide(set, (p) => (p.unknown ? { k: 'unknown', reason: p.unknown } : (p.events[0] ?? { k: 'unknown', reason: 'never calls back' })));
  return originOfDecision(d, fnLoc, mode, (o) => callbackAnswer(o, fnLoc));
}

/** What an origin function that answers `o` for every request means: what it calls back replaces the `origin` option. */
export function callbackAnswer(o: Outcome, fnLoc: Loc): OriginReading {
  const predicate = (description: string) => predicateOrigin(description, fnLoc);
  switch (o.k) {
    case 'accept':
      return { entries: [{ kind: 'reflect', loc: fnLoc }], form: 'list', fromFunction: fnLoc };
    case 'reject':
      return { entries: [{ kind: 'none', loc: fnLoc }], form: 'single' };
    case 'fixed':
      return originFromAV({ t: 'str', v: o.value, loc: o.loc }, o.loc, () => predicate('nested function'));
    case 'value':
      return originFromAV(o.av, o.loc, () => predicate('nested function'));
    case 'unknown':
      return predicate(`an origin function (${o.reason})`);
  }
}

/**
 * An options delegate `cors((req, cb) => cb(null, opts))`: the options it
 * calls back are the policy. When it picks `{origin: true}` or
 * `{origin: false}` by checking the request Origin (the README pattern),
 * the check is the allowlist.
 */
function delegatePolicy(ev: Evaluator, f: Func, callLoc: Loc): OptionsPolicy {
  const fnLoc = locOf(f.fn, f.mod.file);
  const cbB = callbackBinding(f.fn, f.mod, 1);
  if (!cbB) return unknownOptions('an options delegate that never calls back', fnLoc);
  const analyze = (g: Func, mode: Mode) => analyzeOriginFunction(ev, g, mode);
  const nodes = new Map<string, ES.Expression>();
  const defaults = (): Outcome => ({ k: 'value', key: 'defaults', av: { t: 'undef', loc: fnLoc }, loc: fnLoc });

  const classify = (e: ES.Expression, ctx: ExecCtx<Outcome>): Outcome => {
    const x = ctx.resolveLocal(e);
    if (x === null) return defaults();
    if (x.type === 'ConditionalExpression') return ctx.cond(x.test) ? classify(x.consequent, ctx) : classify(x.alternate, ctx);
    const v = ctx.value(x);
    if (v.t === 'object') {
      const key = `${v.loc.file}:${v.loc.line}:${v.loc.column}`;
      nodes.set(key, x);
      return { k: 'value', key, av: v, loc: v.loc };
    }
    // cors merges the options over its defaults; a primitive adds nothing.
    if (v.t === 'undef' || v.t === 'null' || v.t === 'bool' || v.t === 'num' || v.t === 'str') return defaults();
    return { k: 'unknown', reason: v.t === 'unknown' ? v.reason : `options ${v.t}` };
  };

  const paths = runPaths<Outcome>(
    ev,
    f.mod,
    f.fn,
    callbackHooks(f, cbB, (a, ctx) => (a ? classify(a, ctx) : defaults())),
    'normal',
  );
  if (!paths) return unknownOptions('an options delegate with too many branches', fnLoc);
  const set = new PathSet(paths);
  const outcomeOf = (p: (typeof paths)[number]): Outcome => (p.unknown ? { k: 'unknown', reason: p.unknown } : (p.events[0] ?? { k: 'unknown', reason: 'never calls back' }));
  const optionsFor = (o: Extract<Outcome, { k: 'value' }>): OptionsPolicy => {
    if (o.key === 'defaults') return defaultOptions(callLoc);
    const node = nodes.get(o.key);
    return optionsPolicy(o.av, node ? ev.eval(node, f.mod, 'unset') : undefined, callLoc, analyze);
  };

  const d = decide(set, outcomeOf);
  if (d.k === 'same') {
    const o = d.outcome;
    if (o.k === 'value') return optionsFor(o);
    if (o.k === 'reject') {
      const p = defaultOptions(callLoc);
      p.origins = known([{ kind: 'none', loc: fnLoc }], fnLoc);
      return p;
    }
    return unknownOptions(o.k === 'unknown' ? `options delegate (${o.reason})` : 'options delegate', fnLoc);
  }

  // Per-request options: `{origin: true}` for some origins, CORS off for the rest.
  const accepting = new Map<string, Extract<Outcome, { k: 'value' }>>();
  const mapped = (p: (typeof paths)[number]): Outcome => {
    const o = outcomeOf(p);
    if (o.k !== 'value') return o;
    const origin = o.av.t === 'object' ? lookupKey(o.av, 'origin') : undefined;
    if (o.key !== 'defaults' && origin && !('unknownSpread' in origin)) {
      const t = origin.value.t === 'bool' ? origin.value.v : truthy(origin.value) === false ? false : undefined;
      if (t === false) return { k: 'reject' };
      if (t === true) {
        accepting.set(o.key, o);
        return { k: 'accept', loc: origin.valueLoc };
      }
    }
    return { k: 'unknown', reason: 'options chosen per request' };
  };
  const d2 = decide(set, mapped);
  const only = accepting.size === 1 ? [...accepting.values()][0] : undefined;
  if (!only) return unknownOptions('options chosen per request', fnLoc);
  const p = optionsFor(only);
  if (d2.k === 'allowlist') {
    p.origins = known(d2.entries, fnLoc);
    p.originForm = 'list';
    p.extra.originFunction = known(true, fnLoc);
  } else if (d2.k === 'predicate') {
    p.origins = known([{ kind: 'predicate', description: d2.description, loc: fnLoc }], fnLoc);
    p.originForm = 'list';
    p.extra.originFunction = known(true, fnLoc);
  }
  return p;
}
