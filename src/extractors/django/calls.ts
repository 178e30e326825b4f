import type { Loc } from '../../model/index.js';
import { pydanticCall } from './objects.js';
import type { KnownPy, PyVal } from './values.js';
import { bool, fallbackOf, firstUnknown, lift, none, num, opaque, pyEquals, seq, str, truthy } from './values.js';

/**
 * What the functions and methods settings modules call return: environment
 * lookups (os.environ, django-environ, python-decouple) become unknown values
 * whose fallback is what the library returns when the variable is unset;
 * string and list helpers are computed; anything else is unknown.
 */

export interface Args {
  positional: PyVal[];
  keywords: Map<string, PyVal>;
}

/** Calls a value that is used as a cast (a lambda, `bool`, `Csv()`). */
export type Invoke = (f: PyVal, arg: PyVal, loc: Loc) => PyVal;

type EnvInstance = Extract<PyVal, { t: 'env' }>;

/** `re` module flags, as CPython numbers them. */
const RE_FLAGS: Record<string, number> = {
  I: 2,
  IGNORECASE: 2,
  L: 4,
  LOCALE: 4,
  M: 8,
  MULTILINE: 8,
  S: 16,
  DOTALL: 16,
  U: 32,
  UNICODE: 32,
  X: 64,
  VERBOSE: 64,
  A: 256,
  ASCII: 256,
};

/** A module attribute that is a plain constant (`re.IGNORECASE`), or undefined. */
export function constantRef(name: string, loc: Loc): PyVal | undefined {
  const m = /^re\.([A-Z]+)$/.exec(name);
  if (m && m[1]! in RE_FLAGS) return num(RE_FLAGS[m[1]!]!, loc);
  return undefined;
}

/** `re` flag bits → the letters OriginEntry.flags uses; `x` (verbose) is kept so the caller can strip it. */
export function reFlagLetters(bits: number): string {
  let out = '';
  if (bits & 2) out += 'i';
  if (bits & 8) out += 'm';
  if (bits & 16) out += 's';
  if (bits & 64) out += 'x';
  return out;
}

const arg = (a: Args, i: number, name: string): PyVal | undefined => a.keywords.get(name) ?? a.positional[i];

function envKey(a: Args): string | undefined {
  const k = arg(a, 0, 'key') ?? arg(a, 0, 'var') ?? arg(a, 0, 'option');
  return k && k.t === 'str' ? k.v : undefined;
}

/** An environment lookup: unknown, with what the code returns when the variable is unset. */
function lookup(what: string, variable: string, loc: Loc, fallback: PyVal | undefined): PyVal {
  const fb = fallback ? fallbackOf(fallback) : undefined;
  return opaque(what, loc, fb && firstUnknown(fb) === undefined ? fb : undefined, variable);
}

export function callRef(name: string, a: Args, loc: Loc, text: string, invoke: Invoke, self?: EnvInstance): PyVal {
  const pydantic = pydanticCall(name, a, loc);
  if (pydantic) return pydantic;
  switch (name) {
    case 'os.environ.get':
    case 'os.getenv':
    case 'os.environ.setdefault': {
      const key = envKey(a);
      if (key === undefined) return opaque(text, loc);
      // os.environ.get('X') is None when X is unset.
      const d = arg(a, 1, 'default') ?? none(loc);
      return lookup(`${name === 'os.getenv' ? 'os.getenv' : 'os.environ.get'}('${key}')`, key, loc, d);
    }
    case 're.compile': {
      const p = a.positional[0];
      const f = arg(a, 1, 'flags') ?? num(0, loc);
      return lift(p ? [p, f] : [], loc, ([pat, flags]) => {
        if (!pat || pat.t !== 'str' || flags!.t !== 'num') return opaque(text, loc);
        return { t: 'regex', source: pat.v, flags: reFlagLetters(flags!.v), loc: pat.loc };
      });
    }
    case 'json.loads': {
      const s = a.positional[0];
      return s ? lift([s], loc, ([x]) => (x!.t === 'str' ? fromJson(x!.v, loc) ?? opaque(text, loc) : opaque(text, loc))) : opaque(text, loc);
    }
    case 'decouple.config':
    case 'decouple.config.get':
      return decoupleConfig(a, loc, text, invoke);
    case 'decouple.AutoConfig':
    case 'decouple.Config':
      return { t: 'ref', name: 'decouple.config', loc };
    case 'decouple.Csv': {
      const d = arg(a, 1, 'delimiter');
      return { t: 'csv', delimiter: d && d.t === 'str' ? d.v : ',', loc };
    }
    case 'split_settings.tools.optional':
      return { t: 'optional', path: a.positional[0] ?? opaque(text, loc), loc };
    case 'environ.Env':
    case 'environ.FileAwareEnv':
    case 'environ.environ.Env':
      return { t: 'env', scheme: envScheme(a), loc };
  }
  if (name.startsWith('environ.Env#') && self) return callEnv(name.slice('environ.Env#'.length), self, a, loc, text);
  if (/(^|\.)strtobool$/.test(name)) {
    const v = a.positional[0];
    return v ? lift([v], loc, ([x]) => (x!.t === 'str' ? strtobool(x!.v, loc) ?? opaque(text, loc) : opaque(text, loc))) : opaque(text, loc);
  }
  return opaque(text.length > 60 ? `${text.slice(0, 57)}...` : text, loc);
}

// ------------------------------------------------------------------ decouple

function decoupleConfig(a: Args, loc: Loc, text: string, invoke: Invoke): PyVal {
  const key = envKey(a);
  if (key === undefined) return opaque(text, loc);
  const d = arg(a, 1, 'default');
  const cast = arg(a, 2, 'cast');
  const what = `config('${key}')`;
  // decouple raises UndefinedValueError when there is no default; with one, the cast applies to it too.
  if (!d) return opaque(what, loc, undefined, key);
  const fb = fallbackOf(d);
  if (!fb) return opaque(what, loc, undefined, key);
  const value = cast ? applyDecoupleCast(cast, fb, loc, invoke) : fb;
  return lookup(what, key, loc, value);
}

function applyDecoupleCast(cast: PyVal, v: KnownPy, loc: Loc, invoke: Invoke): PyVal {
  if (cast.t === 'ref' && cast.name === 'builtins.bool') {
    const s = pyStr(v);
    if (s === undefined) return opaque('cast=bool', loc);
    return s === '' ? bool(false, loc) : strtobool(s, loc) ?? opaque(`cast=bool of '${s}'`, loc);
  }
  if (cast.t === 'csv') {
    if (v.t === 'none') return seq('list', [], loc);
    if (v.t !== 'str') return opaque('Csv() of a non-string', loc);
    return seq('list', csvSplit(v.v, cast.delimiter).map((s) => str(s, v.loc)), v.loc);
  }
  return invoke(cast, v, loc);
}

/** decouple's Csv: shlex split on the delimiter (quotes group, empty items vanish), each item stripped. */
function csvSplit(s: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let any = false;
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      any = true;
    } else if (delimiter.includes(c)) {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else {
      cur += c;
    }
  }
  if (cur || any) out.push(cur);
  return out.map((x) => x.trim());
}

// ------------------------------------------------------------ django-environ

function envScheme(a: Args): Map<string, { cast?: PyVal; default?: PyVal }> {
  const scheme = new Map<string, { cast?: PyVal; default?: PyVal }>();
  for (const [k, v] of a.keywords) {
    if (v.t === 'seq' && v.kind === 'tuple' && v.items.length === 2) scheme.set(k, { cast: v.items[0]!, default: v.items[1]! });
    else scheme.set(k, { cast: v });
  }
  return scheme;
}

/** Positional parameters after the variable name, per Env method. */
const ENV_PARAMS: Record<string, string[]> = {
  __call__: ['cast', 'default', 'parse_default'],
  get_value: ['cast', 'default', 'parse_default'],
  str: ['default', 'multiline'],
  bool: ['default'],
  int: ['default'],
  float: ['default'],
  json: ['default'],
  list: ['cast', 'default'],
  tuple: ['cast', 'default'],
  dict: ['cast', 'default'],
};

const ENV_CASTS: Record<string, string> = { str: 'str', bool: 'bool', int: 'int', float: 'float', list: 'list', tuple: 'tuple' };

function callEnv(method: string, self: EnvInstance, a: Args, loc: Loc, text: string): PyVal {
  const params = ENV_PARAMS[method];
  if (!params) return method === 'read_env' ? none(loc) : opaque(text, loc);
  const key = envKey(a);
  if (key === undefined) return opaque(text, loc);
  const get = (p: string): PyVal | undefined => a.keywords.get(p) ?? a.positional[params.indexOf(p) + 1];
  const scheme = self.scheme.get(key);
  const d = get('default') ?? scheme?.default;
  const what = method === '__call__' ? `env('${key}')` : `env.${method}('${key}')`;
  // Without a default django-environ raises ImproperlyConfigured.
  if (!d) return opaque(what, loc, undefined, key);
  const pd = get('parse_default');
  const fb = fallbackOf(d);
  if (!fb) return opaque(what, loc, undefined, key);
  if (pd && pd.t === 'bool' && pd.v && fb.t === 'str') {
    const castName = ENV_CASTS[method] ?? castRefName(get('cast') ?? scheme?.cast);
    return lookup(what, key, loc, castName ? parseEnvValue(fb, castName, loc) : fb);
  }
  // The default is returned as written, not parsed: env.list('X', default='a,b') is the string 'a,b'.
  return lookup(what, key, loc, fb);
}

function castRefName(c: PyVal | undefined): string | undefined {
  return c && c.t === 'ref' && c.name.startsWith('builtins.') ? c.name.slice(9) : undefined;
}

const ENV_TRUE = ['true', 'on', 'ok', 'y', 'yes', '1'];

function parseEnvValue(v: Extract<PyVal, { t: 'str' }>, cast: string, loc: Loc): PyVal {
  switch (cast) {
    case 'bool': {
      const n = pyInt(v.v);
      return bool(n !== undefined ? n !== 0 : ENV_TRUE.includes(v.v.toLowerCase().trim()), loc);
    }
    case 'list':
      return seq('list', v.v.split(',').filter(Boolean).map((s) => str(s, v.loc)), v.loc);
    case 'tuple':
      return seq('tuple', stripChars(stripChars(v.v, '(', 'both'), ')', 'both').split(',').filter(Boolean).map((s) => str(s, v.loc)), v.loc);
    case 'int': {
      const n = pyInt(v.v);
      return n === undefined ? opaque(`int('${v.v}')`, loc) : num(n, loc);
    }
    case 'str':
      return v;
    default:
      return opaque(`cast ${cast}`, loc);
  }
}

// ------------------------------------------------------------------ builtins

export function callBuiltin(name: string, a: Args, loc: Loc, text: string): PyVal {
  const x = a.positional[0];
  if (!x) {
    if (name === 'list' || name === 'tuple' || name === 'set') return seq(name, [], loc);
    if (name === 'str') return str('', loc);
    if (name === 'bool') return bool(false, loc);
    // dict(allow_origins=[...], allow_credentials=True): the keywords are the entries.
    if (name === 'dict') return { t: 'dict', entries: [...a.keywords].map(([k, v]): [PyVal, PyVal] => [str(k, v.loc), v]), loc };
    return opaque(text, loc);
  }
  return lift([x], loc, ([v]) => {
    switch (name) {
      case 'bool': {
        const t = truthy(v!);
        return t === undefined ? opaque(text, loc) : bool(t, loc);
      }
      case 'str': {
        const s = pyStr(v!);
        return s === undefined ? opaque(text, loc) : str(s, loc);
      }
      case 'int': {
        if (v!.t === 'num') return num(Math.trunc(v!.v), loc);
        if (v!.t === 'bool') return num(v!.v ? 1 : 0, loc);
        const n = v!.t === 'str' ? pyInt(v!.v) : undefined;
        return n === undefined ? opaque(text, loc) : num(n, loc);
      }
      case 'float': {
        if (v!.t === 'num') return v!;
        const n = v!.t === 'str' && v!.v.trim() !== '' ? Number(v!.v.trim()) : NaN;
        return Number.isNaN(n) ? opaque(text, loc) : num(n, loc);
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'sorted': {
        const items = v!.t === 'seq' ? v!.items : v!.t === 'str' ? [...v!.v].map((c) => str(c, v!.loc)) : undefined;
        if (!items) return opaque(text, loc);
        if (name === 'sorted') {
          if (!items.every((i) => i.t === 'str')) return opaque(text, loc);
          return seq('list', [...items].sort((p, q) => ((p as { v: string }).v < (q as { v: string }).v ? -1 : 1)), loc);
        }
        return seq(name, items, v!.loc);
      }
      case 'len':
        return v!.t === 'seq' ? num(v!.items.length, loc) : v!.t === 'str' ? num(v!.v.length, loc) : opaque(text, loc);
      default:
        return opaque(text, loc);
    }
  });
}

// ------------------------------------------------------------------- methods

export function callMethod(obj: PyVal, method: string, a: Args, loc: Loc, text: string): PyVal {
  const kw = [...a.keywords.entries()];
  const inputs = [obj, ...a.positional, ...kw.map(([, v]) => v)];
  return lift(inputs, loc, (ks) => {
    const self = ks[0]!;
    const pos = ks.slice(1, 1 + a.positional.length);
    const kws = new Map(kw.map(([k], i) => [k, ks[1 + a.positional.length + i]!]));
    const p = (i: number, name: string): KnownPy | undefined => kws.get(name) ?? pos[i];
    if (self.t === 'str') return strMethod(self, method, p, loc, text);
    if (self.t === 'seq') {
      if (method === 'index') {
        const needle = p(0, 'value');
        const i = needle ? self.items.findIndex((x) => x.t !== 'unknown' && pyEquals(x, needle) === true) : -1;
        return i < 0 ? opaque(text, loc) : num(i, loc);
      }
      if (method === 'copy') return self;
      if (method === 'count') {
        const needle = p(0, 'value');
        return needle ? num(self.items.filter((x) => x.t !== 'unknown' && pyEquals(x, needle) === true).length, loc) : opaque(text, loc);
      }
    }
    if (self.t === 'dict' && method === 'get') {
      const k = p(0, 'key');
      for (const [dk, dv] of self.entries) if (k && dk.t !== 'unknown' && pyEquals(dk, k) === true) return dv;
      return p(1, 'default') ?? none(loc);
    }
    return opaque(text.length > 60 ? `${text.slice(0, 57)}...` : text, loc);
  });
}

function strMethod(s: Extract<PyVal, { t: 'str' }>, method: string, p: (i: number, name: string) => KnownPy | undefined, loc: Loc, text: string): PyVal {
  const sArg = (i: number, name: string): string | null | undefined => {
    const v = p(i, name);
    if (!v || v.t === 'none') return null;
    return v.t === 'str' ? v.v : undefined;
  };
  switch (method) {
    case 'lower':
    case 'casefold':
      return str(s.v.toLowerCase(), loc);
    case 'upper':
      return str(s.v.toUpperCase(), loc);
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      const chars = sArg(0, 'chars');
      if (chars === undefined) return opaque(text, loc);
      return str(stripChars(s.v, chars, method === 'strip' ? 'both' : method === 'lstrip' ? 'left' : 'right'), s.loc);
    }
    case 'split':
    case 'rsplit': {
      const sep = sArg(0, 'sep');
      const max = p(1, 'maxsplit');
      if (sep === undefined || sep === '' || (max && (max.t !== 'num' || max.v !== -1))) return opaque(text, loc);
      const parts = sep === null ? s.v.split(/\s+/).filter(Boolean) : s.v.split(sep);
      return seq('list', parts.map((x) => str(x, s.loc)), s.loc);
    }
    case 'splitlines':
      return seq('list', s.v.split(/\r\n|\r|\n/).filter((x, i, all) => i < all.length - 1 || x !== '').map((x) => str(x, s.loc)), s.loc);
    case 'replace': {
      const a = sArg(0, 'old');
      const b = sArg(1, 'new');
      if (typeof a !== 'string' || typeof b !== 'string') return opaque(text, loc);
      return str(a === '' ? s.v : s.v.split(a).join(b), s.loc);
    }
    case 'startswith':
    case 'endswith': {
      const a = sArg(0, method === 'startswith' ? 'prefix' : 'suffix');
      if (typeof a !== 'string') return opaque(text, loc);
      return bool(method === 'startswith' ? s.v.startsWith(a) : s.v.endsWith(a), loc);
    }
    case 'join': {
      const it = p(0, 'iterable');
      if (!it || it.t !== 'seq' || !it.items.every((i) => i.t === 'str')) return opaque(text, loc);
      return str(it.items.map((i) => (i as { v: string }).v).join(s.v), loc);
    }
    default:
      return opaque(text, loc);
  }
}

// ------------------------------------------------------------------- helpers

export function stripChars(s: string, chars: string | null, side: 'both' | 'left' | 'right'): string {
  const set = chars === null ? ' \t\n\r\x0b\x0c' : chars;
  let a = 0;
  let b = s.length;
  if (side !== 'right') while (a < b && set.includes(s[a]!)) a++;
  if (side !== 'left') while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function pyStr(v: KnownPy): string | undefined {
  switch (v.t) {
    case 'str':
      return v.v;
    case 'num':
      return String(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return undefined;
  }
}

function pyInt(s: string): number | undefined {
  const t = s.trim().replace(/_/g, '');
  return /^[+-]?\d+$/.test(t) ? Number(t) : undefined;
}

/** distutils/decouple strtobool. */
export function strtobool(s: string, loc: Loc): PyVal | undefined {
  const v = s.toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(v)) return bool(true, loc);
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(v)) return bool(false, loc);
  return undefined;
}

function fromJson(text: string, loc: Loc): PyVal | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const conv = (x: unknown): PyVal => {
    if (typeof x === 'string') return str(x, loc);
    if (typeof x === 'number') return num(x, loc);
    if (typeof x === 'boolean') return bool(x, loc);
    if (x === null) return none(loc);
    if (Array.isArray(x)) return seq('list', x.map(conv), loc);
    return { t: 'dict', entries: Object.entries(x as Record<string, unknown>).map(([k, v]) => [str(k, loc), conv(v)]), loc };
  };
  return conv(parsed);
}
