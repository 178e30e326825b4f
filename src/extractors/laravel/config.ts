import type { Loc, OriginEntry, Policy, UnknownOption, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { LaravelProfile } from './composer.js';
import { LARAVEL_11_PATHS } from './composer.js';
import type { OptionKey, SnakeKey } from './keys.js';
import { CAMEL_OF, OPTION_KEYS, SNAKE_KEYS, suggestKey } from './keys.js';
import { parsePhp } from './php-ast.js';
import type { PV } from './php-values.js';
import { PhpEvaluator, coalesce, fallbackWorld, firstUnknown, isFullyKnown, list, phpInt, phpString, truthy } from './php-values.js';

/** One key of the array config/cors.php returns. */
export interface ConfigEntry {
  key: string;
  keyLoc: Loc;
  value: PV;
}

export interface LaravelConfigFile {
  /** The `return` statement: where defaults are reported. */
  returnLoc: Loc;
  entries: Map<string, ConfigEntry>;
}

/** Parse config/cors.php and read the array it returns; undefined when it returns something else. */
export function readLaravelConfig(text: string, file: string): LaravelConfigFile | undefined {
  const program = parsePhp(text, file);
  const ev = new PhpEvaluator(file);
  const ret = ev.runFile(program);
  if (!ret || ret.value.t !== 'arr') return undefined;
  const start = ev.loc(ret.node);
  // `return [` : the line that holds the statement, not the whole array.
  const returnLoc: Loc = { file, line: start.line, column: start.column, endLine: start.line, endColumn: start.column + 1 };
  const entries = new Map<string, ConfigEntry>();
  for (const item of ret.value.items) {
    const key = String(item.key);
    entries.delete(key); // a repeated key: PHP keeps the last one
    entries.set(key, { key, keyLoc: item.keyLoc, value: item.value });
  }
  return { returnLoc, entries };
}

/** A setting after defaults and key precedence are applied. */
interface Setting {
  pv: PV;
  isDefault: boolean;
}

const PHP_CORS_DEFAULTS: Record<OptionKey, (loc: Loc) => PV> = {
  allowed_origins: (loc) => list([], loc),
  allowed_origins_patterns: (loc) => list([], loc),
  allowed_methods: (loc) => list([], loc),
  allowed_headers: (loc) => list([], loc),
  exposed_headers: (loc) => list([], loc),
  max_age: (loc) => ({ t: 'int', v: 0, loc }),
  supports_credentials: (loc) => ({ t: 'bool', v: false, loc }),
};

/** The config the framework (Laravel ≥ 11) or package merges under the file's own keys (SEMANTICS.md §3). */
function mergedDefaults(profile: LaravelProfile, loc: Loc): Map<string, PV> {
  const strs = (xs: string[]) => list(xs.map((v) => ({ t: 'str', v, loc }) as PV), loc);
  const base: Record<SnakeKey, PV> = {
    paths: strs(profile.defaults === 'laravel-11' ? LARAVEL_11_PATHS : []),
    allowed_methods: strs(['*']),
    allowed_origins: strs(['*']),
    allowed_origins_patterns: strs([]),
    allowed_headers: strs(['*']),
    exposed_headers: strs([]),
    max_age: { t: 'int', v: 0, loc },
    supports_credentials: { t: 'bool', v: false, loc },
  };
  const out = new Map<string, PV>();
  if (profile.defaults === 'php-cors') return out;
  if (profile.defaults === 'barryvdh') {
    for (const k of OPTION_KEYS) out.set(CAMEL_OF[k], base[k]);
    return out;
  }
  for (const k of SNAKE_KEYS) out.set(k, base[k]);
  return out;
}

/** The merged-in defaults as plain JSON (the PHP oracle merges the same array under the file). */
export function mergedDefaultsJson(profile: LaravelProfile): Record<string, unknown> {
  const loc: Loc = { file: '', line: 1, column: 1, endLine: 1, endColumn: 1 };
  return Object.fromEntries([...mergedDefaults(profile, loc)].map(([k, v]) => [k, pvJson(v)]));
}

function acceptedKeys(profile: LaravelProfile): string[] {
  const snake = [...SNAKE_KEYS] as string[];
  const camel = OPTION_KEYS.map((k) => CAMEL_OF[k]);
  // barryvdh ≤ 0.11 has neither snake_case keys nor `paths` (its middleware runs wherever it is registered).
  if (profile.keys === 'camel') return camel;
  if (profile.keys === 'snake') return snake;
  return [...snake, ...camel];
}

export function buildLaravelPolicy(cfg: LaravelConfigFile, profile: LaravelProfile): Policy {
  const loc = cfg.returnLoc;
  const accepted = acceptedKeys(profile);
  const unknownOptions: UnknownOption[] = [];
  for (const e of cfg.entries.values()) {
    if (accepted.includes(e.key)) continue;
    const opt: UnknownOption = { key: e.key, loc: e.keyLoc };
    const suggestion = suggestKey(e.key, accepted);
    if (suggestion) opt.suggestion = suggestion;
    unknownOptions.push(opt);
  }

  const defaults = mergedDefaults(profile, loc);
  const written = (key: string): Setting | undefined => {
    if (!accepted.includes(key)) return undefined;
    const e = cfg.entries.get(key);
    if (e) return { pv: e.value, isDefault: false };
    const d = defaults.get(key);
    return d ? { pv: d, isDefault: true } : undefined;
  };

  const option = (k: OptionKey): Setting => {
    const camel = written(CAMEL_OF[k]);
    const snake = written(k);
    const fallback = (): Setting => snake ?? { pv: PHP_CORS_DEFAULTS[k](loc), isDefault: true };
    if (!camel) return fallback();
    // php-cors reads maxAge with array_key_exists, everything else with `??`.
    if (k === 'max_age') return camel;
    const chosen = coalesce(camel.pv, () => fallback().pv, camel.pv.loc);
    return { pv: chosen, isDefault: camel.pv.t === 'null' ? fallback().isDefault : camel.isDefault };
  };

  const originsS = option('allowed_origins');
  const patternsS = option('allowed_origins_patterns');
  const allowedOrigins = toVal(originsS, (pv) => arrayOf(pv, originEntry), 'allowed_origins is not an array: php-cors throws InvalidOptionException');
  const originPatterns = toVal(patternsS, (pv) => arrayOf(pv, patternEntry), 'allowed_origins_patterns is not an array: php-cors throws InvalidOptionException');
  const strings = (pv: PV) => arrayOf(pv, (v) => phpString(v));

  const exposed = option('exposed_headers');
  const maxAge = option('max_age');
  const pathsS = profile.keys === 'camel' ? undefined : written('paths');
  const paths = pathsS ? toVal(pathsS, (pv) => arrayOf(pv, (v) => (v.t === 'str' ? v.v : null)), '`paths` is not an array') : undefined;
  const hostPaths = pathsS && isFullyKnown(pathsS.pv) && pathsS.pv.t === 'arr' ? hostPathsOf(pathsS.pv) : undefined;

  const scope: Policy['scope'] = {};
  const defaultPaths = profile.keys === 'camel' ? undefined : profile.pathsDefault;
  if (paths?.known) scope.paths = paths.value;
  else if (!paths && defaultPaths) scope.paths = [...defaultPaths];

  const extra: Record<string, Val<unknown>> = {
    allowedOrigins,
    originPatterns,
    stack: known(profile.stack, loc),
  };
  if (paths) extra.paths = paths;
  else if (defaultPaths) extra.paths = known([...defaultPaths], loc, true);
  if (hostPaths && Object.keys(hostPaths).length) extra.hostPaths = known(hostPaths, pathsS!.pv.loc);
  if (profile.laravelVersion) extra.laravelVersion = known(profile.laravelVersion, loc);
  if (profile.corsPackage) extra.corsPackage = known(`${profile.corsPackage.name}@${profile.corsPackage.version}`, loc);

  const policy: Policy = {
    framework: 'laravel',
    layer: 'app',
    scope,
    loc,
    origins: combineOrigins(allowedOrigins, originPatterns),
    originForm: 'list',
    credentials: toVal(option('supports_credentials'), (pv) => truthy(pv)),
    methods: toVal(option('allowed_methods'), strings, 'allowed_methods is not an array: php-cors throws InvalidOptionException'),
    allowHeaders: toVal(option('allowed_headers'), strings, 'allowed_headers is not an array: php-cors throws InvalidOptionException'),
    exposeHeaders: toVal(exposed, (pv) => (pv.t === 'bool' && !pv.v ? [] : strings(pv)), 'exposed_headers is not an array: php-cors throws InvalidOptionException'),
    maxAge: toVal(maxAge, (pv) => (pv.t === 'null' ? null : phpInt(pv))),
    headers: [],
    unknownOptions,
    extra,
  };
  const version = profile.corsPackage?.version ?? profile.laravelVersion;
  if (version) policy.version = version;
  return policy;
}

/** A model value from a setting: known, or unknown with the written fallback converted the same way. */
function toVal<T>(s: Setting, conv: (pv: PV) => T | undefined, badReason = 'unsupported value'): Val<T> {
  const pv = s.pv;
  if (isFullyKnown(pv)) {
    const v = conv(pv);
    return v === undefined ? unknown<T>(badReason, pv.loc) : known(v, pv.loc, s.isDefault);
  }
  const u = firstUnknown(pv)!;
  const fb = fallbackWorld(pv);
  const fallback = fb?.written ? conv(fb.value) : undefined;
  return unknown<T>(u.reason, pv.loc, fallback, u.variable);
}

function arrayOf<T>(pv: PV, item: (v: PV) => T | null | undefined): T[] | undefined {
  if (pv.t !== 'arr') return undefined;
  const out: T[] = [];
  for (const i of pv.items) {
    const v = item(i.value);
    if (v === undefined) return undefined;
    if (v !== null) out.push(v);
  }
  return out;
}

/** `'*'` allows all, a `*` elsewhere is a wildcard php-cors turns into a pattern; the rest is compared with in_array. */
function originEntry(v: PV): OriginEntry {
  // in_array('*', [true]) is true under PHP's loose comparison: `true` allows all, like '*'.
  if (v.t === 'bool' && v.v) return { kind: 'any', loc: v.loc };
  const s = phpString(v) ?? '';
  if (s === '*') return { kind: 'any', loc: v.loc };
  if (s.includes('*')) return { kind: 'wildcard', pattern: s, loc: v.loc };
  return { kind: 'exact', origin: s, loc: v.loc };
}

function patternEntry(v: PV): OriginEntry {
  return { kind: 'regex', source: phpString(v) ?? '', flags: '', flavor: 'pcre', loc: v.loc };
}

/** Host-keyed path lists: `'paths' => ['api.example.com' => ['*']]` (HandleCors::getPathsByHost). */
function hostPathsOf(pv: Extract<PV, { t: 'arr' }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of pv.items) {
    if (typeof i.key !== 'string' || i.value.t !== 'arr') continue;
    out[i.key] = i.value.items.map((x) => phpString(x.value) ?? '');
  }
  return out;
}

/** allowed_origins and the patterns as one list, for rules that look at every trusted origin. */
function combineOrigins(a: Val<OriginEntry[]>, p: Val<OriginEntry[]>): Val<OriginEntry[]> {
  if (a.known && p.known) return known([...a.value, ...p.value], a.loc, a.isDefault === true && p.isDefault === true);
  const u = !a.known ? a : (p as Extract<Val<OriginEntry[]>, { known: false }>);
  const fa = a.known ? a.value : a.fallback;
  const fp = p.known ? p.value : p.fallback;
  return unknown(u.reason, a.loc, fa && fp ? [...fa, ...fp] : undefined, u.variable);
}

/** Keys read, in the fallback world, as plain JSON (for the PHP oracle and `inspect`). */
export function configJson(cfg: LaravelConfigFile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, e] of cfg.entries) {
    const fb = fallbackWorld(e.value);
    out[k] = fb ? pvJson(fb.value) : { unknown: firstUnknown(e.value)?.reason };
  }
  return out;
}

export function pvJson(pv: PV): unknown {
  switch (pv.t) {
    case 'str':
    case 'int':
    case 'float':
    case 'bool':
      return pv.v;
    case 'null':
      return null;
    case 'arr': {
      const isList = pv.items.every((i, n) => i.key === n);
      if (isList) return pv.items.map((i) => pvJson(i.value));
      return Object.fromEntries(pv.items.map((i) => [String(i.key), pvJson(i.value)]));
    }
    case 'unknown':
      return undefined;
  }
}
