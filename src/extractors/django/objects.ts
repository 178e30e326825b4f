import type { Loc } from '../../model/index.js';
import type { Node } from './parser.js';
import type { Args } from './calls.js';
import type { PyObject, PyVal } from './values.js';
import { fallbackOf, opaque } from './values.js';

/**
 * Classes and objects as application modules use them for configuration:
 * a pydantic `BaseSettings` class whose instance (`settings = Settings()`)
 * holds the CORS origins, a Flask config class handed to
 * `app.config.from_object(Config)`. A class is the names its body assigns;
 * an instance of a settings class reads each field from the environment.
 */

const SETTINGS_BASE = /(^|\.)BaseSettings$/;

export function classObject(cls: string, bases: PyVal[], own: Map<string, PyVal>, fields: string[], loc: Loc): PyObject {
  const attrs = new Map<string, PyVal>();
  const allFields = new Set<string>();
  let settings = false;
  let inheritedPrefix: string | undefined;
  // The first base wins over later ones (Python's MRO for simple hierarchies), the body over all.
  for (const b of [...bases].reverse()) {
    if (b.t === 'ref' && SETTINGS_BASE.test(b.name)) settings = true;
    if (b.t !== 'object' || b.kind !== 'class') continue;
    for (const [k, v] of b.attrs) attrs.set(k, v);
    for (const f of b.fields ?? []) allFields.add(f);
    if (b.envPrefix !== undefined) {
      settings = true;
      inheritedPrefix = b.envPrefix;
    }
  }
  for (const [k, v] of own) attrs.set(k, v);
  for (const f of fields) allFields.add(f);
  const obj: PyObject = { t: 'object', cls, kind: 'class', attrs, loc, fields: [...allFields] };
  if (settings) obj.envPrefix = envPrefixOf(own) ?? inheritedPrefix ?? '';
  return obj;
}

/** pydantic v2 `model_config = SettingsConfigDict(env_prefix='APP_')`, v1 `class Config: env_prefix = 'APP_'`. */
function envPrefixOf(own: Map<string, PyVal>): string | undefined {
  const mc = own.get('model_config');
  if (mc?.t === 'dict') {
    for (const [k, v] of mc.entries) if (k.t === 'str' && k.v === 'env_prefix' && v.t === 'str') return v.v;
  }
  const cfg = own.get('Config');
  const p = cfg?.t === 'object' ? cfg.attrs.get('env_prefix') : undefined;
  return p?.t === 'str' ? p.v : undefined;
}

/** Names of a settings class that are configuration, not its machinery. */
function isField(obj: PyObject, k: string): boolean {
  if (k.startsWith('_') || k === 'model_config' || k === 'Config') return false;
  return obj.fields ? obj.fields.includes(k) : true;
}

/**
 * `Settings()`: for a pydantic settings class each field is unknown — the
 * environment variable `envPrefix + NAME` may set it — with the class default
 * as fallback (a field without default has none). Keyword arguments naming a
 * field set it. Any other class gives an instance with the class's names.
 */
export function instantiate(cls: PyObject, args: Args, loc: Loc): PyVal {
  if (cls.envPrefix === undefined) return { ...cls, kind: 'instance', attrs: new Map(cls.attrs), loc };
  const attrs = new Map(cls.attrs);
  const short = cls.cls.split('.').pop()!;
  for (const k of cls.fields ?? []) {
    if (!isField(cls, k)) continue;
    const explicit = args.keywords.get(k);
    if (explicit) {
      attrs.set(k, explicit);
      continue;
    }
    const v = cls.attrs.get(k);
    const variable = `${cls.envPrefix}${k}`;
    const at = v?.loc ?? cls.loc;
    const fb = v && v.t !== 'absent' ? fallbackOf(v) : undefined;
    attrs.set(k, opaque(`${short}().${k} (environment variable ${variable})`, at, fb, variable));
  }
  const inst: PyObject = { ...cls, kind: 'instance', attrs, loc };
  return inst;
}

/** Lambdas keep a syntax tree that is freed with their module: past it they are unknown. */
export function portableAttrs(obj: PyObject, seen = new Set<PyObject>()): void {
  if (seen.has(obj)) return;
  seen.add(obj);
  for (const [k, v] of obj.attrs) {
    if (v.t === 'lambda') obj.attrs.set(k, opaque(`function ${k}`, v.loc));
    else if (v.t === 'object') portableAttrs(v, seen);
  }
}

export function attributeOf(obj: PyObject, attr: string, text: string, loc: Loc): PyVal {
  const v = obj.attrs.get(attr);
  if (!v || v.t === 'absent') return opaque(text, loc);
  return v;
}

/** `@lru_cache` / `@functools.cache` on a helper: calling it still returns what its body returns. */
export function onlyCacheDecorators(decorated: Node): boolean {
  const decorators = decorated.namedChildren.filter((d) => d?.type === 'decorator');
  return decorators.length > 0 && decorators.every((d) => /^@\s*(functools\s*\.\s*)?(lru_cache|cache)\b/.test(d!.text));
}

/**
 * pydantic's `Field(default)` / `Field(default=...)` in a settings class is
 * the default; `SettingsConfigDict(...)` / `ConfigDict(...)` are dicts.
 */
export function pydanticCall(name: string, a: Args, loc: Loc): PyVal | undefined {
  if (!/^pydantic(_settings)?(\.[\w.]+)?\.(Field|SettingsConfigDict|ConfigDict)$/.test(name)) return undefined;
  if (name.endsWith('.Field')) return a.keywords.get('default') ?? a.positional[0] ?? opaque('Field() without a default', loc);
  const entries: [PyVal, PyVal][] = [...a.keywords].map(([k, v]) => [{ t: 'str', v: k, loc }, v]);
  return { t: 'dict', entries, loc };
}
