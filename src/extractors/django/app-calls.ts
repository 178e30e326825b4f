import type { Loc, OriginEntry, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { Guard, StatementScope } from './evaluate.js';
import type { Node } from './parser.js';
import { nodeLoc } from './parser.js';
import type { KnownPy, Opaque, PyVal } from './values.js';
import { fallbackOf, firstUnknown, opaque } from './values.js';

/**
 * Reading CORS calls in Python application modules (Starlette/FastAPI
 * `add_middleware(CORSMiddleware, ...)`, Flask-CORS `CORS(app, ...)`): the
 * arguments of a call as the evaluator sees them at that statement, option
 * layers merged the way the library merges them, and model values with
 * their defaults. Shared by src/extractors/starlette and src/extractors/flask.
 */

/** One option as written: its value and where its name is (the keyword, the dict key, the config key). */
export interface OptionSource {
  value: PyVal;
  keyLoc: Loc;
}

/**
 * Options from one place (a call's keywords, a config object, a resource
 * dict). `opaque`: a part whose keys cannot be read (`**kwargs` of an unknown
 * dict, `app.config.from_pyfile(...)`): any option it does not name
 * explicitly may be set there.
 */
export interface OptionLayer {
  options: Map<string, OptionSource>;
  opaque?: Opaque;
}

export interface CallArgs {
  positional: PyVal[];
  /** Keyword arguments, `**dict` entries included. */
  keywords: OptionLayer;
}

/** The calls a statement makes, outside nested functions, classes and lambdas; a decorated definition shows its decorators only. */
export function callsIn(stmt: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return;
    if (n.type === 'call') out.push(n);
    for (const c of n.namedChildren) if (c) visit(c);
  };
  if (stmt.type === 'decorated_definition') {
    for (const d of stmt.namedChildren) if (d?.type === 'decorator') visit(d);
  } else visit(stmt);
  return out;
}

/** The arguments of `call`, evaluated in `scope`; `**x` spreads a dict with string keys. */
export function readCallArgs(call: Node, scope: StatementScope): CallArgs {
  const positional: PyVal[] = [];
  const options = new Map<string, OptionSource>();
  let opaqueSplat: Opaque | undefined;
  const args = call.childForFieldName('arguments');
  for (const a of args?.type === 'argument_list' ? args.namedChildren : []) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name');
      const value = a.childForFieldName('value');
      if (name && value) options.set(name.text, { value: scope.ev(value), keyLoc: locOf(scope, name) });
    } else if (a.type === 'dictionary_splat') {
      const inner = a.namedChildren.find((x) => x && x.type !== 'comment');
      const v = inner ? scope.ev(inner) : opaque(a.text, locOf(scope, a));
      const layer = dictLayer(v);
      for (const [k, s] of layer.options) options.set(k, s);
      if (layer.opaque) opaqueSplat = layer.opaque;
    } else if (a.type === 'list_splat') {
      positional.push(opaque(a.text, locOf(scope, a)));
    } else positional.push(scope.ev(a));
  }
  const keywords: OptionLayer = { options };
  if (opaqueSplat) keywords.opaque = opaqueSplat;
  return { positional, keywords };
}

/**
 * A dict value as an option layer: string keys become options (located at
 * the key); an unknown dict is an opaque layer, and when it has a fallback
 * dict its keys are options whose values are unknown with that fallback.
 */
export function dictLayer(v: PyVal): OptionLayer {
  const options = new Map<string, OptionSource>();
  if (v.t === 'dict') {
    for (const [k, x] of v.entries) {
      if (k.t === 'str') options.set(k.v, { value: x, keyLoc: k.loc });
      else if (k.t === 'unknown') return { options, opaque: k };
    }
    return { options };
  }
  if (v.t === 'unknown') {
    const fb = fallbackOf(v);
    if (fb?.t === 'dict') {
      for (const [k, x] of fb.entries) {
        if (k.t === 'str') options.set(k.v, { value: opaque(v.reason, x.loc, x, v.variable), keyLoc: k.loc });
      }
    }
    // Keys missing from the fallback dict are unset in the fallback world; without one nothing is known.
    return { options, opaque: opaque(v.reason, v.loc, fb?.t === 'dict' ? { t: 'absent', loc: v.loc } : undefined, v.variable) };
  }
  return { options, opaque: opaque(`**${v.t}`, v.loc) };
}

/**
 * Later layers win; an opaque layer makes every option it does not name
 * unknown, falling back to what the layers below say (`absent`: unset).
 */
export function mergeLayers(layers: OptionLayer[], names: string[]): Map<string, OptionSource> {
  const out = new Map<string, OptionSource>();
  for (const layer of layers) {
    if (layer.opaque) {
      const o = layer.opaque;
      for (const name of new Set([...names, ...out.keys()])) {
        if (layer.options.has(name)) continue;
        const below = out.get(name);
        const fb: PyVal | undefined = o.fallback?.t === 'absent' ? (below ? fallbackOf(below.value) : { t: 'absent', loc: o.loc }) : undefined;
        out.set(name, { value: opaque(o.reason, below?.value.loc ?? o.loc, fb, o.variable), keyLoc: below?.keyLoc ?? o.loc });
      }
    }
    for (const [k, s] of layer.options) out.set(k, s);
  }
  return out;
}

/**
 * An option as a model value: not written → the library default at
 * `defaultLoc`; an unknown value keeps its fallback, converted (a fallback
 * of "unset" is the default).
 */
export function optionVal<T>(src: OptionSource | undefined, defaultLoc: Loc, dflt: T, conv: (v: KnownPy) => T | undefined, what: string): Val<T> {
  if (!src || src.value.t === 'absent') return known(dflt, defaultLoc, true);
  const v = src.value;
  const u = firstUnknown(v);
  if (!u) {
    const c = conv(v as KnownPy);
    return c === undefined ? unknown(`a value ${what} cannot use`, v.loc) : known(c, v.loc);
  }
  const fb = fallbackOf(v);
  const fallback = fb ? (fb.t === 'absent' ? dflt : conv(fb)) : undefined;
  return unknown(u.reason, v.loc, fallback, u.variable);
}

/**
 * A policy set up inside `if` branches whose condition is unknown: its
 * origins are unknown too, falling back to what is written when every
 * condition's fallback takes the branch, and to "not installed" (`none`)
 * when one of them does not.
 */
export function guardOrigins(origins: Val<OriginEntry[]>, guards: Guard[], loc: Loc): Val<OriginEntry[]> {
  if (!guards.length) return origins;
  const first = guards[0]!;
  const skipped = guards.some((g) => g.takenByFallback === false);
  const taken = guards.every((g) => g.takenByFallback === true);
  const written = origins.known ? origins.value : origins.fallback;
  const fallback = skipped ? [{ kind: 'none' as const, loc }] : taken ? written : undefined;
  const reason = `the CORS setup runs only when ${first.reason} is true`;
  return unknown(reason, origins.loc, fallback, first.variable);
}

/** Strings of a list, tuple or set; a lone string is `[s]` when `single`, else its characters (Python iteration). */
export function stringItems(v: KnownPy, single: 'one' | 'chars'): string[] | undefined {
  if (v.t === 'str') return single === 'one' ? [v.v] : [...v.v];
  if (v.t !== 'seq') return undefined;
  const out: string[] = [];
  for (const i of v.items) {
    if (i.t !== 'str') return undefined;
    out.push(i.v);
  }
  return out;
}

export function locOf(scope: StatementScope, n: Node): Loc {
  return nodeLoc(scope.file, n);
}

/** A qualified name for what the callee or class expression is (`flask_cors.CORS`), if the evaluator knows it. */
export function refName(v: PyVal): string | undefined {
  return v.t === 'ref' ? v.name : undefined;
}
