import type * as ES from 'estree';
import type { Loc } from '../../model/index.js';
import { splitByRegex } from '../../probes/match.js';
import type { FunctionNode, Node } from './ast.js';
import { isFunction, isIdent, locOf, memberName, staticKeyName, unwrap } from './ast.js';
import type { Binding, ScopeInfo } from './scope.js';
import { analyzeScopes } from './scope.js';

/** One parsed module of the linted repository. */
export interface ModuleSource {
  /** Identity for the resolver (an absolute path in the CLI). */
  id: string;
  /** Display path, used in every Loc. */
  file: string;
  program: ES.Program;
  /** The file's text, for messages that quote code. */
  text?: string;
}

/**
 * Finds an import of the same repository: a relative one (`./config/cors`),
 * or a bare one the project's tsconfig/jsconfig `paths`/`baseUrl` map into
 * it (`@lib/cors`, `src/config/cors`). Returns undefined for packages and
 * when the module is missing or does not parse: its values are then unknown.
 */
export type ModuleResolver = (fromId: string, specifier: string) => ModuleSource | undefined;

export interface Mod extends ModuleSource {
  scopes: ScopeInfo;
}

/**
 * `normal` evaluates what the code says; `unset` evaluates it as if every
 * environment variable were unset, which is how the written fallback of
 * `process.env.X || 'd'` (and of `X === 'true'`, `.split` on a default ...)
 * is found.
 */
export type Mode = 'normal' | 'unset';

export interface PropEntry {
  key: string;
  keyLoc: Loc;
  /** Where the value expression is written. */
  valueLoc: Loc;
  value: AV;
}
export interface UnknownSpread {
  unknownSpread: true;
  loc: Loc;
  reason: string;
  vars: string[];
}
export type ObjEntry = PropEntry | UnknownSpread;

/** An abstract value: what an expression evaluates to, as far as it can be known without running it. */
export type AV =
  | { t: 'str'; v: string; loc: Loc }
  | { t: 'num'; v: number; loc: Loc }
  | { t: 'bool'; v: boolean; loc: Loc }
  | { t: 'null'; loc: Loc }
  | { t: 'undef'; loc: Loc }
  | { t: 'regex'; source: string; flags: string; loc: Loc }
  | { t: 'array'; items: AV[]; loc: Loc; set?: boolean }
  | { t: 'object'; entries: ObjEntry[]; loc: Loc }
  | { t: 'func'; fn: FunctionNode; mod: Mod; loc: Loc }
  /** A package export we model: the `cors` function, `express`, `express.Router`, `http.createServer`. */
  | { t: 'pkg'; name: string; loc: Loc }
  /**
   * `express()`, `express.Router()`, `http.createServer()`, and a NestJS
   * application (`await NestFactory.create(...)`; `adapter` says which HTTP
   * library runs it: Nest's `enableCors` is `cors` only on Express).
   */
  | { t: 'app'; kind: 'express' | 'router' | 'server' | 'nest'; loc: Loc; adapter?: 'express' | 'fastify' }
  | { t: 'envobj'; loc: Loc }
  /** `vars`: environment variables it depends on (then the `unset` mode may know its fallback). */
  | { t: 'unknown'; reason: string; loc: Loc; vars: string[] };

export type Unknown = Extract<AV, { t: 'unknown' }>;

const MAX_DEPTH = 200;

export function unknownAV(reason: string, loc: Loc, vars: string[] = []): Unknown {
  return { t: 'unknown', reason, loc, vars };
}

/** JavaScript truthiness; undefined when it cannot be known. */
export function truthy(v: AV): boolean | undefined {
  switch (v.t) {
    case 'str':
      return v.v !== '';
    case 'num':
      return v.v !== 0 && !Number.isNaN(v.v);
    case 'bool':
      return v.v;
    case 'null':
    case 'undef':
      return false;
    case 'unknown':
      return undefined;
    default:
      return true;
  }
}

export function isNullish(v: AV): boolean | undefined {
  if (v.t === 'null' || v.t === 'undef') return true;
  if (v.t === 'unknown') return undefined;
  return false;
}

/** Look a key up in an object value: the last write wins, an unknown spread after it hides it. */
export function lookupKey(obj: Extract<AV, { t: 'object' }>, key: string): PropEntry | UnknownSpread | undefined {
  for (let i = obj.entries.length - 1; i >= 0; i--) {
    const e = obj.entries[i]!;
    if ('unknownSpread' in e) return e;
    if (e.key === key) return e;
  }
  return undefined;
}

function varsOf(...vs: AV[]): string[] {
  const out: string[] = [];
  for (const v of vs) if (v.t === 'unknown') for (const x of v.vars) if (!out.includes(x)) out.push(x);
  return out;
}

/** The JSON value of a known AV (for comparisons); undefined when not a primitive. */
function primitive(v: AV): string | number | boolean | null | undefined | typeof NOT_PRIMITIVE {
  switch (v.t) {
    case 'str':
    case 'num':
    case 'bool':
      return v.v;
    case 'null':
      return null;
    case 'undef':
      return undefined;
    default:
      return NOT_PRIMITIVE;
  }
}
const NOT_PRIMITIVE = Symbol('not primitive');

function fromJson(value: unknown, loc: Loc): AV {
  if (typeof value === 'string') return { t: 'str', v: value, loc };
  if (typeof value === 'number') return { t: 'num', v: value, loc };
  if (typeof value === 'boolean') return { t: 'bool', v: value, loc };
  if (value === null) return { t: 'null', loc };
  if (Array.isArray(value)) return { t: 'array', items: value.map((x) => fromJson(x, loc)), loc };
  if (typeof value === 'object') {
    return { t: 'object', entries: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, keyLoc: loc, valueLoc: loc, value: fromJson(v, loc) })), loc };
  }
  return unknownAV('JSON value', loc);
}

const KNOWN_PACKAGES = new Set(['cors', 'express', 'http', 'https', 'node:http', 'node:https', '@nestjs/core']);

/**
 * Static evaluation of expressions across the modules of one repository.
 * It never runs code: anything it cannot follow becomes an `unknown` value
 * with the reason, and with the environment variables it depends on.
 */
export class Evaluator {
  private readonly memo: Record<Mode, Map<Node, AV>> = { normal: new Map(), unset: new Map() };
  private readonly active: Record<Mode, Set<Node>> = { normal: new Set(), unset: new Set() };
  private readonly activeExports = new Set<string>();
  private readonly activeCalls: Record<Mode, Set<Node>> = { normal: new Set(), unset: new Set() };
  private readonly mods = new Map<string, Mod | null>();
  private readonly exportMemo: Record<Mode, Map<string, AV>> = { normal: new Map(), unset: new Map() };
  private depth = 0;

  /**
   * `packages`: further npm packages whose exports are modelled as `pkg`
   * values — the package itself for its default export (and `.default`),
   * `<package>.<name>` for a named one — so an extractor can recognise its
   * middleware however it is imported (the Fastify and Koa extractors).
   */
  constructor(
    private readonly resolver: ModuleResolver,
    private readonly packages: ReadonlySet<string> = new Set(),
  ) {}

  module(src: ModuleSource): Mod {
    const have = this.mods.get(src.id);
    if (have) return have;
    const mod: Mod = { ...src, scopes: analyzeScopes(src.program) };
    this.mods.set(src.id, mod);
    return mod;
  }

  /** A relative module of the repository, parsed and analysed once. */
  importModule(from: Mod, spec: string): Mod | undefined {
    const key = `${from.id}\u0000${spec}`;
    if (this.mods.has(key)) return this.mods.get(key) ?? undefined;
    let mod: Mod | undefined;
    try {
      const src = this.resolver(from.id, spec);
      mod = src ? this.module(src) : undefined;
    } catch {
      mod = undefined;
    }
    this.mods.set(key, mod ?? null);
    return mod;
  }

  eval(expr: ES.Expression | ES.SpreadElement | ES.Super | ES.PrivateIdentifier, mod: Mod, mode: Mode): AV {
    const e = unwrap(expr);
    const memo = this.memo[mode];
    const hit = memo.get(e);
    if (hit) return hit;
    const loc = locOf(e, mod.file);
    const active = this.active[mode];
    if (active.has(e) || this.depth > MAX_DEPTH) return unknownAV('circular definition', loc);
    active.add(e);
    this.depth++;
    let v: AV;
    try {
      v = this.evalInner(e, mod, mode, loc);
    } finally {
      active.delete(e);
      this.depth--;
    }
    memo.set(e, v);
    return v;
  }

  private evalInner(e: ES.Expression | ES.SpreadElement | ES.Super | ES.PrivateIdentifier, mod: Mod, mode: Mode, loc: Loc): AV {
    switch (e.type) {
      case 'Literal': {
        const lit = e as ES.Literal & { regex?: { pattern: string; flags: string } };
        if (lit.regex) return { t: 'regex', source: lit.regex.pattern, flags: lit.regex.flags, loc };
        if (typeof lit.value === 'string') return { t: 'str', v: lit.value, loc };
        if (typeof lit.value === 'number') return { t: 'num', v: lit.value, loc };
        if (typeof lit.value === 'boolean') return { t: 'bool', v: lit.value, loc };
        if (lit.value === null) return { t: 'null', loc };
        return unknownAV('literal', loc);
      }
      case 'TemplateLiteral': {
        let s = '';
        for (let i = 0; i < e.quasis.length; i++) {
          const cooked = e.quasis[i]!.value.cooked;
          if (cooked === null || cooked === undefined) return unknownAV('template', loc);
          s += cooked;
          const x = e.expressions[i];
          if (x) {
            const v = this.eval(x, mod, mode);
            const p = primitive(v);
            if (p === NOT_PRIMITIVE) return unknownAV(v.t === 'unknown' ? v.reason : 'template value', loc, varsOf(v));
            s += String(p);
          }
        }
        return { t: 'str', v: s, loc };
      }
      case 'Identifier':
        return this.evalIdentifier(e, mod, mode, loc);
      case 'MemberExpression':
        return this.evalMember(e, mod, mode, loc);
      case 'CallExpression':
        return this.evalCall(e, mod, mode, loc);
      case 'NewExpression':
        return this.evalNew(e, mod, mode, loc);
      case 'LogicalExpression': {
        const l = this.eval(e.left, mod, mode);
        if (e.operator === '??') {
          const n = isNullish(l);
          if (n === false) return l;
          if (n === true) return this.eval(e.right, mod, mode);
        } else {
          const t = truthy(l);
          if (t !== undefined) return (e.operator === '||') === t ? l : this.eval(e.right, mod, mode);
        }
        const r = this.eval(e.right, mod, mode);
        return unknownAV(l.t === 'unknown' ? l.reason : 'expression', loc, varsOf(l, r));
      }
      case 'ConditionalExpression': {
        const t = this.eval(e.test, mod, mode);
        const b = truthy(t);
        if (b !== undefined) return this.eval(b ? e.consequent : e.alternate, mod, mode);
        const c = this.eval(e.consequent, mod, mode);
        const a = this.eval(e.alternate, mod, mode);
        return unknownAV(t.t === 'unknown' ? t.reason : 'condition', loc, varsOf(t, c, a));
      }
      case 'BinaryExpression': {
        if (e.left.type === 'PrivateIdentifier') return unknownAV('private field', loc);
        const l = this.eval(e.left, mod, mode);
        const r = this.eval(e.right, mod, mode);
        const pl = primitive(l);
        const pr = primitive(r);
        if (pl === NOT_PRIMITIVE || pr === NOT_PRIMITIVE) {
          if ((e.operator === '===' || e.operator === '!==') && l.t !== 'unknown' && r.t !== 'unknown' && (pl === NOT_PRIMITIVE) !== (pr === NOT_PRIMITIVE)) {
            return { t: 'bool', v: e.operator === '!==', loc };
          }
          return unknownAV(l.t === 'unknown' ? l.reason : r.t === 'unknown' ? r.reason : 'expression', loc, varsOf(l, r));
        }
        switch (e.operator) {
          case '+':
            if (typeof pl === 'string' || typeof pr === 'string') return { t: 'str', v: String(pl) + String(pr), loc };
            if (typeof pl === 'number' && typeof pr === 'number') return { t: 'num', v: pl + pr, loc };
            return unknownAV('expression', loc);
          case '===':
            return { t: 'bool', v: pl === pr, loc };
          case '!==':
            return { t: 'bool', v: pl !== pr, loc };
          case '==':
            return { t: 'bool', v: pl == pr, loc };
          case '!=':
            return { t: 'bool', v: pl != pr, loc };
          case '*':
          case '-':
          case '/':
            if (typeof pl === 'number' && typeof pr === 'number') {
              return { t: 'num', v: e.operator === '*' ? pl * pr : e.operator === '-' ? pl - pr : pl / pr, loc };
            }
            return unknownAV('arithmetic', loc);
          default:
            return unknownAV('expression', loc);
        }
      }
      case 'UnaryExpression': {
        if (e.operator === 'void') return { t: 'undef', loc };
        const a = this.eval(e.argument, mod, mode);
        if (e.operator === '!') {
          const t = truthy(a);
          return t === undefined ? unknownAV(a.t === 'unknown' ? a.reason : 'expression', loc, varsOf(a)) : { t: 'bool', v: !t, loc };
        }
        if (e.operator === '-' && a.t === 'num') return { t: 'num', v: -a.v, loc };
        if (e.operator === '+' && (a.t === 'num' || a.t === 'str')) return { t: 'num', v: Number(a.v), loc };
        if (e.operator === 'typeof' && a.t !== 'unknown') {
          const ty = a.t === 'str' ? 'string' : a.t === 'num' ? 'number' : a.t === 'bool' ? 'boolean' : a.t === 'undef' ? 'undefined' : a.t === 'func' || a.t === 'pkg' ? 'function' : 'object';
          return { t: 'str', v: ty, loc };
        }
        return unknownAV('expression', loc, varsOf(a));
      }
      case 'ArrayExpression': {
        const items: AV[] = [];
        for (const el of e.elements) {
          if (!el) {
            items.push({ t: 'undef', loc });
            continue;
          }
          if (el.type === 'SpreadElement') {
            const s = this.eval(el.argument, mod, mode);
            if (s.t === 'array') items.push(...s.items);
            else if (s.t === 'str') items.push(...[...s.v].map((c) => ({ t: 'str' as const, v: c, loc: s.loc })));
            else return unknownAV(s.t === 'unknown' ? s.reason : 'spread of a non-array', loc, varsOf(s));
          } else items.push(this.eval(el, mod, mode));
        }
        return { t: 'array', items, loc };
      }
      case 'ObjectExpression':
        return this.evalObject(e, mod, mode, loc);
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return { t: 'func', fn: e, mod, loc };
      case 'SequenceExpression':
        return this.eval(e.expressions[e.expressions.length - 1]!, mod, mode);
      case 'AssignmentExpression':
        return e.operator === '=' ? this.eval(e.right, mod, mode) : unknownAV('assignment', loc);
      case 'SpreadElement':
        return this.eval(e.argument, mod, mode);
      case 'AwaitExpression': {
        // `await NestFactory.create(...)` is the application; other promises stay unknown.
        const v = this.eval(e.argument, mod, mode);
        if (v.t === 'pkg' && this.packages.has(v.name)) return v; // `await import('pkg')`: its namespace
        return v.t === 'app' && v.kind === 'nest' ? v : unknownAV('awaited value', loc);
      }
      case 'ImportExpression': {
        // `import('@fastify/cors')`: a promise of the namespace, which Fastify's register accepts as the plugin.
        const spec = e.source.type === 'Literal' && typeof e.source.value === 'string' ? e.source.value : undefined;
        return spec !== undefined && this.packages.has(spec) ? { t: 'pkg', name: spec, loc } : unknownAV('dynamic import', loc);
      }
      default:
        return unknownAV(`${e.type}`, loc);
    }
  }

  private evalObject(e: ES.ObjectExpression, mod: Mod, mode: Mode, loc: Loc): AV {
    const entries: ObjEntry[] = [];
    for (const p of e.properties) {
      if (p.type === 'SpreadElement') {
        const s = this.eval(p.argument, mod, mode);
        if (s.t === 'object') entries.push(...s.entries);
        else if (s.t === 'null' || s.t === 'undef' || s.t === 'bool' || s.t === 'num') continue;
        else if (s.t === 'array') s.items.forEach((v, i) => entries.push({ key: String(i), keyLoc: v.loc, valueLoc: v.loc, value: v }));
        else entries.push({ unknownSpread: true, loc: locOf(p, mod.file), reason: s.t === 'unknown' ? s.reason : 'spread value', vars: varsOf(s) });
        continue;
      }
      let key = staticKeyName(p.key, p.computed);
      if (key === undefined && p.computed) {
        const k = this.eval(p.key, mod, mode);
        if (k.t === 'str' || k.t === 'num') key = String(k.v);
      }
      const keyLoc = locOf(p.key, mod.file);
      if (key === undefined) {
        entries.push({ unknownSpread: true, loc: keyLoc, reason: 'computed key', vars: [] });
        continue;
      }
      const valueNode = p.value as ES.Expression;
      const value: AV = p.kind === 'init' ? this.eval(valueNode, mod, mode) : unknownAV('accessor property', keyLoc);
      entries.push({ key, keyLoc, valueLoc: locOf(valueNode, mod.file), value });
    }
    return { t: 'object', entries, loc };
  }

  private evalIdentifier(e: ES.Identifier, mod: Mod, mode: Mode, loc: Loc): AV {
    const b = mod.scopes.bindingOf(e);
    if (!b) {
      if (e.name === 'undefined') return { t: 'undef', loc };
      if (e.name === 'NaN') return { t: 'num', v: NaN, loc };
      if (e.name === 'Infinity') return { t: 'num', v: Infinity, loc };
      return unknownAV(`global ${e.name}`, loc);
    }
    return this.evalBinding(b, mod, mode, loc);
  }

  evalBinding(b: Binding, mod: Mod, mode: Mode, loc: Loc): AV {
    switch (b.kind) {
      case 'function':
        return b.fn ? { t: 'func', fn: b.fn, mod, loc: locOf(b.fn, mod.file) } : unknownAV('function', loc);
      case 'import':
        return this.evalImport(b, mod, mode, loc);
      case 'param':
        return unknownAV(`parameter ${b.name}`, loc);
      case 'class':
      case 'catch':
        return unknownAV(b.name, loc);
      default: {
        if (b.reassigned) return unknownAV(`${b.name} is reassigned`, loc);
        if (!b.init) return { t: 'undef', loc };
        let v = this.eval(b.init, mod, mode);
        if (b.mutated && v.t !== 'str' && v.t !== 'num' && v.t !== 'bool' && v.t !== 'regex') return unknownAV(`${b.name} is modified after its declaration`, loc);
        if (b.path) v = this.followPath(v, b.path, loc, mode);
        if (b.defaultValue && v.t === 'undef') v = this.eval(b.defaultValue, mod, mode);
        return v;
      }
    }
  }

  private followPath(v: AV, path: NonNullable<Binding['path']>, loc: Loc, mode: Mode): AV {
    let cur = v;
    for (const step of path) {
      if ('rest' in step) return unknownAV('rest element', loc);
      if ('key' in step) cur = this.property(cur, step.key, loc, mode);
      else cur = cur.t === 'array' ? (cur.items[step.index] ?? { t: 'undef', loc }) : cur.t === 'unknown' ? cur : unknownAV('destructured value', loc);
    }
    return cur;
  }

  /** `v.key` */
  property(v: AV, key: string, loc: Loc, mode: Mode = 'normal'): AV {
    switch (v.t) {
      case 'object': {
        const hit = lookupKey(v, key);
        if (!hit) return { t: 'undef', loc };
        if ('unknownSpread' in hit) return unknownAV(hit.reason, hit.loc, hit.vars);
        return hit.value;
      }
      case 'array':
        if (key === 'length') return { t: 'num', v: v.items.length, loc };
        if (/^\d+$/.test(key)) return v.items[Number(key)] ?? { t: 'undef', loc };
        return unknownAV(`array.${key}`, loc);
      case 'str':
        if (key === 'length') return { t: 'num', v: v.v.length, loc };
        return unknownAV(`string.${key}`, loc);
      case 'envobj':
        return mode === 'unset' ? { t: 'undef', loc } : unknownAV(`process.env.${key}`, loc, [key]);
      case 'pkg':
        if (this.packages.has(v.name)) return key === 'default' ? v : { t: 'pkg', name: `${v.name}.${key}`, loc };
        if (v.name === 'cors' && key === 'default') return v;
        if (v.name === 'express' && key === 'default') return v;
        if (v.name === 'express' && key === 'Router') return { t: 'pkg', name: 'express.Router', loc };
        if ((v.name === 'http' || v.name === 'https') && key === 'createServer') return { t: 'pkg', name: 'http.createServer', loc };
        if (v.name === '@nestjs/core' && key === 'NestFactory') return { t: 'pkg', name: 'NestFactory', loc };
        if (v.name === 'NestFactory' && key === 'create') return { t: 'pkg', name: 'NestFactory.create', loc };
        return unknownAV(`${v.name}.${key}`, loc);
      case 'unknown':
        return unknownAV(v.reason, loc, v.vars);
      case 'undef':
      case 'null':
        return unknownAV(`property ${key} of ${v.t === 'null' ? 'null' : 'undefined'} (TypeError)`, loc);
      default:
        return unknownAV(`.${key}`, loc);
    }
  }

  private evalMember(e: ES.MemberExpression, mod: Mod, mode: Mode, loc: Loc): AV {
    if (e.object.type === 'Super') return unknownAV('super', loc);
    const obj = unwrap(e.object);
    // process.env is the environment, unless `process` is a local name.
    if (isIdent(obj, 'process') && !mod.scopes.bindingOf(obj) && memberName(e) === 'env') return { t: 'envobj', loc };
    if (obj.type === 'MetaProperty' && memberName(e) === 'env') return { t: 'envobj', loc };
    let key = memberName(e);
    if (key === undefined && e.computed && e.property.type !== 'PrivateIdentifier') {
      const k = this.eval(e.property, mod, mode);
      if (k.t === 'str' || k.t === 'num') key = String(k.v);
    }
    const o = this.eval(obj, mod, mode);
    if (key === undefined) return unknownAV('computed property', loc, varsOf(o));
    if (o.t === 'envobj') return mode === 'unset' ? { t: 'undef', loc } : unknownAV(`process.env.${key}`, loc, [key]);
    // `a?.b` with a nullish `a` short-circuits to undefined.
    if (e.optional && (o.t === 'undef' || o.t === 'null')) return { t: 'undef', loc };
    return this.property(o, key, loc, mode);
  }

  private evalCall(e: ES.CallExpression, mod: Mod, mode: Mode, loc: Loc): AV {
    const callee = e.callee.type === 'Super' ? undefined : unwrap(e.callee);
    if (!callee) return unknownAV('super()', loc);
    const args = e.arguments;
    if (isIdent(callee, 'require') && !mod.scopes.bindingOf(callee) && args.length === 1) {
      const spec = args[0]!.type === 'SpreadElement' ? undefined : this.eval(args[0] as ES.Expression, mod, mode);
      if (spec?.t === 'str') return this.requireModule(spec.v, mod, mode, loc);
      return unknownAV('dynamic require', loc);
    }
    if (callee.type === 'MemberExpression') {
      const name = memberName(callee);
      if (callee.object.type !== 'Super' && name) {
        const objNode = unwrap(callee.object);
        // Globals with known behaviour.
        if (objNode.type === 'Identifier' && !mod.scopes.bindingOf(objNode)) {
          const g = this.callGlobalMember(objNode.name, name, args, mod, mode, loc);
          if (g) return g;
        }
        const recv = this.eval(objNode, mod, mode);
        if (callee.optional && (recv.t === 'undef' || recv.t === 'null')) return { t: 'undef', loc };
        const m = this.callMethod(recv, name, args, mod, mode, loc);
        if (m) return m;
      }
    }
    const fn = this.eval(callee, mod, mode);
    if (fn.t === 'pkg') {
      if (fn.name === 'express') return { t: 'app', kind: 'express', loc };
      if (fn.name === 'express.Router') return { t: 'app', kind: 'router', loc };
      if (fn.name === 'http.createServer') return { t: 'app', kind: 'server', loc };
      if (fn.name === 'NestFactory.create') return { t: 'app', kind: 'nest', loc, adapter: nestAdapter(e, mod) };
      return unknownAV(`${fn.name}()`, loc);
    }
    if (isIdent(callee) && !mod.scopes.bindingOf(callee)) {
      const g = this.callGlobal(callee.name, args, mod, mode, loc);
      if (g) return g;
    }
    if (fn.t === 'func') return this.callResult(fn, mode, loc);
    return unknownAV('result of a call', loc, varsOf(fn));
  }

  /**
   * What a call to a function of the repository returns (`cors(buildCorsOptions())`,
   * `app.enableCors(corsConfig())`): its `return`s, through `if`s whose
   * condition is known. Parameters stay unknown (one answer for every call
   * site); a condition that is not known makes the result unknown, with the
   * environment variables it depends on, so the `unset` evaluation finds the
   * written fallback. Async functions, generators, loops, `try` and `throw`
   * make it unknown.
   */
  private callResult(f: Extract<AV, { t: 'func' }>, mode: Mode, loc: Loc): AV {
    const fn = f.fn;
    if (fn.async || fn.generator) return unknownAV(fn.async ? 'awaited value' : 'result of a call', loc);
    const active = this.activeCalls[mode];
    if (active.has(fn)) return unknownAV('recursive call', loc);
    active.add(fn);
    try {
      if (fn.body.type !== 'BlockStatement') return this.eval(fn.body, f.mod, mode);
      return this.returned(fn.body.body, f.mod, mode, loc) ?? { t: 'undef', loc };
    } finally {
      active.delete(fn);
    }
  }

  /** The value a statement list returns; undefined when it completes without returning. */
  private returned(stmts: ES.Statement[], mod: Mod, mode: Mode, loc: Loc): AV | undefined {
    for (const st of stmts) {
      switch (st.type) {
        case 'ReturnStatement':
          return st.argument ? this.eval(st.argument, mod, mode) : { t: 'undef', loc };
        case 'BlockStatement': {
          const r = this.returned(st.body, mod, mode, loc);
          if (r) return r;
          break;
        }
        case 'IfStatement': {
          const test = this.eval(st.test, mod, mode);
          const t = truthy(test);
          if (t === undefined) {
            if (!returnsSomewhere(st)) break;
            const branches = [this.returned([st.consequent], mod, mode, loc), st.alternate ? this.returned([st.alternate], mod, mode, loc) : undefined].filter((x): x is AV => !!x);
            return unknownAV(test.t === 'unknown' ? test.reason : 'condition', loc, varsOf(test, ...branches));
          }
          const chosen = t ? st.consequent : st.alternate;
          const r = chosen ? this.returned([chosen], mod, mode, loc) : undefined;
          if (r) return r;
          break;
        }
        case 'VariableDeclaration':
        case 'ExpressionStatement':
        case 'EmptyStatement':
        case 'FunctionDeclaration':
        case 'ClassDeclaration':
          // Local values are read through their bindings when the return needs them.
          break;
        default:
          return unknownAV(st.type === 'ThrowStatement' ? 'throws' : `${st.type} in the function`, loc);
      }
    }
    return undefined;
  }

  private argValues(args: ES.CallExpression['arguments'], mod: Mod, mode: Mode): AV[] {
    return args.map((a) => this.eval(a.type === 'SpreadElement' ? a : (a as ES.Expression), mod, mode));
  }

  private callGlobal(name: string, args: ES.CallExpression['arguments'], mod: Mod, mode: Mode, loc: Loc): AV | undefined {
    const a = this.argValues(args, mod, mode);
    const first = a[0] ?? { t: 'undef' as const, loc };
    switch (name) {
      case 'RegExp':
        return this.makeRegExp(a, loc);
      case 'String':
        if (first.t === 'unknown') return unknownAV(first.reason, loc, first.vars);
        if (first.t === 'regex') return { t: 'str', v: `/${first.source}/${first.flags}`, loc };
        {
          const p = primitive(first);
          return p === NOT_PRIMITIVE ? unknownAV('String()', loc) : { t: 'str', v: String(p), loc };
        }
      case 'Number':
      case 'parseInt':
      case 'parseFloat': {
        if (first.t === 'unknown') return unknownAV(first.reason, loc, first.vars);
        const p = primitive(first);
        if (p === NOT_PRIMITIVE) return unknownAV(`${name}()`, loc);
        const n = name === 'Number' ? Number(p) : name === 'parseInt' ? parseInt(String(p), 10) : parseFloat(String(p));
        return { t: 'num', v: n, loc };
      }
      case 'Boolean': {
        const t = truthy(first);
        return t === undefined ? unknownAV('Boolean()', loc, varsOf(first)) : { t: 'bool', v: t, loc };
      }
      default:
        return undefined;
    }
  }

  private callGlobalMember(obj: string, name: string, args: ES.CallExpression['arguments'], mod: Mod, mode: Mode, loc: Loc): AV | undefined {
    if (obj === 'Object' && (name === 'freeze' || name === 'seal') && args.length === 1) return this.eval(args[0] as ES.Expression, mod, mode);
    if (obj === 'Object' && name === 'assign') {
      const parts = this.argValues(args, mod, mode);
      const entries: ObjEntry[] = [];
      for (const p of parts) {
        if (p.t === 'object') entries.push(...p.entries);
        else if (p.t === 'null' || p.t === 'undef') continue;
        else entries.push({ unknownSpread: true, loc: p.loc, reason: p.t === 'unknown' ? p.reason : 'Object.assign source', vars: varsOf(p) });
      }
      return { t: 'object', entries, loc };
    }
    if (obj === 'JSON' && name === 'parse' && args.length >= 1) {
      const s = this.eval(args[0] as ES.Expression, mod, mode);
      if (s.t === 'str') {
        try {
          return fromJson(JSON.parse(s.v), loc);
        } catch {
          return unknownAV('JSON.parse throws', loc);
        }
      }
      return unknownAV(s.t === 'unknown' ? s.reason : 'JSON.parse', loc, varsOf(s));
    }
    if (obj === 'Array' && name === 'of') return { t: 'array', items: this.argValues(args, mod, mode), loc };
    return undefined;
  }

  private callMethod(recv: AV, name: string, args: ES.CallExpression['arguments'], mod: Mod, mode: Mode, loc: Loc): AV | undefined {
    if (recv.t === 'pkg' || recv.t === 'app' || recv.t === 'func') return undefined;
    const unk = (why: string) => unknownAV(recv.t === 'unknown' ? recv.reason : why, loc, varsOf(recv));
    switch (name) {
      case 'split': {
        if (recv.t === 'undef' || recv.t === 'null') return unknownAV('split of undefined (TypeError)', loc);
        if (recv.t !== 'str') return unk('split');
        const sep = args[0] ? this.eval(args[0] as ES.Expression, mod, mode) : undefined;
        if (!sep) return { t: 'array', items: [recv], loc };
        if (sep.t === 'str') return { t: 'array', items: recv.v.split(sep.v).map((v) => ({ t: 'str' as const, v, loc: recv.loc })), loc };
        if (sep.t === 'regex') {
          // The separator is the user's pattern: split on the probes' linear-time matcher.
          const parts = splitByRegex(recv.v, sep.source, sep.flags);
          if (!parts) return unk('split');
          return { t: 'array', items: parts.map((v): AV => (v === undefined ? { t: 'undef', loc: recv.loc } : { t: 'str', v, loc: recv.loc })), loc };
        }
        return unk('split');
      }
      case 'trim':
      case 'toLowerCase':
      case 'toUpperCase':
        if (recv.t === 'str') return { t: 'str', v: name === 'trim' ? recv.v.trim() : name === 'toLowerCase' ? recv.v.toLowerCase() : recv.v.toUpperCase(), loc: recv.loc };
        return unk(name);
      case 'map':
      case 'filter': {
        if (recv.t !== 'array') return unk(name);
        const f = args[0] ? this.eval(args[0] as ES.Expression, mod, mode) : undefined;
        if (name === 'filter' && f && ((f.t === 'unknown' && f.reason === 'global Boolean') || isIdentityFn(f))) {
          return { t: 'array', items: recv.items.filter((x) => truthy(x) !== false), loc: recv.loc };
        }
        const op = f ? stringMethodFn(f) : undefined;
        if (name === 'map' && op) {
          const items: AV[] = [];
          for (const x of recv.items) {
            if (x.t !== 'str') return unk(name);
            items.push({ t: 'str', v: op === 'trim' ? x.v.trim() : op === 'toLowerCase' ? x.v.toLowerCase() : x.v.toUpperCase(), loc: x.loc });
          }
          return { t: 'array', items, loc: recv.loc };
        }
        return unk(name);
      }
      case 'concat': {
        if (recv.t !== 'array') return unk(name);
        const items = [...recv.items];
        for (const a of this.argValues(args, mod, mode)) {
          if (a.t === 'array') items.push(...a.items);
          else if (a.t === 'unknown') return unknownAV(a.reason, loc, a.vars);
          else items.push(a);
        }
        return { t: 'array', items, loc };
      }
      default:
        return recv.t === 'unknown' ? unk(name) : undefined;
    }
  }

  private evalNew(e: ES.NewExpression, mod: Mod, mode: Mode, loc: Loc): AV {
    const callee = e.callee.type === 'Super' ? undefined : unwrap(e.callee);
    if (callee && isIdent(callee) && !mod.scopes.bindingOf(callee)) {
      const a = this.argValues(e.arguments, mod, mode);
      if (callee.name === 'RegExp') return this.makeRegExp(a, loc);
      if (callee.name === 'Set') {
        const first = a[0];
        if (!first || first.t === 'undef') return { t: 'array', items: [], loc, set: true };
        if (first.t === 'array') return { t: 'array', items: first.items, loc, set: true };
        return unknownAV(first.t === 'unknown' ? first.reason : 'new Set', loc, varsOf(first));
      }
    }
    return unknownAV('constructed object', loc);
  }

  /** `new RegExp('^https://a\\.example\\.com$')`: the parser already cooked the string, so this is the regex the program builds. */
  private makeRegExp(a: AV[], loc: Loc): AV {
    const src = a[0];
    const flags = a[1];
    if (flags && flags.t !== 'str' && flags.t !== 'undef') return unknownAV('RegExp flags', loc, varsOf(flags));
    const fl = flags?.t === 'str' ? flags.v : undefined;
    if (!src || src.t === 'undef') return { t: 'regex', source: '(?:)', flags: fl ?? '', loc };
    if (src.t === 'regex') return { t: 'regex', source: src.source, flags: fl ?? src.flags, loc };
    if (src.t === 'str') {
      try {
        new RegExp(src.v, fl ?? '');
      } catch {
        return unknownAV('invalid RegExp (throws)', loc);
      }
      return { t: 'regex', source: src.v, flags: fl ?? '', loc };
    }
    return unknownAV(src.t === 'unknown' ? src.reason : 'RegExp source', loc, varsOf(src));
  }

  private requireModule(spec: string, mod: Mod, mode: Mode, loc: Loc): AV {
    if (this.packages.has(spec)) return { t: 'pkg', name: spec, loc };
    if (KNOWN_PACKAGES.has(spec)) return { t: 'pkg', name: spec.replace(/^node:/, ''), loc };
    const target = this.importModule(mod, spec);
    // A bare name the resolver does not map into the repository (tsconfig paths) is a package.
    if (!target) return unknownAV(spec.startsWith('.') ? `cannot read '${spec}'` : `require('${spec}')`, loc);
    return this.moduleExports(target, mode, loc);
  }

  private evalImport(b: Binding, mod: Mod, mode: Mode, loc: Loc): AV {
    const source = b.importSource ?? '';
    const imported = b.imported ?? 'default';
    if (this.packages.has(source)) {
      return imported === 'default' || imported === '*' || imported === 'require' ? { t: 'pkg', name: source, loc } : { t: 'pkg', name: `${source}.${imported}`, loc };
    }
    if (KNOWN_PACKAGES.has(source)) {
      const pkg = source.replace(/^node:/, '');
      if (imported === 'default' || imported === '*' || imported === 'require') return { t: 'pkg', name: pkg, loc };
      if (pkg === 'express' && imported === 'Router') return { t: 'pkg', name: 'express.Router', loc };
      if ((pkg === 'http' || pkg === 'https') && imported === 'createServer') return { t: 'pkg', name: 'http.createServer', loc };
      if (pkg === '@nestjs/core' && imported === 'NestFactory') return { t: 'pkg', name: 'NestFactory', loc };
      return unknownAV(`import { ${imported} } from '${source}'`, loc);
    }
    const target = this.importModule(mod, source);
    if (!target) return unknownAV(source.startsWith('.') ? `cannot read '${source}'` : `imported from '${source}'`, loc);
    if (imported === 'require') return this.moduleExports(target, mode, loc);
    if (imported === '*') return this.namespace(target, mode, loc);
    return this.exportOf(target, imported, mode, loc);
  }

  /** What `require()` of the module returns. */
  moduleExports(mod: Mod, mode: Mode, loc: Loc): AV {
    const cjs = this.commonJsExports(mod, mode);
    return cjs ?? this.namespace(mod, mode, loc);
  }

  /** `module.exports = ...` / `exports.x = ...`; undefined when the module does not use them. */
  private commonJsExports(mod: Mod, mode: Mode): AV | undefined {
    const key = `cjs:${mod.id}`;
    const memo = this.exportMemo[mode];
    if (memo.has(key)) return memo.get(key);
    let base: AV | undefined;
    const added: ObjEntry[] = [];
    for (const s of mod.program.body) {
      if (s.type !== 'ExpressionStatement' || s.expression.type !== 'AssignmentExpression' || s.expression.operator !== '=') continue;
      const left = s.expression.left;
      if (left.type !== 'MemberExpression') continue;
      const right = s.expression.right;
      if (isModuleExports(left, mod)) {
        base = this.eval(right, mod, mode);
        added.length = 0;
        continue;
      }
      const name = memberName(left);
      const obj = unwrap(left.object as ES.Expression);
      if (name && ((isIdent(obj, 'exports') && !mod.scopes.bindingOf(obj)) || (obj.type === 'MemberExpression' && isModuleExports(obj, mod)))) {
        added.push({ key: name, keyLoc: locOf(left.property, mod.file), valueLoc: locOf(right, mod.file), value: this.eval(right, mod, mode) });
      }
    }
    let out: AV | undefined;
    if (base && added.length === 0) out = base;
    else if (added.length) {
      const loc = locOf(mod.program, mod.file);
      if (!base) out = { t: 'object', entries: added, loc };
      else if (base.t === 'object') out = { t: 'object', entries: [...base.entries, ...added], loc: base.loc };
      else if (base.t === 'func' || base.t === 'unknown') out = { t: 'object', entries: [{ unknownSpread: true, loc: base.loc, reason: 'module.exports', vars: [] }, ...added], loc };
      else out = base;
    }
    memo.set(key, out as AV);
    return out;
  }

  /** `import * as ns from './m'`: every named export, plus `default`. */
  private namespace(mod: Mod, mode: Mode, loc: Loc): AV {
    const entries: ObjEntry[] = [];
    for (const name of this.exportNames(mod)) {
      const v = this.exportOf(mod, name, mode, loc);
      entries.push({ key: name, keyLoc: v.loc, valueLoc: v.loc, value: v });
    }
    return { t: 'object', entries, loc };
  }

  private exportNames(mod: Mod): string[] {
    const names: string[] = [];
    for (const s of mod.program.body) {
      if (s.type === 'ExportDefaultDeclaration') names.push('default');
      if (s.type === 'ExportNamedDeclaration') {
        if (s.declaration?.type === 'VariableDeclaration') {
          for (const d of s.declaration.declarations) if (d.id.type === 'Identifier') names.push(d.id.name);
        } else if (s.declaration && 'id' in s.declaration && s.declaration.id) names.push(s.declaration.id.name);
        for (const sp of s.specifiers) names.push(sp.exported.type === 'Identifier' ? sp.exported.name : String(sp.exported.value));
      }
    }
    return names;
  }

  /** An ES module export, or the CommonJS equivalent (`default` is module.exports). */
  exportOf(mod: Mod, name: string, mode: Mode, loc: Loc): AV {
    const key = `esm:${mod.id}:${name}`;
    const memo = this.exportMemo[mode];
    const hit = memo.get(key);
    if (hit) return hit;
    const activeKey = `${mode}:${key}`;
    if (this.activeExports.has(activeKey)) return unknownAV('circular import', loc);
    this.activeExports.add(activeKey);
    try {
      const v = this.findExport(mod, name, mode, loc);
      memo.set(key, v);
      return v;
    } finally {
      this.activeExports.delete(activeKey);
    }
  }

  private findExport(mod: Mod, name: string, mode: Mode, loc: Loc): AV {
    const stars: Mod[] = [];
    for (const s of mod.program.body) {
      if (s.type === 'ExportDefaultDeclaration' && name === 'default') {
        const d = s.declaration;
        if (isFunction(d)) return { t: 'func', fn: d, mod, loc: locOf(d, mod.file) };
        if (d.type === 'ClassDeclaration') return unknownAV('class', loc);
        return this.eval(d as ES.Expression, mod, mode);
      }
      if (s.type === 'ExportNamedDeclaration') {
        const d = s.declaration;
        if (d?.type === 'VariableDeclaration') {
          for (const decl of d.declarations) {
            if (decl.id.type === 'Identifier' && decl.id.name === name) {
              const b = mod.scopes.bindingOf(decl.id);
              return b ? this.evalBinding(b, mod, mode, locOf(decl.id, mod.file)) : unknownAV(name, loc);
            }
          }
        } else if (d?.type === 'FunctionDeclaration' && d.id?.name === name) return { t: 'func', fn: d, mod, loc: locOf(d, mod.file) };
        for (const sp of s.specifiers) {
          const exported = sp.exported.type === 'Identifier' ? sp.exported.name : String(sp.exported.value);
          if (exported !== name) continue;
          const local = sp.local.type === 'Identifier' ? sp.local.name : String(sp.local.value);
          if (s.source) {
            const target = this.importModule(mod, String(s.source.value));
            return target ? this.exportOf(target, local, mode, loc) : unknownAV(`cannot read '${String(s.source.value)}'`, loc);
          }
          return sp.local.type === 'Identifier' ? this.eval(sp.local, mod, mode) : unknownAV(name, loc);
        }
      }
      if (s.type === 'ExportAllDeclaration' && !s.exported) {
        const target = this.importModule(mod, String(s.source.value));
        if (target) stars.push(target);
      }
    }
    const cjs = this.commonJsExports(mod, mode);
    if (cjs) return name === 'default' ? cjs : this.property(cjs, name, loc, mode);
    for (const t of stars) {
      const v = this.exportOf(t, name, mode, loc);
      if (v.t !== 'unknown' || v.reason !== `no export ${name}`) return v;
    }
    return unknownAV(`no export ${name}`, loc);
  }
}

/**
 * The HTTP adapter of `NestFactory.create(Module, adapter?, options?)`: a
 * `new FastifyAdapter()` argument (directly or through a constant) or a
 * `<NestFastifyApplication>` type argument means Fastify; anything else runs
 * on Express, Nest's default.
 */
export function nestAdapter(call: ES.CallExpression, mod: Mod): 'express' | 'fastify' {
  const named = (name: string | undefined) => !!name && /fastify/i.test(name);
  const typeArgs = (call as unknown as { typeArguments?: { params?: unknown[] }; typeParameters?: { params?: unknown[] } }).typeArguments ?? (call as unknown as { typeParameters?: { params?: unknown[] } }).typeParameters;
  for (const t of typeArgs?.params ?? []) {
    const ref = t as { type?: string; typeName?: { type?: string; name?: string; right?: { name?: string } } };
    if (ref.type === 'TSTypeReference' && named(ref.typeName?.name ?? ref.typeName?.right?.name)) return 'fastify';
  }
  for (const a of call.arguments.slice(1)) {
    if (a.type === 'SpreadElement') continue;
    let x = unwrap(a);
    if (isIdent(x)) {
      const b = mod.scopes.bindingOf(x);
      if (b && !b.reassigned && b.init) x = unwrap(b.init);
    }
    if (x.type === 'NewExpression') {
      const c = unwrap(x.callee as ES.Expression);
      const name = isIdent(c) ? c.name : c.type === 'MemberExpression' ? memberName(c) : undefined;
      if (named(name)) return 'fastify';
    }
  }
  return 'express';
}

/** Does the statement contain a `return` of its own function (not of a nested one)? */
function returnsSomewhere(st: ES.Statement): boolean {
  let found = false;
  const visit = (n: ES.Node): void => {
    if (found) return;
    if (n.type === 'ReturnStatement') {
      found = true;
      return;
    }
    if (isFunction(n) || n.type === 'ClassDeclaration' || n.type === 'ClassExpression') return;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'loc' || k === 'range' || k === 'parent') continue;
      if (Array.isArray(v)) for (const c of v) if (c && typeof c === 'object' && 'type' in c) visit(c as ES.Node);
      if (v && typeof v === 'object' && 'type' in v && !Array.isArray(v)) visit(v as ES.Node);
    }
  };
  visit(st);
  return found;
}

function isModuleExports(e: ES.MemberExpression, mod: Mod): boolean {
  const obj = unwrap(e.object as ES.Expression);
  return isIdent(obj, 'module') && !mod.scopes.bindingOf(obj) && memberName(e) === 'exports';
}

/** `s => s.trim()` and friends. */
function stringMethodFn(f: AV): 'trim' | 'toLowerCase' | 'toUpperCase' | undefined {
  if (f.t !== 'func' || f.fn.params.length !== 1 || f.fn.params[0]!.type !== 'Identifier') return undefined;
  const p = f.fn.params[0].name;
  let body: ES.Node = f.fn.body;
  if (body.type === 'BlockStatement') {
    const only = body.body.length === 1 ? body.body[0] : undefined;
    if (only?.type !== 'ReturnStatement' || !only.argument) return undefined;
    body = only.argument;
  }
  body = unwrap(body as ES.Expression);
  if (body.type !== 'CallExpression' || body.arguments.length !== 0 || body.callee.type !== 'MemberExpression') return undefined;
  const name = memberName(body.callee);
  if (!isIdent(unwrap(body.callee.object as ES.Expression), p)) return undefined;
  return name === 'trim' || name === 'toLowerCase' || name === 'toUpperCase' ? name : undefined;
}

function isIdentityFn(f: AV): boolean {
  if (f.t !== 'func' || f.fn.params.length !== 1 || f.fn.params[0]!.type !== 'Identifier') return false;
  const body = f.fn.body.type === 'BlockStatement' ? undefined : unwrap(f.fn.body);
  return !!body && isIdent(body, f.fn.params[0].name);
}
