import type { Loc } from '../../model/index.js';

/**
 * A Python value as far as a settings module can be read without running
 * it. Every value knows where it was written. `unknown` is a value decided at
 * run time (an environment variable, a function call); its `fallback` is what
 * it is when the variable is unset, when the code writes that down.
 */
export type PyVal =
  | { t: 'str'; v: string; loc: Loc }
  | { t: 'num'; v: number; loc: Loc }
  | { t: 'bool'; v: boolean; loc: Loc }
  | { t: 'none'; loc: Loc }
  | { t: 'seq'; kind: 'list' | 'tuple' | 'set'; items: PyVal[]; loc: Loc }
  | { t: 'dict'; entries: [PyVal, PyVal][]; loc: Loc }
  /** `re.compile(pattern, flags)` */
  | { t: 'regex'; source: string; flags: string; loc: Loc }
  /** A module, function or class we know by its qualified name (`os.environ.get`, `decouple.Csv`, `bool`). */
  | { t: 'ref'; name: string; loc: Loc }
  /** A django-environ `Env(...)` instance, with its scheme (`DEBUG=(bool, False)`). */
  | { t: 'env'; scheme: Map<string, { cast?: PyVal; default?: PyVal }>; loc: Loc }
  /** A decouple `Csv(...)` caster. */
  | { t: 'csv'; delimiter: string; loc: Loc }
  | { t: 'lambda'; params: string[]; body: unknown; file: string; loc: Loc }
  /**
   * A module-level `def` (`def env_bool(name, default=False): ...`). Its source
   * is kept, not its syntax tree (trees are freed after each module), so a
   * helper defined in base.py still works in dev.py after `from .base import *`.
   */
  | { t: 'func'; name: string; params: FuncParam[]; source: string; lineOffset: number; file: string; absPath: string; globals: Map<string, unknown>; loc: Loc }
  /** split-settings `optional('local.py')`: an include that may be missing. */
  | { t: 'optional'; path: PyVal; loc: Loc }
  /** A name the module never bound (or `del`eted): reading it would fail; a setting left unset. */
  | { t: 'absent'; loc: Loc }
  /**
   * A class the module defines (its class-level names), an instance of one,
   * or a library object an application extractor models (a `flask_cors.CORS()`
   * instance). Application modules (Starlette, Flask) read settings from
   * such objects: `settings.CORS_ORIGINS`, `app.config.from_object(Config)`.
   */
  | PyObject
  | Opaque;

/** A parameter of a `def`; the default is evaluated once, where the function is defined (as Python does). */
export interface FuncParam {
  name: string;
  default?: PyVal;
}

export interface PyObject {
  t: 'object';
  /** Qualified name of the class (`module.Settings`, `flask_cors.CORS`). */
  cls: string;
  kind: 'class' | 'instance';
  attrs: Map<string, PyVal>;
  loc: Loc;
  /**
   * A pydantic `BaseSettings` class: instantiating it reads each field from
   * the environment variable `envPrefix + NAME`, the class default being the
   * fallback.
   */
  envPrefix?: string;
  /** Names the class body assigns or annotates (`CORS_ORIGINS: list[str] = [...]`): a settings class's fields. */
  fields?: string[];
}

export interface Opaque {
  t: 'unknown';
  reason: string;
  loc: Loc;
  fallback?: PyVal;
  variable?: string;
}

export type KnownPy = Exclude<PyVal, Opaque>;

export function opaque(reason: string, loc: Loc, fallback?: PyVal, variable?: string): Opaque {
  const u: Opaque = { t: 'unknown', reason, loc };
  if (fallback !== undefined) u.fallback = fallback;
  if (variable !== undefined) u.variable = variable;
  return u;
}

export const str = (v: string, loc: Loc): PyVal => ({ t: 'str', v, loc });
export const num = (v: number, loc: Loc): PyVal => ({ t: 'num', v, loc });
export const bool = (v: boolean, loc: Loc): PyVal => ({ t: 'bool', v, loc });
export const none = (loc: Loc): PyVal => ({ t: 'none', loc });
export const seq = (kind: 'list' | 'tuple' | 'set', items: PyVal[], loc: Loc): PyVal => ({ t: 'seq', kind, items, loc });

/**
 * Apply `fn` to known inputs. When some input is unknown the result is
 * unknown too, and its fallback is `fn` over the inputs' fallbacks (when every
 * unknown input has one), so `os.environ.get('X', 'a,b').split(',')` keeps
 * the fallback `['a', 'b']`. Items inside sequences are lifted as well.
 */
export function lift(inputs: PyVal[], loc: Loc, fn: (known: KnownPy[]) => PyVal): PyVal {
  const u = inputs.map(firstUnknown).find((x) => x !== undefined);
  if (!u) return fn(inputs as KnownPy[]);
  const fbs = inputs.map(fallbackOf);
  const fb = fbs.every((x) => x !== undefined) ? fn(fbs as KnownPy[]) : undefined;
  // The fallback may itself be unknown when the function cannot decide it.
  const cleanFb = fb && firstUnknown(fb) === undefined ? fb : undefined;
  return opaque(u.reason, loc, cleanFb, u.variable);
}

/** The first unknown anywhere inside `v` (a list with one env-driven item is not a known list). */
export function firstUnknown(v: PyVal): Opaque | undefined {
  if (v.t === 'unknown') return v;
  if (v.t === 'seq') {
    for (const i of v.items) {
      const u = firstUnknown(i);
      if (u) return u;
    }
  }
  if (v.t === 'dict') {
    for (const [k, x] of v.entries) {
      const u = firstUnknown(k) ?? firstUnknown(x);
      if (u) return u;
    }
  }
  return undefined;
}

/** `v` with every unknown replaced by its fallback; undefined when one has none. */
export function fallbackOf(v: PyVal): KnownPy | undefined {
  if (v.t === 'unknown') return v.fallback ? fallbackOf(v.fallback) : undefined;
  if (v.t === 'seq') {
    const items: PyVal[] = [];
    for (const i of v.items) {
      const f = fallbackOf(i);
      if (!f) return undefined;
      items.push(f);
    }
    return { ...v, items };
  }
  if (v.t === 'dict') {
    const entries: [PyVal, PyVal][] = [];
    for (const [k, x] of v.entries) {
      const fk = fallbackOf(k);
      const fx = fallbackOf(x);
      if (!fk || !fx) return undefined;
      entries.push([fk, fx]);
    }
    return { ...v, entries };
  }
  return v;
}

/** Python truthiness; undefined for values we cannot judge. */
export function truthy(v: KnownPy): boolean | undefined {
  switch (v.t) {
    case 'str':
      return v.v !== '';
    case 'num':
      return v.v !== 0;
    case 'bool':
      return v.v;
    case 'none':
      return false;
    case 'seq':
      return v.items.length > 0;
    case 'dict':
      return v.entries.length > 0;
    case 'absent':
      return undefined;
    default:
      return true;
  }
}

/** Python `==` for the values settings compare. */
export function pyEquals(a: KnownPy, b: KnownPy): boolean | undefined {
  const scalar = (x: KnownPy): string | number | boolean | null | undefined =>
    x.t === 'str' ? x.v : x.t === 'num' ? x.v : x.t === 'bool' ? (x.v ? 1 : 0) : x.t === 'none' ? null : undefined;
  if (a.t === 'seq' && b.t === 'seq') {
    if (a.kind !== b.kind && (a.kind === 'set' || b.kind === 'set' || a.kind !== b.kind)) return false;
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const ai = a.items[i]!;
      const bi = b.items[i]!;
      if (ai.t === 'unknown' || bi.t === 'unknown') return undefined;
      const e = pyEquals(ai, bi);
      if (e !== true) return e;
    }
    return true;
  }
  const sa = scalar(a);
  const sb = scalar(b);
  if (sa === undefined || sb === undefined) return undefined;
  if (a.t === 'str' || b.t === 'str') return a.t === b.t && sa === sb;
  return sa === sb;
}

/** How a value reads in a message. */
export function describePy(v: PyVal): string {
  switch (v.t) {
    case 'str':
      return `'${v.v}'`;
    case 'num':
      return String(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'seq':
      return v.kind === 'tuple' ? `(${v.items.map(describePy).join(', ')})` : `[${v.items.map(describePy).join(', ')}]`;
    case 'unknown':
      return v.reason;
    default:
      return v.t;
  }
}
