import type { Loc, OriginEntry, Policy, UnknownOption, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { DjangoMiddlewareEntry } from '../../semantics/django.js';
import { DJANGO_DEFAULT_METHODS, djangoDefaultHeaders } from '../../semantics/django.js';
import type { Binding, ModuleResult } from './evaluate.js';
import { iterate } from './evaluate.js';
import type { KnownPy, PyVal } from './values.js';
import { fallbackOf, firstUnknown, truthy } from './values.js';
import { compareVersions } from './version.js';
import { editDistance } from '../../util/edit-distance.js';

/** django-cors-headers settings with their pre-3.5.0 aliases (conf.py: the new name wins). */
export const RENAMED: Record<string, string> = {
  CORS_ALLOWED_ORIGINS: 'CORS_ORIGIN_WHITELIST',
  CORS_ALLOWED_ORIGIN_REGEXES: 'CORS_ORIGIN_REGEX_WHITELIST',
  CORS_ALLOW_ALL_ORIGINS: 'CORS_ORIGIN_ALLOW_ALL',
};

/**
 * Every setting any django-cors-headers release reads (conf.py of 1.x–4.9,
 * checks.py). `CORS_REPLACE_HTTPS_REFERER` (gone in 4.0) and `CORS_MODEL`
 * (gone in 3.0, flagged by the package's own system check) are old names,
 * not typos: no finding, as for the renamed ones (RULES.md decision 6).
 */
export const KNOWN_SETTINGS = [
  'CORS_ALLOWED_ORIGINS',
  'CORS_ALLOWED_ORIGIN_REGEXES',
  'CORS_ALLOW_ALL_ORIGINS',
  'CORS_ORIGIN_WHITELIST',
  'CORS_ORIGIN_REGEX_WHITELIST',
  'CORS_ORIGIN_ALLOW_ALL',
  'CORS_URLS_REGEX',
  'CORS_ALLOW_CREDENTIALS',
  'CORS_ALLOW_METHODS',
  'CORS_ALLOW_HEADERS',
  'CORS_EXPOSE_HEADERS',
  'CORS_PREFLIGHT_MAX_AGE',
  'CORS_ALLOW_PRIVATE_NETWORK',
  'CORS_REPLACE_HTTPS_REFERER',
  'CORS_MODEL',
];

export interface BuildInput {
  module: ModuleResult;
  /** Display path of the settings module the policy is for. */
  file: string;
  version?: string;
}

/** The policy of one settings module, as django-cors-headers would read `django.conf.settings`. */
export function buildPolicy({ module, file, version }: BuildInput): Policy {
  const env = module.env;
  const newNamesWork = !version || compareVersions(version, '3.5.0') >= 0;
  const corsBindings = [...env.entries()].filter(([k, b]) => k.startsWith('CORS_') && isSetting(b));
  const policyLoc = pickPolicyLoc(corsBindings.map(([, b]) => b), file);
  const get = (name: string): Binding | undefined => {
    const b = env.get(name);
    return b && isSetting(b) ? b : undefined;
  };
  const setting = (name: string): Binding | undefined => {
    const old = RENAMED[name];
    if (!old) return get(name);
    return (newNamesWork ? get(name) : undefined) ?? get(old);
  };

  const allowAll = boolSetting(setting('CORS_ALLOW_ALL_ORIGINS'), policyLoc);
  const list = seqSetting(setting('CORS_ALLOWED_ORIGINS'), policyLoc, [], (items) => exactEntries(items));
  const regexes = seqSetting(setting('CORS_ALLOWED_ORIGIN_REGEXES'), policyLoc, [], (items) => regexEntries(items));
  const allowAllBinding = setting('CORS_ALLOW_ALL_ORIGINS');
  const anyLoc = allowAllBinding?.stmt ?? policyLoc;
  const origins = combineOrigins(allowAll, list, regexes, anyLoc);

  const methods = seqSetting(setting('CORS_ALLOW_METHODS'), policyLoc, DJANGO_DEFAULT_METHODS, strings);
  const allowHeaders = seqSetting(setting('CORS_ALLOW_HEADERS'), policyLoc, djangoDefaultHeaders(version), strings);
  const exposeHeaders = seqSetting(setting('CORS_EXPOSE_HEADERS'), policyLoc, [], strings);
  const maxAge = convert<number | null>(setting('CORS_PREFLIGHT_MAX_AGE'), policyLoc, 86400, (v) => {
    const t = truthy(v);
    if (t === false) return null;
    if (v.t === 'num') return v.v;
    if (v.t === 'str' && /^\d+$/.test(v.v)) return Number(v.v);
    return undefined;
  });
  const urlsRegex = convert<string>(setting('CORS_URLS_REGEX'), policyLoc, '^.*$', (v) =>
    v.t === 'str' ? v.v : v.t === 'regex' ? inlineFlags(v.flags) + v.source : undefined,
  );
  const privateNetwork = boolSetting(setting('CORS_ALLOW_PRIVATE_NETWORK'), policyLoc);

  const extra: Record<string, Val<unknown>> = { urlsRegex, allowPrivateNetwork: privateNetwork };
  const mw = env.get('MIDDLEWARE');
  if (mw && mw.value.t !== 'absent') extra.middleware = middlewareVal(mw);

  const policy: Policy = {
    framework: 'django',
    layer: 'app',
    scope: urlsRegex.known && !urlsRegex.isDefault ? { urlRegex: urlsRegex.value } : {},
    loc: policyLoc,
    origins,
    originForm: 'list',
    credentials: boolSetting(setting('CORS_ALLOW_CREDENTIALS'), policyLoc),
    methods,
    allowHeaders,
    exposeHeaders,
    maxAge,
    headers: [],
    unknownOptions: unknownOptions(corsBindings, module.reads, newNamesWork),
    extra,
  };
  if (version) policy.version = version;
  return policy;
}

/** A name the module assigned itself (not an imported function or module). */
function isSetting(b: Binding): boolean {
  return b.value.t !== 'absent' && b.value.t !== 'ref' && b.value.t !== 'lambda' && b.value.t !== 'func';
}

/**
 * The policy belongs to the settings module Django loads: its first CORS_*
 * statement, or its first line when every CORS setting comes from a module it
 * imports (`policy.loc.file` always names the module).
 */
function pickPolicyLoc(bindings: Binding[], file: string): Loc {
  const own = bindings.filter((b) => b.stmt.file === file).sort((a, b) => a.stmt.line - b.stmt.line)[0];
  return own?.stmt ?? { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/**
 * A setting's value as a model Val. Unset → the package default at the
 * policy's location. An unknown value keeps its fallback (converted); an
 * unknown whose fallback is "not assigned" (an `if` on an env flag that
 * assigns only in one branch) falls back to the default.
 */
function convert<T>(b: Binding | undefined, defaultLoc: Loc, dflt: T, conv: (v: KnownPy, b: Binding) => T | undefined, valueLoc?: (b: Binding) => Loc): Val<T> {
  if (!b) return known(dflt, defaultLoc, true);
  const at = valueLoc ? valueLoc(b) : b.stmt;
  const v = b.value;
  const u = firstUnknown(v);
  if (!u) {
    const c = conv(v as KnownPy, b);
    return c === undefined ? unknown(`a value django-cors-headers cannot use here`, at) : known(c, at);
  }
  const fb = v.t === 'unknown' && v.fallback?.t === 'absent' ? 'absent' : fallbackOf(v);
  const fallback = fb === 'absent' ? dflt : fb ? conv(fb, b) : undefined;
  return unknown(u.reason, at, fallback, u.variable);
}

function boolSetting(b: Binding | undefined, defaultLoc: Loc): Val<boolean> {
  return convert(b, defaultLoc, false, (v) => truthy(v));
}

function seqSetting<T>(b: Binding | undefined, defaultLoc: Loc, dflt: T[], conv: (items: PyVal[]) => T[] | undefined): Val<T[]> {
  return convert(b, defaultLoc, dflt, (v) => {
    // Strings are sequences too: CORS_ALLOWED_ORIGIN_REGEXES = r'^https://...' is a list of one-character patterns.
    const items = v.t === 'seq' || v.t === 'str' ? iterate(v) : undefined;
    return items ? conv(items) : undefined;
  });
}

function strings(items: PyVal[]): string[] | undefined {
  const out: string[] = [];
  for (const i of items) {
    if (i.t !== 'str') return undefined;
    out.push(i.v);
  }
  return out;
}

function exactEntries(items: PyVal[]): OriginEntry[] | undefined {
  const out: OriginEntry[] = [];
  for (const i of items) {
    if (i.t !== 'str') return undefined;
    out.push({ kind: 'exact', origin: i.v, loc: i.loc });
  }
  return out;
}

function regexEntries(items: PyVal[]): OriginEntry[] | undefined {
  const out: OriginEntry[] = [];
  for (const i of items) {
    if (i.t === 'str') out.push({ kind: 'regex', source: i.v, flags: '', flavor: 'python-match', loc: i.loc });
    // re.VERBOSE stays a flag (`x`): the probes' regex translation drops its whitespace and comments.
    else if (i.t === 'regex') out.push({ kind: 'regex', source: i.source, flags: i.flags, flavor: 'python-match', loc: i.loc });
    else return undefined;
  }
  return out;
}

function combineOrigins(allowAll: Val<boolean>, list: Val<OriginEntry[]>, regexes: Val<OriginEntry[]>, anyLoc: Loc): Val<OriginEntry[]> {
  const any: OriginEntry = { kind: 'any', loc: anyLoc };
  // Allow-all decides alone: the lists are never consulted.
  if (allowAll.known && allowAll.value) return known([any], anyLoc);
  const lists = (l: OriginEntry[], r: OriginEntry[]) => [...l, ...r];
  const at = !allowAll.known || !allowAll.isDefault ? allowAll.loc : !list.known || !list.isDefault ? list.loc : regexes.loc;
  if (allowAll.known && list.known && regexes.known) {
    return known(lists(list.value, regexes.value), at, allowAll.isDefault && list.isDefault && regexes.isDefault);
  }
  const firstU = [allowAll, list, regexes].find((v) => !v.known) as Extract<Val<unknown>, { known: false }>;
  const pick = <T>(v: Val<T>): T | undefined => (v.known ? v.value : v.fallback);
  const a = pick(allowAll);
  const l = pick(list);
  const r = pick(regexes);
  const fallback = a === true ? [any] : a === false && l && r ? lists(l, r) : undefined;
  return unknown(firstU.reason, firstU.loc, fallback, firstU.variable);
}

function middlewareVal(b: Binding): Val<DjangoMiddlewareEntry[]> {
  return convert(
    b,
    b.stmt,
    [],
    (v) => {
      const items = v.t === 'seq' ? v.items : undefined;
      if (!items) return undefined;
      const out: DjangoMiddlewareEntry[] = [];
      for (const i of items) {
        if (i.t !== 'str') return undefined;
        out.push({ name: i.v, loc: i.loc });
      }
      return out;
    },
    // The rule reports a missing CorsMiddleware at the `MIDDLEWARE = [...]` statement.
    (x) => x.stmt,
  );
}

function unknownOptions(bindings: [string, Binding][], reads: Set<string>, newNamesWork: boolean): UnknownOption[] {
  const out: UnknownOption[] = [];
  for (const [key, b] of bindings) {
    const isNew = key in RENAMED;
    if (KNOWN_SETTINGS.includes(key) && (newNamesWork || !isNew)) continue;
    // A CORS_* name the settings read themselves is a helper variable, not a misspelled setting.
    if (reads.has(key)) continue;
    const opt: UnknownOption = { key, loc: b.nameLoc };
    const suggestion = isNew ? RENAMED[key] : closest(key, newNamesWork ? KNOWN_SETTINGS : KNOWN_SETTINGS.filter((k) => !(k in RENAMED)));
    if (suggestion) opt.suggestion = suggestion;
    out.push(opt);
  }
  return out.sort((a, b) => a.loc.file.localeCompare(b.loc.file) || a.loc.line - b.loc.line);
}

/** The known setting nearest by edit distance, when near enough to be a typo. */
export function closest(key: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(key, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best && bestD <= Math.max(3, Math.floor(key.length / 4)) ? best : undefined;
}


function inlineFlags(flags: string): string {
  const f = flags.replace(/[^imsx]/g, '');
  return f ? `(?${f})` : '';
}
