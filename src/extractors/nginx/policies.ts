import type { EmittedHeader, Loc, OriginEntry, Policy, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import { droppedCorsHeaders, hasCorsHeaders, reachableConfs } from '../../semantics/nginx.js';
import type { BuiltConfig, Unit } from './conf.js';
import type { AddHeader, ComplexValue, Condition, HeaderConf, NginxProgram, Step } from './program.js';
import { describeCondition, varsOf } from './program.js';

/** More forks than this per location are assumed not taken (2^5 policies at most). */
const MAX_FORKS = 5;

/**
 * One Policy per serving unit and per outcome of the `if` conditions the
 * request Origin does not decide (`$request_method = OPTIONS`, `-f`, other
 * headers): each policy answers as nginx does when those conditions have
 * that outcome. Conditions on `$http_origin` (directly or through `set` and
 * `map`) are decided per request by the semantics.
 */
export function buildPolicies(cfg: BuiltConfig): Policy[] {
  const out: Policy[] = [];
  for (const unit of cfg.units) {
    const base: NginxProgram = {
      label: unit.label,
      serverSteps: unit.serverSteps,
      locationSteps: unit.locationSteps,
      confs: cfg.confs,
      serverConf: unit.serverConf,
      baseConf: unit.baseConf,
      maps: cfg.maps,
      forks: {},
    };
    const ifs = allIfs(base);
    const forkable = ifs.filter((s) => !originDecidable(s.cond, base));
    const relevant = forkable.filter((s) => isRelevant(s, base)).slice(0, MAX_FORKS);
    const fixed: Record<number, boolean> = {};
    for (const s of forkable) if (!relevant.includes(s)) fixed[s.id] = false;
    for (let mask = 0; mask < 1 << relevant.length; mask++) {
      const forks = { ...fixed };
      relevant.forEach((s, i) => (forks[s.id] = (mask & (1 << i)) !== 0));
      // A server-level `return` inside a taken if ends the request there: later forks cannot matter.
      const program: NginxProgram = { ...base, forks };
      const confs = reachableConfs(program);
      if (!confs.some(hasCorsHeaders) && !confs.some((c) => c.dropped.length)) continue;
      const taken = relevant.filter((s) => forks[s.id]).map((s) => s.label);
      const notTaken = relevant.filter((s) => !forks[s.id]).map((s) => `not ${s.label}`);
      out.push(policyFor(unit, { ...program, label: [unit.label, ...taken, ...notTaken].join(' › ') }));
    }
  }
  return out;
}

function allIfs(p: NginxProgram): Extract<Step, { kind: 'if' }>[] {
  const out: Extract<Step, { kind: 'if' }>[] = [];
  const visit = (steps: Step[]) => {
    for (const s of steps) {
      if (s.kind !== 'if') continue;
      out.push(s);
      visit(s.body);
    }
  };
  visit(p.serverSteps);
  visit(p.locationSteps);
  return out;
}

/** The request variables a value finally reads, through `set` and `map`. */
export function leafDeps(cv: ComplexValue, p: NginxProgram, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  for (const v of varsOf(cv)) {
    if (/^[1-9]$/.test(v)) {
      out.add('http_origin');
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    const map = p.maps[v];
    const sets = setSteps(p).filter((s) => s.var === v);
    if (map) {
      for (const d of leafDeps(map.source, p, seen)) out.add(d);
      for (const e of map.entries) for (const d of leafDeps(e.value, p, seen)) out.add(d);
      if (map.default) for (const d of leafDeps(map.default.value, p, seen)) out.add(d);
    } else if (sets.length) {
      for (const s of sets) for (const d of leafDeps(s.value, p, seen)) out.add(d);
    } else out.add(v);
  }
  return out;
}

/** Every variable a value reads, intermediates included. */
function varClosure(cv: ComplexValue, p: NginxProgram, out = new Set<string>()): Set<string> {
  for (const v of varsOf(cv)) {
    if (out.has(v)) continue;
    out.add(v);
    const map = p.maps[v];
    if (map) {
      varClosure(map.source, p, out);
      for (const e of map.entries) varClosure(e.value, p, out);
      if (map.default) varClosure(map.default.value, p, out);
    }
    for (const s of setSteps(p)) if (s.var === v) varClosure(s.value, p, out);
  }
  return out;
}

function setSteps(p: NginxProgram): Extract<Step, { kind: 'set' }>[] {
  const out: Extract<Step, { kind: 'set' }>[] = [];
  const visit = (steps: Step[]) => {
    for (const s of steps) {
      if (s.kind === 'set') out.push(s);
      if (s.kind === 'if') visit(s.body);
    }
  };
  visit(p.serverSteps);
  visit(p.locationSteps);
  return out;
}

function condValues(c: Condition): ComplexValue[] {
  return c.op === '=' || c.op === '!=' ? [c.left, c.right] : [c.left];
}

/** A condition the request's Origin alone decides. */
export function originDecidable(c: Condition, p: NginxProgram): boolean {
  if (c.op === 'file') return false;
  const deps = new Set<string>();
  for (const v of condValues(c)) for (const d of leafDeps(v, p)) deps.add(d);
  return [...deps].every((d) => d === 'http_origin');
}

function isRelevant(s: Extract<Step, { kind: 'if' }>, p: NginxProgram): boolean {
  if (s.body.some((b) => b.kind === 'return' || b.kind === 'break')) return true;
  if (s.conf !== undefined) {
    const conf = p.confs[s.conf]!;
    const parent = p.confs[p.baseConf]!;
    if (conf.own || conf.more.length !== parent.more.length || conf.handler !== parent.handler) return true;
    if (Object.keys(conf.hidden).some((k) => conf.hidden[k as keyof HeaderConf['hidden']] !== parent.hidden[k as keyof HeaderConf['hidden']])) return true;
  }
  const read = new Set<string>();
  for (const c of p.confs) {
    for (const h of c.headers) varClosure(h.value, p, read);
    for (const m of c.more) if (m.value) varClosure(m.value, p, read);
  }
  for (const other of allIfs(p)) for (const v of condValues(other.cond)) varClosure(v, p, read);
  return s.body.some((b) => b.kind === 'set' && read.has(b.var));
}

function policyFor(unit: Unit, program: NginxProgram): Policy {
  const confs = reachableConfs(program);
  const all = uniqueHeaders(confs);
  const first = (lname: string) => all.find((h) => h.lname === lname);
  const acao = first('access-control-allow-origin');
  const originLoc = acao?.loc ?? unit.loc;
  const origins = originEntries(program, confs);
  const single = origins.length === 1 && (origins[0]!.kind === 'any' || origins[0]!.kind === 'exact') && acao !== undefined && varsOf(acao.value).length === 0;
  const policy: Policy = {
    framework: 'nginx',
    layer: 'proxy',
    scope: scopeOf(unit),
    loc: unit.loc,
    origins: known(origins, originLoc),
    originForm: single ? 'single' : 'list',
    credentials: credentialsOf(first('access-control-allow-credentials'), unit.loc),
    methods: listOf(first('access-control-allow-methods'), unit.loc),
    allowHeaders: listOf(first('access-control-allow-headers'), unit.loc),
    exposeHeaders: listOf(first('access-control-expose-headers'), unit.loc),
    maxAge: maxAgeOf(first('access-control-max-age'), unit.loc),
    headers: all.map(emitted),
    unknownOptions: [],
    extra: { nginx: known(program, unit.loc) },
  };
  return policy;
}

function scopeOf(unit: Unit): Policy['scope'] {
  const s: Policy['scope'] = {};
  if (unit.server) s.server = unit.server;
  if (unit.location) s.location = unit.location;
  return s;
}

function uniqueHeaders(confs: HeaderConf[]): AddHeader[] {
  const seen = new Set<AddHeader>();
  const out: AddHeader[] = [];
  for (const c of confs) {
    for (const h of c.headers) {
      if (seen.has(h)) continue;
      seen.add(h);
      out.push(h);
    }
  }
  return out;
}

function emitted(h: AddHeader): EmittedHeader {
  const literal = varsOf(h.value).length === 0;
  const value: Val<string> = literal ? known(h.value.raw, h.value.loc) : unknown(`nginx value ${h.value.raw}`, h.value.loc);
  return { name: h.lname, value, loc: h.loc, always: h.always, append: true };
}

function credentialsOf(h: AddHeader | undefined, loc: Loc): Val<boolean> {
  if (!h) return known(false, loc, true);
  if (varsOf(h.value).length) return unknown(`nginx value ${h.value.raw}`, h.loc);
  return known(h.value.raw === 'true', h.loc);
}

function listOf(h: AddHeader | undefined, loc: Loc): Val<string[]> {
  if (!h) return known([], loc);
  if (varsOf(h.value).length) return unknown(`nginx value ${h.value.raw}`, h.loc);
  return known(
    h.value.raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    h.loc,
  );
}

function maxAgeOf(h: AddHeader | undefined, loc: Loc): Val<number | null> {
  if (!h) return known(null, loc);
  const n = Number(h.value.raw.trim());
  if (varsOf(h.value).length || !Number.isFinite(n)) return unknown(`nginx value ${h.value.raw}`, h.loc);
  return known(n, h.loc);
}

/**
 * What the unit trusts, as origin entries for the origin-level rules: where
 * each Access-Control-Allow-Origin value comes from — a literal, the request
 * Origin (reflect), the `map` keys that copy it, or the `if` guards around
 * the directive or the `set` that copies it.
 */
function originEntries(p: NginxProgram, confs: HeaderConf[]): OriginEntry[] {
  const out: OriginEntry[] = [];
  const guardsOf = new Map<number, Condition[]>();
  const condLoc = new Map<Condition, Loc>();
  // `if ($http_origin !~* "^https://a\.example\.com$") { return 403; }`: everything after it trusts the regex.
  const flow: Condition[] = [];
  const visit = (steps: Step[], guards: Condition[]) => {
    for (const s of steps) {
      if (s.kind !== 'if' || p.forks[s.id] === false) continue;
      if (p.forks[s.id] === undefined && s.body.some((b) => b.kind === 'return')) {
        const pos = positive(s.cond);
        if (pos) {
          flow.push(pos);
          condLoc.set(pos, s.loc);
        }
        continue;
      }
      const g = p.forks[s.id] === true ? guards : [...guards, s.cond];
      condLoc.set(s.cond, s.loc);
      if (s.conf !== undefined) guardsOf.set(s.conf, g);
      visit(s.body, g);
    }
  };
  visit(p.serverSteps, []);
  visit(p.locationSteps, []);

  const following = new Set<Condition>();
  const fromGuards = (inner: Condition[], site: Loc): OriginEntry[] => {
    // Nested guards narrow each other; the innermost names what the author meant to trust.
    const g = [...flow, ...inner].slice(-1);
    if (g.length === 0) return [{ kind: 'reflect', loc: site }];
    return g.map((c): OriginEntry | OriginEntry[] => {
      const loc = condLoc.get(c) ?? site;
      if ((c.op === '~' || c.op === '~*') && isOriginOperand(c.left)) {
        return { kind: 'regex', source: c.regex, flags: c.op === '~*' ? 'i' : '', flavor: 'nginx', loc: c.regexLoc };
      }
      if (c.op === '=' && isOriginOperand(c.left) && varsOf(c.right).length === 0) return { kind: 'exact', origin: c.right.raw, loc };
      if (following.has(c)) return [];
      following.add(c);
      const viaMap = mapGuard(c, p) ?? flagGuard(c, p, (inner) => fromGuards(inner, site));
      following.delete(c);
      if (viaMap) return viaMap;
      return { kind: 'predicate', description: `if (${describeCondition(c)})`, loc };
    }).flat();
  };

  const seen = new Set<string>();
  const value = (cv: ComplexValue, site: Loc, guards: Condition[]) => {
    const key = `${site.file}:${site.line}:${site.column}`;
    if (seen.has(key)) return;
    seen.add(key);
    const vars = varsOf(cv);
    if (vars.length === 0) {
      if (cv.raw === '') return;
      out.push(cv.raw === '*' ? { kind: 'any', loc: site } : { kind: 'exact', origin: cv.raw, loc: site });
      return;
    }
    const only = cv.parts.length === 1 ? vars[0]! : undefined;
    if (only === 'http_origin' || (only && /^[1-9]$/.test(only))) {
      out.push(...fromGuards(guards, site));
      return;
    }
    const map = only ? p.maps[only] : undefined;
    if (map && isOriginOperand(map.source)) {
      for (const e of map.entries) {
        const v = varsOf(e.value);
        if (v.length === 0) {
          if (e.value.raw !== '') out.push(e.value.raw === '*' ? { kind: 'any', loc: e.loc } : { kind: 'exact', origin: e.value.raw, loc: e.loc });
          continue;
        }
        if (!v.every((x) => x === 'http_origin' || /^[1-9]$/.test(x))) {
          out.push({ kind: 'predicate', description: `map entry ${e.value.raw}`, loc: e.loc });
          continue;
        }
        if (e.kind === 'exact') out.push({ kind: 'exact', origin: e.key, loc: e.loc });
        else if (e.kind === 'regex') out.push({ kind: 'regex', source: e.key, flags: e.caseless ? 'i' : '', flavor: 'nginx', loc: e.loc });
        else out.push({ kind: 'wildcard', pattern: e.kind === 'head' ? (e.key.startsWith('.') ? `*${e.key}` : e.key) : e.key, loc: e.loc });
      }
      if (map.default) value(map.default.value, map.default.loc, guards);
      return;
    }
    const sets = only ? setsWithGuards(p, only) : [];
    if (sets.length) {
      for (const s of sets) value(s.step.value, s.step.loc, [...guards, ...s.guards]);
      return;
    }
    out.push({ kind: 'predicate', description: `nginx value ${cv.raw}`, loc: site });
  };

  for (const c of confs) {
    for (const h of c.headers) if (h.lname === 'access-control-allow-origin') value(h.value, h.loc, guardsOf.get(c.id) ?? []);
    for (const m of c.more) if (m.op === 'set' && m.lname === 'access-control-allow-origin' && m.value) value(m.value, m.loc, guardsOf.get(c.id) ?? []);
  }
  const unique = new Map<string, OriginEntry>();
  for (const e of out) unique.set(`${e.kind}\0${JSON.stringify(e)}`, e);
  return [...unique.values()];
}

/**
 * `if ($allowed)` / `if ($allowed = 1)` on `map $http_origin $allowed { ... }`:
 * the map keys whose value passes the test are what the guard trusts.
 */
function mapGuard(c: Condition, p: NginxProgram): OriginEntry[] | undefined {
  if (c.op !== 'var' && c.op !== '=' && c.op !== '!=') return undefined;
  const only = c.left.parts.length === 1 ? varsOf(c.left)[0] : undefined;
  const map = only ? p.maps[only] : undefined;
  if (!map || !isOriginOperand(map.source)) return undefined;
  if (c.op !== 'var' && varsOf(c.right).length) return undefined;
  const passes = (v: ComplexValue): boolean | undefined => {
    if (varsOf(v).length) return undefined;
    if (c.op === 'var') return v.raw !== '' && v.raw !== '0';
    return c.op === '=' ? v.raw === c.right.raw : v.raw !== c.right.raw;
  };
  const out: OriginEntry[] = [];
  for (const e of map.entries) {
    const ok = passes(e.value);
    if (ok === undefined) return undefined;
    if (!ok) continue;
    if (e.kind === 'exact') out.push({ kind: 'exact', origin: e.key, loc: e.loc });
    else if (e.kind === 'regex') out.push({ kind: 'regex', source: e.key, flags: e.caseless ? 'i' : '', flavor: 'nginx', loc: e.loc });
    else out.push({ kind: 'wildcard', pattern: e.key.startsWith('.') ? `*${e.key}` : e.key, loc: e.loc });
  }
  const dflt = map.default ? passes(map.default.value) : passes({ raw: '', parts: [], loc: map.loc });
  if (dflt === undefined) return undefined;
  if (dflt) out.push({ kind: 'reflect', loc: map.default?.loc ?? map.loc });
  return out;
}

/** The condition a request must meet to get past `if (<c>) { return ...; }`. */
function positive(c: Condition): Condition | undefined {
  if (c.op === '!~' || c.op === '!~*') return { ...c, op: c.op === '!~' ? '~' : '~*' };
  if (c.op === '!=') return { ...c, op: '=' };
  return undefined;
}

/**
 * `set $cors ""; if ($http_origin ~* re) { set $cors true; } if ($cors = true) { ... }`:
 * the guards around the `set`s whose literal value passes the test are what the flag trusts.
 */
function flagGuard(c: Condition, p: NginxProgram, entriesFor: (guards: Condition[]) => OriginEntry[]): OriginEntry[] | undefined {
  if (c.op !== 'var' && c.op !== '=' && c.op !== '!=') return undefined;
  const only = c.left.parts.length === 1 ? varsOf(c.left)[0] : undefined;
  if (!only || p.maps[only] || (c.op !== 'var' && varsOf(c.right).length)) return undefined;
  const sites = setsWithGuards(p, only);
  if (sites.length === 0 || sites.some((s) => varsOf(s.step.value).length)) return undefined;
  const passes = (raw: string) => (c.op === 'var' ? raw !== '' && raw !== '0' : c.op === '=' ? raw === c.right.raw : raw !== c.right.raw);
  const out: OriginEntry[] = [];
  for (const s of sites) if (passes(s.step.value.raw)) out.push(...entriesFor(s.guards));
  return out;
}

function isOriginOperand(cv: ComplexValue): boolean {
  return cv.parts.length === 1 && varsOf(cv)[0] === 'http_origin';
}

function setsWithGuards(p: NginxProgram, name: string): { step: Extract<Step, { kind: 'set' }>; guards: Condition[] }[] {
  const out: { step: Extract<Step, { kind: 'set' }>; guards: Condition[] }[] = [];
  const visit = (steps: Step[], guards: Condition[]) => {
    for (const s of steps) {
      if (s.kind === 'set' && s.var === name) out.push({ step: s, guards });
      if (s.kind === 'if' && p.forks[s.id] !== false) visit(s.body, p.forks[s.id] === true ? guards : [...guards, s.cond]);
    }
  };
  visit(p.serverSteps, []);
  visit(p.locationSteps, []);
  return out;
}

/** Does any part of the policy's configuration come from `file`? */
export function involvesFile(policy: Policy, file: string): boolean {
  const p = policy.extra?.nginx?.known ? (policy.extra.nginx.value as NginxProgram) : undefined;
  if (!p) return policy.loc.file === file;
  if (policy.loc.file === file) return true;
  for (const c of reachableConfs(p)) {
    if (c.loc.file === file) return true;
    if (c.headers.some((h) => h.loc.file === file) || c.more.some((m) => m.loc.file === file)) return true;
    if (c.handler.kind === 'pass' && c.handler.upstream.loc.file === file) return true;
  }
  const steps = (list: Step[]): boolean => list.some((s) => s.loc.file === file || (s.kind === 'if' && steps(s.body)));
  if (steps(p.serverSteps) || steps(p.locationSteps)) return true;
  return droppedCorsHeaders(policy).some((d) => d.dropped.some((h) => h.loc.file === file));
}
