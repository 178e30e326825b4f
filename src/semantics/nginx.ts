import type { AddHeader, ComplexValue, Condition, HeaderConf, MapDef, NginxProgram, PassKind, Step, Upstream } from '../extractors/nginx/program.js';
import { SAFE_STATUSES, isCorsHeader } from '../extractors/nginx/program.js';
import type { CorsRequest, CorsResponse, Loc, Policy, ResponseHeader } from '../model/index.js';
import { unknown } from '../model/index.js';
import { execRegex } from '../probes/match.js';
import type { Resolver } from './resolve.js';
import { UnknownValueError } from './resolve.js';

/**
 * nginx, SEMANTICS.md §7: runs the rewrite-phase directives of the unit
 * (server `set`/`if`/`return`, then the location's) for the request, picks
 * the header configuration nginx ends up with (the last matching `if` wins),
 * and sends its add_header list: every entry is another header (duplicates
 * twice), empty values are skipped, entries without `always` only go with
 * 200, 201, 204, 206, 301–304, 307, 308. Upstream headers (`request.upstream`)
 * pass through unless hidden (`proxy_hide_header` for proxy_pass,
 * `fastcgi_hide_header` for fastcgi_pass, ...) or replaced by more_set_headers.
 */
export function answerNginx(policy: Policy, req: CorsRequest, r: Resolver): CorsResponse {
  const program = programOf(policy);
  if (!program) return { known: false, reason: 'nginx policy without its configuration', loc: policy.loc };
  return runNginx(program, req, r);
}

export function programOf(policy: Policy): NginxProgram | undefined {
  const v = policy.extra?.nginx;
  return v?.known ? (v.value as NginxProgram) : undefined;
}

export interface NginxRun {
  conf: HeaderConf;
  status: number;
  returned: boolean;
  env: Env;
  /** The Origin guard (`if` condition, map entry) that let the request into `conf`, when one did. */
  guard?: Loc;
}

export function runNginx(program: NginxProgram, req: CorsRequest, r?: Resolver, concrete?: ConcreteRequest): CorsResponse {
  const run = execute(program, req, r, concrete);
  const { conf, status, env } = run;
  const headers: ResponseHeader[] = [];
  if (conf.handler.kind === 'pass' && !run.returned && req.upstream) {
    const hidden = new Set((conf.hidden[conf.handler.upstream.kind] ?? []).map((h) => h.lname));
    for (const h of req.upstream) if (!hidden.has(h.name)) headers.push(h);
  }
  const safe = SAFE_STATUSES.has(status);
  // RULES.md decision 2: a value carrying the request Origin is reported where it was let in.
  const originSite = (v: Value) => (v.originLoc ? (run.guard ?? env.flowGuard() ?? v.originLoc) : undefined);
  for (const h of conf.headers) {
    if (!safe && !h.always) continue;
    const v = env.value(h.value, h.loc);
    if (v.text === '') continue;
    const site = originSite(v);
    const out: ResponseHeader = { name: h.lname, value: v.text, loc: site ?? h.loc };
    if (site) out.emittedBy = h.loc;
    headers.push(out);
  }
  for (const m of conf.more) {
    if (m.statuses && !m.statuses.includes(status)) continue;
    const matches = (n: string) => (m.lname.endsWith('*') ? n.startsWith(m.lname.slice(0, -1)) : n === m.lname);
    if (m.op === 'clear' || !m.append) {
      for (let i = headers.length - 1; i >= 0; i--) if (matches(headers[i]!.name)) headers.splice(i, 1);
    }
    if (m.op === 'set' && m.value) {
      const v = env.value(m.value, m.loc);
      if (v.text === '') continue;
      const site = originSite(v);
      const out: ResponseHeader = { name: m.lname, value: v.text, loc: site ?? m.loc };
      if (site) out.emittedBy = m.loc;
      headers.push(out);
    }
  }
  return { known: true, status, headers };
}

/**
 * A request with every header known (the oracle sends exactly these): other
 * `$http_*` variables are empty instead of undecided.
 */
export interface ConcreteRequest {
  /** Lower-case names. */
  headers: Record<string, string>;
}

/** The rewrite phase: which configuration answers, with which status. */
export function execute(program: NginxProgram, req: CorsRequest, r?: Resolver, concrete?: ConcreteRequest): NginxRun {
  const env = new Env(program, req, r, concrete);
  const state: RunState = { conf: program.baseConf, status: undefined };
  const done = (conf: HeaderConf, status: number, returned: boolean): NginxRun => {
    const run: NginxRun = { conf, status, returned, env };
    if (state.guard) run.guard = state.guard;
    return run;
  };
  const serverOutcome = runSteps(program.serverSteps, env, program, state);
  if (serverOutcome === 'return') return done(program.confs[program.serverConf]!, state.status!, true);
  state.conf = program.baseConf;
  delete state.guard;
  const outcome = runSteps(program.locationSteps, env, program, state);
  const conf = program.confs[state.conf]!;
  if (outcome === 'return') return done(conf, state.status!, true);
  return done(conf, handlerStatus(conf, req), false);
}

interface RunState {
  conf: number;
  status: number | undefined;
  guard?: Loc;
}

function handlerStatus(conf: HeaderConf, req: CorsRequest): number {
  if (conf.handler.kind !== 'static') return req.status ?? 200;
  // The static and index modules answer only GET, HEAD (and POST on a missing file): a preflight gets 405.
  return requestMethod(req) === 'GET' || requestMethod(req) === 'HEAD' ? (req.status ?? 200) : 405;
}

function runSteps(steps: Step[], env: Env, program: NginxProgram, state: RunState): 'return' | 'break' | undefined {
  for (const s of steps) {
    switch (s.kind) {
      case 'set': {
        const v = env.value(s.value, s.loc);
        const g = env.currentGuard();
        if (g) {
          if (v.originLoc) v.originLoc = g;
          // A flag set under an Origin guard (`set $cors true;`): a later `if ($cors)` is that guard.
          v.via = g;
        }
        env.vars.set(s.var, v);
        break;
      }
      case 'return':
        state.status = s.status;
        return 'return';
      case 'break':
        return 'break';
      case 'if': {
        const forced = program.forks[s.id];
        let taken: boolean;
        let guard: Loc | undefined;
        if (forced !== undefined) taken = forced;
        else {
          const t = env.guardTest(s.cond, s.loc);
          taken = t.taken;
          guard = t.guard;
        }
        if (!taken) {
          // `if ($http_origin !~ ...) { return 403; }` not taken: what follows is guarded by it.
          if (guard && s.body.some((b) => b.kind === 'return')) env.flowGuards.push(guard);
          break;
        }
        if (s.conf !== undefined) {
          state.conf = s.conf;
          if (guard) state.guard = guard;
          else delete state.guard;
        }
        if (guard) env.guards.push(guard);
        const inner = runSteps(s.body, env, program, state);
        if (guard) env.guards.pop();
        if (inner) return inner;
        break;
      }
    }
  }
  return undefined;
}

export function requestMethod(req: CorsRequest): string {
  if (req.preflight) return 'OPTIONS';
  return (req.method ?? 'GET').toUpperCase();
}

/** A computed value: its text and, when it carries the request Origin, the directive that copied it in. */
export interface Value {
  text: string;
  originLoc?: Loc;
  /** The map entry (or default) that produced it, or the Origin guard it was set under. */
  via?: Loc;
  /** Holds a variable this model does not compute ($host, $uri ...): fine to send, not to compare. */
  opaque?: boolean;
}

/** Variables whose value the request decides. */
export function requestVariable(name: string, req: CorsRequest): string | undefined {
  switch (name) {
    case 'http_origin':
      return req.origin;
    case 'request_method':
      return requestMethod(req);
    case 'http_access_control_request_method':
      return req.preflight ? (req.method && req.method.toUpperCase() !== 'OPTIONS' ? req.method.toUpperCase() : 'GET') : '';
    case 'http_access_control_request_headers':
      return req.preflight ? (req.requestHeaders ?? '') : '';
    case 'uri':
    case 'document_uri':
      return req.path;
    case 'request_uri':
      return req.path;
    default:
      return undefined;
  }
}

export class Env {
  readonly vars = new Map<string, Value>();
  /** Origin guards around the directives being run (taken `if`s decided by the Origin). */
  readonly guards: Loc[] = [];
  /** Origin guards passed earlier (`if ($http_origin !~ ...) { return 403; }` not taken). */
  readonly flowGuards: Loc[] = [];
  private captures: Value[] = [];
  private maps = new Map<string, Value>();
  private mapping = new Set<string>();

  constructor(
    readonly program: NginxProgram,
    readonly req: CorsRequest,
    readonly r?: Resolver,
    readonly concrete?: ConcreteRequest,
  ) {}

  /** ngx_http_complex_value: literal text with variables substituted. `site` is the directive evaluating it. */
  value(cv: ComplexValue, site: Loc): Value {
    let text = '';
    let originLoc: Loc | undefined;
    let via: Loc | undefined;
    let opaque = false;
    for (const p of cv.parts) {
      if ('lit' in p) {
        text += p.lit;
        continue;
      }
      const v = this.variable(p.var, p.name, site, p.loc);
      text += v.text;
      originLoc ??= v.originLoc;
      if (cv.parts.length === 1) via = v.via;
      if (v.opaque) opaque = true;
    }
    const out: Value = { text };
    if (originLoc) out.originLoc = originLoc;
    if (via) out.via = via;
    if (opaque) out.opaque = true;
    return out;
  }

  private variable(name: string, written: string, site: Loc, at: Loc): Value {
    if (/^[1-9]$/.test(name)) {
      const c = this.captures[Number(name)];
      if (!c) return { text: '' };
      return c.originLoc ? { text: c.text, originLoc: site } : c;
    }
    if (name === 'http_origin') return { text: this.req.origin, originLoc: site };
    const set = this.vars.get(name);
    if (set) return set;
    const map = this.program.maps[name];
    if (map) return this.map(map);
    if (this.isSetVariable(name)) return { text: '' };
    const fromRequest = requestVariable(name, this.req);
    if (fromRequest !== undefined) return { text: fromRequest };
    if (this.concrete && name.startsWith('http_')) return { text: this.concrete.headers[name.slice(5).replace(/_/g, '-')] ?? '' };
    if (this.concrete && (name.startsWith('arg_') || name.startsWith('cookie_'))) return { text: '' };
    // nginx's own variables are lower-case; `${UPPER}` is an envsubst placeholder of a template.
    if (/[A-Z]/.test(written)) {
      throw new UnknownValueError(unknown(`template variable \${${written}}`, at, undefined, written));
    }
    return { text: `$${name}`, opaque: true };
  }

  private isSetVariable(name: string): boolean {
    const has = (steps: Step[]): boolean => steps.some((s) => (s.kind === 'set' && s.var === name) || (s.kind === 'if' && has(s.body)));
    return has(this.program.serverSteps) || has(this.program.locationSteps);
  }

  /** ngx_http_map_find: exact keys (lower-cased), then wildcard hostnames, then regexes in order, then default. */
  private map(def: MapDef): Value {
    const cached = this.maps.get(def.name);
    if (cached) return cached;
    if (this.mapping.has(def.name)) return { text: '' };
    this.mapping.add(def.name);
    try {
      const { value, via } = this.mapLookup(def);
      const v: Value = { ...value, via };
      this.maps.set(def.name, v);
      return v;
    } finally {
      this.mapping.delete(def.name);
    }
  }

  private mapLookup(def: MapDef): { value: Value; via: Loc } {
    const src = this.value(def.source, def.loc);
    let text = src.text;
    if (def.hostnames && text.endsWith('.')) text = text.slice(0, -1);
    const fallback = () => (def.default ? { value: this.value(def.default.value, def.default.loc), via: def.default.loc } : { value: { text: '' }, via: def.loc });
    if (text === '') return fallback();
    if (src.opaque) throw new UnknownValueError(unknown(`map ${def.source.raw} → $${def.name}`, def.loc));
    const low = text.toLowerCase();
    const exact = def.entries.find((e) => e.kind === 'exact' && e.key === low);
    if (exact) return { value: this.value(exact.value, exact.loc), via: exact.loc };
    let best: { len: number; e: (typeof def.entries)[number] } | undefined;
    for (const e of def.entries) {
      if (e.kind !== 'head') continue;
      const suffix = e.key.startsWith('*.') ? e.key.slice(1) : e.key;
      const ok = e.key.startsWith('*.') ? low.endsWith(suffix) && low.length > suffix.length : low === suffix.slice(1) || low.endsWith(suffix);
      if (ok && (!best || suffix.length > best.len)) best = { len: suffix.length, e };
    }
    if (!best) {
      for (const e of def.entries) {
        if (e.kind !== 'tail') continue;
        const prefix = e.key.slice(0, -1);
        if (low.startsWith(prefix) && (!best || prefix.length > best.len)) best = { len: prefix.length, e };
      }
    }
    if (best) return { value: this.value(best.e.value, best.e.loc), via: best.e.loc };
    for (const e of def.entries) {
      if (e.kind !== 'regex') continue;
      const m = this.match(e.key, e.caseless, e.keyLoc, text);
      if (!m) continue;
      this.captures = m.map((c) => (src.originLoc ? { text: c ?? '', originLoc: src.originLoc } : { text: c ?? '' }));
      return { value: this.value(e.value, e.loc), via: e.loc };
    }
    return fallback();
  }

  /** The PCRE match and its captures ($0, $1, ...), on the probes' linear-time matcher: a configuration cannot make it hang. */
  private match(source: string, caseless: boolean, loc: Loc, text: string): (string | undefined)[] | null {
    const m = execRegex(source, caseless ? 'i' : '', 'nginx', text);
    if (m === undefined) throw new UnknownValueError(unknown(`regex ${source} is not supported by the model`, loc));
    return m && m.captures;
  }

  currentGuard(): Loc | undefined {
    return this.guards[this.guards.length - 1] ?? this.flowGuard();
  }

  flowGuard(): Loc | undefined {
    return this.flowGuards[this.flowGuards.length - 1];
  }

  /**
   * Runs an Origin-decided condition and, when the request got past it as a
   * trusted origin (a positive test taken, a negative one not taken), names
   * what let it in: the regex, the map entry, or the condition.
   */
  guardTest(c: Condition, loc: Loc): { taken: boolean; guard?: Loc } {
    const taken = this.test(c, loc);
    if (c.op === 'file') return { taken };
    const negative = c.op === '!~' || c.op === '!~*' || c.op === '!=';
    if (taken === negative) return { taken };
    if (c.op === '~' || c.op === '~*' || c.op === '!~' || c.op === '!~*') return { taken, guard: c.regexLoc };
    const left = this.value(c.left, loc);
    return { taken, guard: left.via ?? loc };
  }

  /** ngx_http_rewrite_if_condition at run time. */
  test(c: Condition, loc: Loc): boolean {
    if (c.op === 'file') throw new UnknownValueError(unknown(`if (${c.test} ${c.left.raw}) depends on the file system`, loc));
    const left = this.value(c.left, loc);
    const decided = (v: Value) => {
      if (v.opaque) throw new UnknownValueError(unknown(`if condition on ${c.left.raw} depends on the request`, loc));
      return v.text;
    };
    switch (c.op) {
      case 'var': {
        const t = decided(left);
        return t !== '' && t !== '0';
      }
      case '=':
      case '!=': {
        const eq = decided(left) === decided(this.value(c.right, loc));
        return c.op === '=' ? eq : !eq;
      }
      default: {
        const m = this.match(c.regex, c.op.endsWith('*'), c.regexLoc, decided(left));
        const neg = c.op.startsWith('!');
        if (m && !neg) this.captures = m.map((s) => (left.originLoc ? { text: s ?? '', originLoc: left.originLoc } : { text: s ?? '' }));
        return neg ? !m : !!m;
      }
    }
  }
}

/** The header configurations a policy can end in: its base, and every `if` block it may enter. */
export function reachableConfs(program: NginxProgram): HeaderConf[] {
  const ids = new Set<number>([program.baseConf]);
  const visit = (steps: Step[]) => {
    for (const s of steps) {
      if (s.kind !== 'if' || program.forks[s.id] === false) continue;
      if (s.conf !== undefined) ids.add(s.conf);
      visit(s.body);
    }
  };
  visit(program.locationSteps);
  if (hasReturn(program.serverSteps, program)) ids.add(program.serverConf);
  return [...ids].map((i) => program.confs[i]!);
}

function hasReturn(steps: Step[], program: NginxProgram): boolean {
  return steps.some((s) => s.kind === 'return' || (s.kind === 'if' && program.forks[s.id] !== false && hasReturn(s.body, program)));
}

/** nginx-specific views the nginx rules need beyond the answer. */
export interface DroppedHeaders {
  conf: HeaderConf;
  /** The block's first own add_header. */
  at: AddHeader;
  dropped: AddHeader[];
}

/** CORS headers an enclosing level sends that a block loses by having its own add_header (RULES.md decision 13). */
export function droppedCorsHeaders(policy: Policy): DroppedHeaders[] {
  const program = programOf(policy);
  if (!program) return [];
  return reachableConfs(program)
    .filter((c) => c.own && c.dropped.length && c.headers[0])
    .map((c) => ({ conf: c, at: c.headers[0]!, dropped: c.dropped }));
}

/** The upstreams a policy's location may pass requests to, with the headers hidden from each. */
export function nginxUpstreams(policy: Policy): { upstream: Upstream; hidden: string[]; conf: HeaderConf }[] {
  const program = programOf(policy);
  if (!program) return [];
  const seen = new Set<Upstream>();
  const out: { upstream: Upstream; hidden: string[]; conf: HeaderConf }[] = [];
  for (const c of reachableConfs(program)) {
    if (c.handler.kind !== 'pass' || seen.has(c.handler.upstream)) continue;
    seen.add(c.handler.upstream);
    out.push({ upstream: c.handler.upstream, hidden: (c.hidden[c.handler.upstream.kind as PassKind] ?? []).map((h) => h.lname), conf: c });
  }
  return out;
}

export function hasCorsHeaders(conf: HeaderConf): boolean {
  return conf.headers.some((h) => isCorsHeader(h.lname)) || conf.more.some((m) => m.op === 'set' && isCorsHeader(m.lname));
}

/** How deeply nested the block that wrote the header at `loc` is (outer levels are shallower); undefined when not an add_header of this policy. */
export function headerDepth(policy: Policy, loc: Loc): number | undefined {
  const program = programOf(policy);
  if (!program) return undefined;
  for (const c of program.confs) {
    for (const h of c.headers) if (h.loc === loc) return h.depth;
    // headers-more runs after add_header in the same block.
    for (const m of c.more) if (m.loc === loc) return c.depth + 0.5;
  }
  return undefined;
}
