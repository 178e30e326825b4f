import type { Parser } from 'web-tree-sitter';
import type { Loc } from '../../model/index.js';
import { ParseError } from '../../model/index.js';
import { expandInclude, resolveModule } from './modules.js';
import type { Node } from './parser.js';
import { nodeLoc, withTree } from './parser.js';
import type { Args, Invoke } from './calls.js';
import { callBuiltin, callMethod, callRef, constantRef } from './calls.js';
import { cookFStringSegment, cookLiteral, splitLiteral } from './strings.js';
import { attributeOf, classObject, instantiate, onlyCacheDecorators, portableAttrs } from './objects.js';
import type { FuncParam, KnownPy, Opaque, PyVal } from './values.js';
import { bool, fallbackOf, firstUnknown, lift, none, num, opaque, pyEquals, seq, str, truthy } from './values.js';

/** One top-level name of a settings module and the statement that gave it its value. */
export interface Binding {
  value: PyVal;
  /** The statement (assignment, `+=`, `.append(...)`), in the file that wrote it. */
  stmt: Loc;
  /** The name on the left-hand side. */
  nameLoc: Loc;
}

export interface ModuleResult {
  absPath: string;
  env: Map<string, Binding>;
  /** Names read as values anywhere in this module or what it pulls in: helper variables, not settings. */
  reads: Set<string>;
  /** Every repository file evaluated into this module (star imports, includes), transitively. */
  deps: Set<string>;
}

export interface EvalHost {
  root: string;
  parser: Parser;
  read(absPath: string): string | undefined;
  display(absPath: string): string;
  /**
   * Application extractors (Starlette, Flask) model some library calls
   * themselves: `flask_cors.CORS(...)` becomes an object that remembers its
   * options. undefined → the evaluator's own answer.
   */
  construct?(name: string, args: Args, loc: Loc): PyVal | undefined;
}

/** A condition an observed statement runs under that could not be decided. */
export interface Guard {
  reason: string;
  variable?: string;
  /** Whether the branch runs when the condition's variables are unset; undefined without a fallback. */
  takenByFallback?: boolean;
}

/** What an observer (see `observe`) gets with each statement. */
export interface StatementScope {
  file: string;
  absPath: string;
  /** Evaluate an expression of the statement in the namespace it runs in, right before it runs. */
  ev(n: Node): PyVal;
  /** The function whose body the statement is in (`create_app`); undefined at module level. */
  fn?: string;
  /** Undecided `if` conditions around the statement, outermost first. */
  guards: Guard[];
}

export type StatementObserver = (stmt: Node, scope: StatementScope) => void;

interface ExecState {
  file: string;
  absPath: string;
  env: Map<string, Binding>;
  reads: Set<string>;
  deps: Set<string>;
  /** An import of a repository module failed inside the current `try` body. */
  importFailed: boolean;
  /** Environment defaults set with os.environ.setdefault. */
  envDefaults: Map<string, PyVal>;
  /** Lines above the parsed text in its file: a function's source is parsed on its own when it is called. */
  lineOffset?: number;
  /** Set by `observe` for the module it reads (not for what it imports). */
  observer?: StatementObserver;
  fn?: string;
  guards?: Guard[];
}

/** Statements an observer is shown; compound statements show their inner statements one by one. */
const OBSERVED = new Set(['expression_statement', 'return_statement', 'decorated_definition']);

type Locals = Map<string, PyVal> | undefined;

const BUILTINS = new Set(['bool', 'int', 'float', 'str', 'list', 'tuple', 'set', 'len', 'sorted', 'dict', 'frozenset']);
const MUTATORS = new Set(['append', 'extend', 'insert', 'remove', 'clear']);

/**
 * Reads a settings module top to bottom the way Python would execute it, but
 * only as far as values can be known without running anything: assignments,
 * list mutations, star imports of repository modules, split-settings
 * includes, `if` on known conditions. Everything else becomes `unknown`.
 */
export class SettingsEvaluator {
  private readonly cache = new Map<string, ModuleResult | 'pending'>();
  /** Modules being evaluated, outermost first. */
  private readonly stack: string[] = [];
  /**
   * Modules whose evaluation met an import cycle below the module that started
   * it: read as a dependency of that module, they miss what the cycle cut off,
   * so their result is not kept for when they are linted themselves (which
   * module is read first must not change the answer).
   */
  private readonly cutByCycle = new Set<string>();

  constructor(private readonly host: EvalHost) {}

  /** Evaluate one module; a syntax error in it is thrown as ParseError. */
  evaluate(absPath: string, text: string): ModuleResult {
    const cached = this.cache.get(absPath);
    if (cached && cached !== 'pending') return cached;
    this.cache.set(absPath, 'pending');
    const st = this.freshState(absPath);
    this.stack.push(absPath);
    try {
      withTree(this.host.parser, text, st.file, (root) => this.execBlock(root.namedChildren, st));
    } catch (e) {
      this.cache.delete(absPath);
      this.cutByCycle.delete(absPath);
      throw e;
    } finally {
      this.stack.pop();
    }
    // Functions defined in a module cannot travel: their syntax tree is gone.
    for (const [k, b] of st.env) if (b.value.t === 'lambda') st.env.set(k, { ...b, value: opaque(`function ${k}`, b.stmt) });
    for (const b of st.env.values()) if (b.value.t === 'object') portableAttrs(b.value);
    const result: ModuleResult = { absPath, env: st.env, reads: st.reads, deps: st.deps };
    if (this.cutByCycle.delete(absPath)) this.cache.delete(absPath);
    else this.cache.set(absPath, result);
    return result;
  }

  /**
   * Run an application module (Starlette, Flask) the way `evaluate` runs a
   * settings module, showing `observer` each statement, with the namespace as
   * it is right before the statement runs. Function bodies (`create_app()`)
   * are run too, once, with their parameters unknown, so calls inside them
   * are shown with their locals. Modules it imports are read as usual and not
   * observed; nothing is cached. A syntax error is thrown as ParseError.
   */
  observe(absPath: string, text: string, observer: StatementObserver): ModuleResult {
    const st: ExecState = { ...this.freshState(absPath), observer, guards: [] };
    withTree(this.host.parser, text, st.file, (root) => this.execBlock(root.namedChildren, st));
    return { absPath, env: st.env, reads: st.reads, deps: st.deps };
  }

  private freshState(absPath: string): ExecState {
    return {
      file: this.host.display(absPath),
      absPath,
      env: new Map(),
      reads: new Set(),
      deps: new Set(),
      importFailed: false,
      envDefaults: new Map(),
    };
  }

  private scopeOf(st: ExecState): StatementScope {
    const scope: StatementScope = { file: st.file, absPath: st.absPath, ev: (n) => this.ev(n, st, undefined), guards: st.guards ?? [] };
    if (st.fn) scope.fn = st.fn;
    return scope;
  }

  /**
   * A class body, run like a module body in a namespace of its own: its
   * names become the class's attributes (after those of the base classes it
   * defines). Instances of a pydantic `BaseSettings` class read their fields
   * from the environment (see objects.ts).
   */
  private defineClass(def: Node, st: ExecState, name: string): PyVal {
    const bases: PyVal[] = [];
    for (const b of def.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (b && b.type !== 'keyword_argument' && b.type !== 'comment') bases.push(this.ev(b, st, undefined));
    }
    const inner: ExecState = { ...st, env: new Map(st.env), observer: undefined, guards: undefined, fn: undefined, importFailed: false };
    const before = new Map(inner.env);
    const body = def.childForFieldName('body');
    if (body) this.execBlock(body.namedChildren, inner);
    const own = new Map<string, PyVal>();
    for (const [k, b] of inner.env) if (before.get(k) !== b) own.set(k, b.value);
    const fields: string[] = [];
    for (const stmt of body?.namedChildren ?? []) {
      const a = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
      if (!a || left?.type !== 'identifier') continue;
      fields.push(left.text);
      // `CORS_ORIGINS: list[str]` without a value: a required field.
      if (!a.childForFieldName('right') && !own.has(left.text)) own.set(left.text, { t: 'absent', loc: this.loc(st, a) });
    }
    const module = this.host.display(st.absPath).replace(/\.py$/, '').replace(/\//g, '.');
    return classObject(`${module}.${name}`, bases, own, fields, this.loc(st, def));
  }

  /** An observed module's `def`: its body runs in a namespace of its own, parameters unknown. */
  private observeFunction(def: Node, st: ExecState, name: string): void {
    const body = def.childForFieldName('body');
    if (!body) return;
    const inner: ExecState = { ...st, env: new Map(st.env), fn: name, importFailed: false };
    for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
      if (!p) continue;
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier'));
      if (id?.type === 'identifier') this.bind(inner, id.text, opaque(`parameter ${id.text} of ${name}()`, this.loc(inner, id)), p, id);
    }
    this.execBlock(body.namedChildren, inner);
  }

  /** Evaluate an imported module; undefined when it is missing, unparsable or part of an import cycle. */
  private evaluateImport(absPath: string): ModuleResult | undefined {
    const cached = this.cache.get(absPath);
    if (cached === 'pending') {
      for (const m of this.stack.slice(this.stack.indexOf(absPath) + 1)) this.cutByCycle.add(m);
      return undefined;
    }
    if (cached) return cached;
    const text = this.host.read(absPath);
    if (text === undefined) return undefined;
    try {
      return this.evaluate(absPath, text);
    } catch (e) {
      if (e instanceof ParseError) return undefined;
      throw e;
    }
  }

  // ---------------------------------------------------------------- statements

  private execBlock(stmts: (Node | null)[], st: ExecState): void {
    for (const s of stmts) if (s) this.exec(s, st);
  }

  private exec(s: Node, st: ExecState): void {
    if (st.observer && OBSERVED.has(s.type)) st.observer(s, this.scopeOf(st));
    switch (s.type) {
      case 'expression_statement':
        for (const e of s.namedChildren) if (e) this.execExpression(e, s, st);
        return;
      case 'import_statement':
        return this.execImport(s, st);
      case 'import_from_statement':
        return this.execFromImport(s, st);
      case 'if_statement':
        return this.execIf(s, st);
      case 'try_statement':
        return this.execTry(s, st);
      case 'with_statement': {
        const body = s.childForFieldName('body');
        if (body) this.execBlock(body.namedChildren, st);
        return;
      }
      case 'for_statement':
      case 'while_statement':
        return this.forgetAssigned(s, st, 'assigned in a loop');
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition': {
        const def = s.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
        const name = def?.childForFieldName('name');
        if (def && name && st.observer && def.type === 'function_definition') this.observeFunction(def, st, name.text);
        if (def?.type === 'class_definition' && name) return this.bind(st, name.text, this.defineClass(def, st, name.text), s, name);
        // A helper it can follow is kept (also behind @lru_cache); any other function is unknown when used.
        const f = def?.type === 'function_definition' && (s === def || onlyCacheDecorators(s)) ? this.defineFunction(def, st) : undefined;
        if (f && name) return this.bind(st, name.text, f, s, name);
        if (name) this.bind(st, name.text, opaque(`${name.text} (defined in code)`, this.loc(st, s)), s, name);
        return;
      }
      case 'delete_statement':
        for (const t of s.namedChildren) {
          const names = t?.type === 'expression_list' ? t.namedChildren : [t];
          for (const n of names) if (n?.type === 'identifier') this.bind(st, n.text, { t: 'absent', loc: this.loc(st, s) }, s, n);
        }
        return;
      default:
        return;
    }
  }

  private execExpression(e: Node, stmt: Node, st: ExecState): void {
    if (e.type === 'assignment') return this.execAssign(e, stmt, st);
    if (e.type === 'augmented_assignment') return this.execAugAssign(e, stmt, st);
    if (e.type === 'call') return this.execCallStatement(e, stmt, st);
  }

  private execAssign(a: Node, stmt: Node, st: ExecState): void {
    const targets: Node[] = [];
    let cur: Node | null = a;
    while (cur && cur.type === 'assignment') {
      const left = cur.childForFieldName('left');
      if (left) targets.push(left);
      const right = cur.childForFieldName('right');
      if (!right) return; // `X: int` declares without assigning
      if (right.type !== 'assignment') {
        const value = this.ev(right, st, undefined);
        for (const t of targets) this.assignTarget(t, value, stmt, st);
        return;
      }
      cur = right;
    }
  }

  private assignTarget(t: Node, value: PyVal, stmt: Node, st: ExecState): void {
    if (t.type === 'identifier') return this.bind(st, t.text, value, stmt, t);
    if (['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list'].includes(t.type)) {
      const targets = t.namedChildren.filter((x): x is Node => !!x);
      const items = value.t === 'seq' && value.items.length === targets.length ? value.items : undefined;
      targets.forEach((sub, i) => {
        const v = items ? items[i]! : opaque(`unpacked from ${value.t === 'unknown' ? value.reason : 'a value'}`, this.loc(st, sub));
        this.assignTarget(sub, v, stmt, st);
      });
    }
    // Attribute and item targets (`os.environ['X'] = ...`) bind no module name.
  }

  private execAugAssign(a: Node, stmt: Node, st: ExecState): void {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    const op = a.childForFieldName('operator')?.text;
    if (!left || !right || left.type !== 'identifier' || !op) return;
    const prev = this.readName(left.text, st, undefined, this.loc(st, left));
    const rhs = this.ev(right, st, undefined);
    const loc = this.loc(st, stmt);
    const binop = op.slice(0, -1);
    const value = lift([prev, rhs], prev.loc, ([x, y]) => {
      // `+=` on a list extends it in place with any iterable; on tuples and strings it concatenates.
      if (binop === '+' && x!.t === 'seq' && x!.kind === 'list') {
        const more = iterate(y!);
        return more ? seq('list', [...x!.items, ...more], x!.loc) : opaque('list += non-iterable', loc);
      }
      return binaryOp(binop, x!, y!, x!.loc);
    });
    this.rebind(st, left.text, value, stmt, left);
  }

  /** Top-level `X.append(...)` and friends, and split-settings `include(...)`. */
  private execCallStatement(c: Node, stmt: Node, st: ExecState): void {
    const fn = c.childForFieldName('function');
    const args = c.childForFieldName('arguments');
    if (!fn || !args) return;
    if (fn.type === 'attribute') {
      const obj = fn.childForFieldName('object');
      const attr = fn.childForFieldName('attribute')?.text ?? '';
      if (obj?.type === 'identifier' && MUTATORS.has(attr) && st.env.has(obj.text)) {
        const prev = this.readName(obj.text, st, undefined, this.loc(st, obj));
        const { positional } = this.evalArgs(args, st, undefined);
        const loc = this.loc(st, stmt);
        const value = lift([prev, ...positional], prev.loc, ([x, ...a]) => mutate(x!, attr, a, loc));
        this.rebind(st, obj.text, value, stmt, obj);
        return;
      }
    }
    const callee = this.ev(fn, st, undefined);
    if (callee.t === 'ref' && callee.name === 'split_settings.tools.include') this.execInclude(args, st);
    if (callee.t === 'ref' && callee.name === 'os.environ.setdefault') {
      // `os.environ.setdefault('DJANGO_ENV', 'development')`: later lookups of it fall back to that.
      const { positional } = this.evalArgs(args, st, undefined);
      const [k, d] = positional;
      if (k?.t === 'str' && d && !st.envDefaults.has(k.v)) st.envDefaults.set(k.v, d);
    }
  }

  private execInclude(args: Node, st: ExecState): void {
    const items: PyVal[] = [];
    for (const a of args.namedChildren) {
      if (!a || a.type === 'comment' || a.type === 'keyword_argument') continue;
      if (a.type === 'list_splat') {
        // include(*_base_settings)
        const inner = this.ev(a.namedChildren[0]!, st, undefined);
        const more = iterate(inner);
        if (more) items.push(...more);
        continue;
      }
      items.push(this.ev(a, st, undefined));
    }
    const exists = (p: string) => this.host.read(p) !== undefined;
    for (const item of items) {
      const optional = item.t === 'optional';
      const pattern = item.t === 'optional' ? item.path : item;
      if (pattern.t === 'str') {
        const files = expandInclude(pattern.v, st.absPath, exists);
        if (!files.length && !optional) st.importFailed = true;
        for (const f of files) this.execInto(f, st);
        continue;
      }
      // f'environments/{ENV}.py': only the file the variable's fallback names can be followed, as a
      // branch taken when the variable is unset (DJANGO_ENV=production picks another file).
      const fb = pattern.t === 'unknown' ? fallbackOf(pattern) : undefined;
      if (pattern.t !== 'unknown' || !fb || fb.t !== 'str') continue;
      const alt: ExecState = { ...st, env: new Map(st.env) };
      for (const f of expandInclude(fb.v, st.absPath, exists)) this.execInto(f, alt);
      this.merge(st, alt.env, st.env, pattern.reason, pattern.variable, true);
    }
  }

  /** split-settings runs included files in the including module's namespace. */
  private execInto(absPath: string, st: ExecState): void {
    if (absPath === st.absPath || st.deps.has(absPath)) return;
    const text = this.host.read(absPath);
    if (text === undefined) return;
    st.deps.add(absPath);
    const inner: ExecState = { ...st, file: this.host.display(absPath), absPath };
    try {
      withTree(this.host.parser, text, inner.file, (root) => this.execBlock(root.namedChildren, inner));
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
    }
    if (inner.importFailed) st.importFailed = true;
  }

  private execImport(s: Node, st: ExecState): void {
    for (const n of s.namedChildren) {
      if (!n) continue;
      if (n.type === 'dotted_name') {
        const first = n.namedChildren[0]?.text;
        if (first) this.bind(st, first, { t: 'ref', name: first, loc: this.loc(st, n) }, s, n);
      } else if (n.type === 'aliased_import') {
        const name = n.childForFieldName('name')?.text;
        const alias = n.childForFieldName('alias');
        if (name && alias) this.bind(st, alias.text, { t: 'ref', name, loc: this.loc(st, n) }, s, alias);
      }
    }
  }

  private execFromImport(s: Node, st: ExecState): void {
    const modNode = s.childForFieldName('module_name');
    if (!modNode) return;
    const spec = modNode.text.replace(/\s+/g, '');
    const isStar = s.namedChildren.some((c) => c?.type === 'wildcard_import');
    const names = s.childrenForFieldName('name').filter((x): x is Node => !!x);
    const target = resolveModule(spec, st.absPath, this.host.root, (p) => this.host.read(p) !== undefined);
    const local = spec.startsWith('.') || target !== undefined;
    const mod = target && target !== st.absPath ? this.evaluateImport(target) : undefined;
    if (local && !mod) {
      // A repository module that is not there (a git-ignored local_settings.py) or cannot be read.
      st.importFailed = true;
      if (!isStar) for (const n of names) this.bindImported(n, st, s, () => undefined, spec);
      return;
    }
    if (mod) {
      st.deps.add(mod.absPath);
      for (const d of mod.deps) st.deps.add(d);
      for (const r of mod.reads) st.reads.add(r);
      if (isStar) {
        const all = mod.env.get('__all__')?.value;
        const exported = all && all.t === 'seq' ? all.items.flatMap((i) => (i.t === 'str' ? [i.v] : [])) : undefined;
        for (const [k, b] of mod.env) {
          if (exported ? !exported.includes(k) : k.startsWith('_')) continue;
          if (b.value.t === 'absent') st.env.delete(k);
          else st.env.set(k, b);
        }
      } else {
        for (const n of names) this.bindImported(n, st, s, (k) => mod.env.get(k), spec);
      }
      return;
    }
    // A library: remember what the names are, for os.environ, decouple, environ, split_settings.
    const lib = spec.replace(/^\.+/, '');
    for (const n of names) {
      const orig = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
      const alias = n.type === 'aliased_import' ? n.childForFieldName('alias') : n;
      if (!orig || !alias) continue;
      const name = `${lib}.${orig}`;
      this.bind(st, alias.text, constantRef(name, this.loc(st, n)) ?? { t: 'ref', name, loc: this.loc(st, n) }, s, alias);
    }
  }

  private bindImported(n: Node, st: ExecState, s: Node, get: (k: string) => Binding | undefined, spec: string): void {
    const orig = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
    const alias = n.type === 'aliased_import' ? n.childForFieldName('alias') : n;
    if (!orig || !alias) return;
    const b = get(orig);
    if (b && b.value.t !== 'absent') st.env.set(alias.text, b);
    else this.bind(st, alias.text, opaque(`${orig} from ${spec}`, this.loc(st, n)), s, alias);
  }

  private execIf(s: Node, st: ExecState): void {
    const cond = s.childForFieldName('condition');
    const body = s.childForFieldName('consequence');
    if (!cond || !body) return;
    const alternatives = s.childrenForFieldName('alternative').filter((x): x is Node => !!x);
    this.execBranches(cond, body, alternatives, st);
  }

  private execBranches(cond: Node, body: Node, alternatives: Node[], st: ExecState): void {
    const c = this.ev(cond, st, undefined);
    const runElse = (into: ExecState) => {
      const [first, ...rest] = alternatives;
      if (!first) return;
      if (first.type === 'else_clause') {
        const b = first.childForFieldName('body');
        if (b) this.execBlock(b.namedChildren, into);
        return;
      }
      const ec = first.childForFieldName('condition');
      const eb = first.childForFieldName('consequence');
      if (ec && eb) this.execBranches(ec, eb, rest, into);
    };
    const decided = c.t === 'unknown' ? undefined : truthy(c);
    if (decided === true) return this.execBlock(body.namedChildren, st);
    if (decided === false) return runElse(st);

    // Unknown condition: run both branches and keep, for each name they bind differently,
    // an unknown value whose fallback is the branch the condition's fallback selects.
    const fb = c.t === 'unknown' ? fallbackOf(c) : undefined;
    const fbTruth = fb ? truthy(fb) : undefined;
    const reason = c.t === 'unknown' ? c.reason : `the condition \`${cond.text}\``;
    const variable = c.t === 'unknown' ? c.variable : undefined;
    const guarded = (taken: boolean | undefined): Guard[] | undefined => {
      if (!st.observer) return st.guards;
      const g: Guard = { reason };
      if (variable !== undefined) g.variable = variable;
      if (taken !== undefined) g.takenByFallback = taken;
      return [...(st.guards ?? []), g];
    };
    const thenSt: ExecState = { ...st, env: new Map(st.env), guards: guarded(fbTruth) };
    const elseSt: ExecState = { ...st, env: new Map(st.env), guards: guarded(fbTruth === undefined ? undefined : !fbTruth) };
    this.execBlock(body.namedChildren, thenSt);
    runElse(elseSt);
    this.merge(st, thenSt.env, elseSt.env, reason, variable, fbTruth);
    if (thenSt.importFailed || elseSt.importFailed) st.importFailed = true;
  }

  /**
   * Two namespaces the module may end up with: each name they bind
   * differently becomes unknown, with the fallback of the one `fbTruth`
   * selects (true → `a`; undefined → no fallback). A name only one of them
   * binds falls back to "unset" (the setting's default).
   */
  private merge(st: ExecState, a: Map<string, Binding>, b: Map<string, Binding>, reason: string, variable: string | undefined, fbTruth: boolean | undefined): void {
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(k);
      const y = b.get(k);
      if (x === y) {
        if (x) st.env.set(k, x);
        continue;
      }
      const pick = fbTruth === undefined ? undefined : fbTruth ? x : y;
      // Located where the value the fallback world uses is written: a finding about it must point there.
      const shown = pick ?? (x !== st.env.get(k) && x ? x : y!);
      const chosen: PyVal | undefined = fbTruth === undefined ? undefined : pick ? pick.value : { t: 'absent', loc: shown.stmt };
      const fallback = chosen ? (chosen.t === 'absent' ? chosen : fallbackOf(chosen)) : undefined;
      st.env.set(k, { ...shown, value: opaque(`${k} depends on ${reason}`, shown.value.loc, fallback, variable) });
    }
  }

  private execTry(s: Node, st: ExecState): void {
    const body = s.childForFieldName('body');
    if (!body) return;
    const saved = st.importFailed;
    st.importFailed = false;
    this.execBlock(body.namedChildren, st);
    const failed = st.importFailed;
    st.importFailed = saved;
    for (const clause of s.namedChildren) {
      if (!clause) continue;
      const block = clause.namedChildren.find((x) => x?.type === 'block');
      if (!block) continue;
      // The except clauses run when the body's repository import is missing here; else only without failure.
      if ((clause.type === 'except_clause' && failed) || (clause.type === 'else_clause' && !failed) || clause.type === 'finally_clause') {
        this.execBlock(block.namedChildren, st);
      }
    }
  }

  private forgetAssigned(s: Node, st: ExecState, why: string): void {
    for (const a of s.descendantsOfType(['assignment', 'augmented_assignment'])) {
      const left = a?.childForFieldName('left');
      if (left?.type === 'identifier') this.bind(st, left.text, opaque(`${left.text} ${why}`, this.loc(st, a!)), a!, left);
    }
  }

  private bind(st: ExecState, name: string, value: PyVal, stmt: Node, nameNode: Node): void {
    st.env.set(name, { value, stmt: this.loc(st, stmt), nameLoc: this.loc(st, nameNode) });
  }

  /** A mutation keeps the name's original location (that is where the list is written) but records the statement. */
  private rebind(st: ExecState, name: string, value: PyVal, stmt: Node, nameNode: Node): void {
    const prev = st.env.get(name);
    if (prev) st.env.set(name, { value, stmt: prev.stmt, nameLoc: prev.nameLoc });
    else this.bind(st, name, value, stmt, nameNode);
  }

  private loc(st: ExecState, n: Node): Loc {
    const l = nodeLoc(st.file, n);
    if (st.lineOffset) {
      l.line += st.lineOffset;
      l.endLine += st.lineOffset;
    }
    return l;
  }

  // ---------------------------------------------------------------- expressions

  private readName(name: string, st: ExecState, locals: Locals, loc: Loc): PyVal {
    const l = locals?.get(name);
    if (l) return l;
    st.reads.add(name);
    const b = st.env.get(name);
    if (b && b.value.t !== 'absent') return b.value;
    if (BUILTINS.has(name)) return { t: 'ref', name: `builtins.${name}`, loc };
    return opaque(`${name} (not defined in this settings module)`, loc);
  }

  ev(n: Node, st: ExecState, locals: Locals): PyVal {
    const loc = this.loc(st, n);
    switch (n.type) {
      case 'identifier':
        return this.readName(n.text, st, locals, loc);
      case 'true':
        return bool(true, loc);
      case 'false':
        return bool(false, loc);
      case 'none':
        return none(loc);
      case 'integer': {
        const v = Number(n.text.replace(/_/g, '').replace(/^0o/i, '0o'));
        return Number.isFinite(v) ? num(v, loc) : opaque(n.text, loc);
      }
      case 'float':
        return num(Number(n.text.replace(/_/g, '')), loc);
      case 'string':
        return this.evString(n, st, locals, loc);
      case 'concatenated_string': {
        const parts = n.namedChildren.filter((x): x is Node => !!x).map((p) => this.evString(p, st, locals, loc));
        return lift(parts, loc, (ks) => (ks.every((k) => k.t === 'str') ? str(ks.map((k) => (k as { v: string }).v).join(''), loc) : opaque(n.text, loc)));
      }
      case 'parenthesized_expression': {
        const inner = n.namedChildren.find((x) => x && x.type !== 'comment');
        return inner ? this.ev(inner, st, locals) : opaque(n.text, loc);
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return this.evSequence(n, st, locals, n.type === 'list' ? 'list' : n.type === 'set' ? 'set' : 'tuple');
      case 'dictionary': {
        const entries: [PyVal, PyVal][] = [];
        for (const p of n.namedChildren) {
          if (p?.type === 'comment') continue;
          if (p?.type !== 'pair') return opaque('dict with ** or comprehension', loc);
          entries.push([this.ev(p.childForFieldName('key')!, st, locals), this.ev(p.childForFieldName('value')!, st, locals)]);
        }
        return { t: 'dict', entries, loc };
      }
      case 'attribute': {
        const obj = this.ev(n.childForFieldName('object')!, st, locals);
        const attr = n.childForFieldName('attribute')!.text;
        if (obj.t === 'ref') return constantRef(`${obj.name}.${attr}`, loc) ?? { t: 'ref', name: `${obj.name}.${attr}`, loc };
        if (obj.t === 'object') return attributeOf(obj, attr, n.text, loc);
        return opaque(n.text, loc);
      }
      case 'subscript':
        return this.evSubscript(n, st, locals, loc);
      case 'call':
        return this.evCall(n, st, locals, loc);
      case 'not_operator': {
        const v = this.ev(n.childForFieldName('argument')!, st, locals);
        return lift([v], loc, ([x]) => {
          const t = truthy(x!);
          return t === undefined ? opaque(n.text, loc) : bool(!t, loc);
        });
      }
      case 'boolean_operator': {
        const op = n.childForFieldName('operator')!.text;
        const l = this.ev(n.childForFieldName('left')!, st, locals);
        const r = this.ev(n.childForFieldName('right')!, st, locals);
        // A known left operand decides alone when it short-circuits (`True or os.environ['X']`).
        const lt = firstUnknown(l) ? undefined : truthy(l as KnownPy);
        if (lt !== undefined) return op === 'and' ? (lt ? r : l) : lt ? l : r;
        return lift([l, r], loc, ([x, y]) => {
          const t = truthy(x!);
          if (t === undefined) return opaque(n.text, loc);
          return op === 'and' ? (t ? y! : x!) : t ? x! : y!;
        });
      }
      case 'comparison_operator':
        return this.evComparison(n, st, locals, loc);
      case 'binary_operator': {
        const op = n.childForFieldName('operator')!.text;
        const l = this.ev(n.childForFieldName('left')!, st, locals);
        const r = this.ev(n.childForFieldName('right')!, st, locals);
        return lift([l, r], loc, ([x, y]) => binaryOp(op, x!, y!, loc));
      }
      case 'unary_operator': {
        const op = n.childForFieldName('operator')!.text;
        const v = this.ev(n.childForFieldName('argument')!, st, locals);
        return lift([v], loc, ([x]) => {
          const k = x!.t === 'bool' ? (x!.v ? 1 : 0) : x!.t === 'num' ? x!.v : undefined;
          if (k === undefined) return opaque(n.text, loc);
          return num(op === '-' ? -k : op === '~' ? ~k : k, loc);
        });
      }
      case 'conditional_expression': {
        const [a, c, b] = n.namedChildren.filter((x): x is Node => !!x && x.type !== 'comment');
        if (!a || !c || !b) return opaque(n.text, loc);
        const cv = this.ev(c, st, locals);
        const av = this.ev(a, st, locals);
        const bv = this.ev(b, st, locals);
        if (cv.t !== 'unknown') {
          const t = truthy(cv);
          return t === undefined ? opaque(n.text, loc) : t ? av : bv;
        }
        const fb = fallbackOf(cv);
        const ft = fb ? truthy(fb) : undefined;
        const chosen = ft === undefined ? undefined : fallbackOf(ft ? av : bv);
        return opaque(cv.reason, loc, chosen, cv.variable);
      }
      case 'list_comprehension':
      case 'generator_expression':
      case 'set_comprehension':
        return this.evComprehension(n, st, locals, loc);
      case 'lambda': {
        const params = (n.childForFieldName('parameters')?.namedChildren ?? []).flatMap((p) => (p?.type === 'identifier' ? [p.text] : []));
        return { t: 'lambda', params, body: n.childForFieldName('body'), file: st.file, loc };
      }
      default:
        return opaque(n.text.length > 60 ? `${n.text.slice(0, 57)}...` : n.text, loc);
    }
  }

  private evString(n: Node, st: ExecState, locals: Locals, loc: Loc): PyVal {
    if (n.type !== 'string') return this.ev(n, st, locals);
    const parts = splitLiteral(n.text);
    if (!parts) return opaque(n.text, loc);
    if (parts.prefix.includes('b')) return opaque('bytes literal', loc);
    if (!parts.prefix.includes('f')) {
      const v = cookLiteral(n.text);
      return v === undefined ? opaque(n.text, loc) : str(v, loc);
    }
    const pieces: PyVal[] = [];
    for (const c of n.namedChildren) {
      if (!c || c.type === 'string_start' || c.type === 'string_end') continue;
      if (c.type === 'interpolation') {
        const expr = c.childForFieldName('expression');
        const simple = expr && !c.childForFieldName('format_specifier') && !c.childForFieldName('type_conversion');
        const v = simple ? this.ev(expr, st, locals) : opaque(c.text, this.loc(st, c));
        pieces.push(lift([v], loc, ([x]) => toStr(x!, loc)));
      } else {
        const s = cookFStringSegment(c.text, parts.prefix.includes('r'));
        pieces.push(s === undefined ? opaque(c.text, loc) : str(s, loc));
      }
    }
    return lift(pieces, loc, (ks) => str(ks.map((k) => (k.t === 'str' ? k.v : '')).join(''), loc));
  }

  private evSequence(n: Node, st: ExecState, locals: Locals, kind: 'list' | 'tuple' | 'set'): PyVal {
    const loc = this.loc(st, n);
    const parts: { splat?: PyVal; item?: PyVal }[] = [];
    for (const c of n.namedChildren) {
      if (!c || c.type === 'comment') continue;
      if (c.type === 'list_splat') parts.push({ splat: this.ev(c.namedChildren[0]!, st, locals) });
      else parts.push({ item: this.ev(c, st, locals) });
    }
    const flatten = (read: (v: PyVal) => PyVal | undefined): PyVal[] | undefined => {
      const items: PyVal[] = [];
      for (const p of parts) {
        if (p.item) {
          items.push(p.item);
          continue;
        }
        const v = read(p.splat!);
        const more = v ? iterate(v) : undefined;
        if (!more) return undefined;
        items.push(...more);
      }
      return items;
    };
    const splatUnknown = parts.map((p) => (p.splat ? firstUnknown(p.splat) : undefined)).find((u) => u);
    if (!splatUnknown) {
      const items = flatten((v) => v);
      return items ? seq(kind, items, loc) : opaque(n.text, loc);
    }
    // `[*BASE, 'x']` with an env-driven BASE: unknown, with the fallback spliced in.
    const fb = flatten((v) => fallbackOf(v));
    return opaque(splatUnknown.reason, loc, fb ? seq(kind, fb, loc) : undefined, splatUnknown.variable);
  }

  private evSubscript(n: Node, st: ExecState, locals: Locals, loc: Loc): PyVal {
    const obj = this.ev(n.childForFieldName('value')!, st, locals);
    const subs = n.childrenForFieldName('subscript').filter((x): x is Node => !!x);
    if (subs.length !== 1 || subs[0]!.type === 'slice') return opaque(n.text, loc);
    const key = this.ev(subs[0]!, st, locals);
    if (obj.t === 'ref' && obj.name === 'os.environ') {
      if (key.t !== 'str') return opaque(n.text, loc);
      const d = st.envDefaults.get(key.v);
      const fb = d ? fallbackOf(d) : undefined;
      return opaque(`os.environ['${key.v}']`, loc, fb, key.v);
    }
    return lift([obj, key], loc, ([o, k]) => {
      if (o!.t === 'seq' && k!.t === 'num') {
        const i = k!.v < 0 ? o!.items.length + k!.v : k!.v;
        return o!.items[i] ?? opaque(n.text, loc);
      }
      if (o!.t === 'str' && k!.t === 'num') {
        const i = k!.v < 0 ? o!.v.length + k!.v : k!.v;
        return i >= 0 && i < o!.v.length ? str(o!.v[i]!, loc) : opaque(n.text, loc);
      }
      if (o!.t === 'dict') {
        for (const [dk, dv] of o!.entries) if (dk.t !== 'unknown' && pyEquals(dk, k!)) return dv;
      }
      return opaque(n.text, loc);
    });
  }

  private evComparison(n: Node, st: ExecState, locals: Locals, loc: Loc): PyVal {
    const operands = n.namedChildren.filter((x): x is Node => !!x && x.type !== 'comment');
    const ops = n.childrenForFieldName('operators').map((o) => o?.text.replace(/\s+/g, ' ') ?? '');
    if (ops.length !== operands.length - 1) return opaque(n.text, loc);
    const vals = operands.map((o) => this.ev(o, st, locals));
    return lift(vals, loc, (ks) => {
      for (let i = 0; i < ops.length; i++) {
        const r = compare(ops[i]!, ks[i]!, ks[i + 1]!);
        if (r === undefined) return opaque(n.text, loc);
        if (!r) return bool(false, loc);
      }
      return bool(true, loc);
    });
  }

  private evComprehension(n: Node, st: ExecState, locals: Locals, loc: Loc): PyVal {
    const body = n.childForFieldName('body');
    const clauses = n.namedChildren.filter((x): x is Node => !!x && (x.type === 'for_in_clause' || x.type === 'if_clause'));
    if (!body) return opaque(n.text, loc);
    const kind = n.type === 'set_comprehension' ? 'set' : 'list';
    let unknownSource: PyVal | undefined;
    const run = (useFallback: boolean): PyVal[] | undefined => {
      const out: PyVal[] = [];
      const step = (i: number, scope: Map<string, PyVal>): boolean => {
        if (i === clauses.length) {
          out.push(this.ev(body, st, scope));
          return true;
        }
        const c = clauses[i]!;
        if (c.type === 'if_clause') {
          const cond = this.ev(c.namedChildren[0]!, st, scope);
          const cv = cond.t === 'unknown' ? (useFallback ? fallbackOf(cond) : undefined) : cond;
          if (!cv) {
            unknownSource ??= cond;
            return false;
          }
          const t = truthy(cv);
          if (t === undefined) return false;
          return t ? step(i + 1, scope) : true;
        }
        const left = c.childForFieldName('left');
        const right = c.childForFieldName('right');
        if (!left || !right || left.type !== 'identifier') return false;
        const src = this.ev(right, st, scope);
        const sv = firstUnknown(src) ? (useFallback ? fallbackOf(src) : undefined) : (src as KnownPy);
        if (!sv) {
          unknownSource ??= firstUnknown(src);
          return false;
        }
        const items = iterate(sv);
        if (!items) return false;
        for (const item of items) {
          if (!step(i + 1, new Map([...scope, [left.text, item]]))) return false;
        }
        return true;
      };
      return step(0, new Map(locals ?? [])) ? out : undefined;
    };
    const written = run(false);
    if (written && !written.some((x) => firstUnknown(x))) return seq(kind, written, loc);
    const fb = run(true);
    const fbVal = fb ? fallbackOf(seq(kind, fb, loc)) : undefined;
    const u = unknownSource && unknownSource.t === 'unknown' ? unknownSource : written ? firstUnknown(seq(kind, written, loc)) : undefined;
    return opaque(u?.reason ?? n.text, loc, fbVal, u?.variable);
  }

  private evalArgs(args: Node, st: ExecState, locals: Locals): { positional: PyVal[]; keywords: Map<string, PyVal> } {
    const positional: PyVal[] = [];
    const keywords = new Map<string, PyVal>();
    for (const a of args.namedChildren) {
      if (!a || a.type === 'comment') continue;
      if (a.type === 'keyword_argument') {
        const name = a.childForFieldName('name')?.text;
        const value = a.childForFieldName('value');
        if (name && value) keywords.set(name, this.ev(value, st, locals));
      } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
        positional.push(opaque(a.text, this.loc(st, a)));
      } else positional.push(this.ev(a, st, locals));
    }
    return { positional, keywords };
  }

  private evCall(n: Node, st: ExecState, locals: Locals, loc: Loc): PyVal {
    const fn = n.childForFieldName('function')!;
    const argsNode = n.childForFieldName('arguments');
    if (!argsNode || argsNode.type !== 'argument_list') return opaque(n.text, loc);
    const args = this.evalArgs(argsNode, st, locals);
    const invoke: Invoke = (f, arg, at) => {
      if (f.t === 'lambda') return this.callLambda(f, [arg], st, at);
      if (f.t === 'func') return this.callFunction(f, { positional: [arg], keywords: new Map() }, st, at, `${f.name}(...)`);
      if (f.t === 'ref' && f.name.startsWith('builtins.')) return callBuiltin(f.name.slice(9), { positional: [arg], keywords: new Map() }, at, 'cast');
      return opaque(`cast ${f.t === 'ref' ? f.name : f.t}`, at);
    };
    if (fn.type === 'attribute') {
      const objNode = fn.childForFieldName('object')!;
      const attr = fn.childForFieldName('attribute')!.text;
      const obj = this.ev(objNode, st, locals);
      if (obj.t === 'ref') {
        const made = this.host.construct?.(`${obj.name}.${attr}`, args, loc);
        if (made) return made;
        return callRef(`${obj.name}.${attr}`, this.withEnvDefault(`${obj.name}.${attr}`, args, st), loc, n.text, invoke);
      }
      if (obj.t === 'env') return callRef(`environ.Env#${attr}`, args, loc, n.text, invoke, obj);
      return callMethod(obj, attr, args, loc, n.text);
    }
    const callee = this.ev(fn, st, locals);
    if (callee.t === 'ref') {
      if (callee.name.startsWith('builtins.')) return callBuiltin(callee.name.slice(9), args, loc, n.text);
      const made = this.host.construct?.(callee.name, args, loc);
      if (made) return made;
      return callRef(callee.name, this.withEnvDefault(callee.name, args, st), loc, n.text, invoke);
    }
    if (callee.t === 'env') return callRef('environ.Env#__call__', args, loc, n.text, invoke, callee);
    if (callee.t === 'object' && callee.kind === 'class') return instantiate(callee, args, loc);
    if (callee.t === 'lambda') return this.callLambda(callee, args.positional, st, loc);
    if (callee.t === 'func') return this.callFunction(callee, args, st, loc, n.text.length > 60 ? `${n.text.slice(0, 57)}...` : n.text);
    return opaque(n.text.length > 60 ? `${n.text.slice(0, 57)}...` : n.text, loc);
  }

  /** `os.environ.get('X')` after `os.environ.setdefault('X', d)` falls back to `d`. */
  private withEnvDefault(name: string, args: Args, st: ExecState): Args {
    if (name !== 'os.environ.get' && name !== 'os.getenv') return args;
    const k = args.positional[0];
    if (args.positional.length !== 1 || args.keywords.has('default') || k?.t !== 'str') return args;
    const d = st.envDefaults.get(k.v);
    return d ? { positional: [k, d], keywords: args.keywords } : args;
  }

  // ---------------------------------------------------------------- functions

  /**
   * A module-level `def` with plain parameters: settings modules often wrap
   * os.getenv in helpers (`def env_bool(name, default=False): return
   * os.getenv(name, str(default)).lower() in {...}`). Anything else stays unknown.
   */
  private defineFunction(s: Node, st: ExecState): PyVal | undefined {
    if (s.startPosition.column !== 0 || s.childForFieldName('type_parameters')) return undefined;
    const name = s.childForFieldName('name')?.text;
    const paramsNode = s.childForFieldName('parameters');
    if (!name || !paramsNode) return undefined;
    const params: FuncParam[] = [];
    for (const p of paramsNode.namedChildren) {
      if (!p || p.type === 'comment' || p.type === 'keyword_separator' || p.type === 'positional_separator') continue;
      if (p.type === 'identifier') params.push({ name: p.text });
      else if (p.type === 'typed_parameter' && p.namedChildren[0]?.type === 'identifier') params.push({ name: p.namedChildren[0].text });
      else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
        const pn = p.childForFieldName('name');
        const dv = p.childForFieldName('value');
        if (pn?.type !== 'identifier' || !dv) return undefined;
        params.push({ name: pn.text, default: this.ev(dv, st, undefined) });
      } else return undefined; // *args, **kwargs
    }
    return {
      t: 'func',
      name,
      params,
      source: s.text,
      lineOffset: s.startPosition.row + (st.lineOffset ?? 0),
      file: st.file,
      absPath: st.absPath,
      globals: st.env,
      loc: this.loc(st, s),
    };
  }

  private callDepth = 0;

  /**
   * Run a helper's body with its arguments bound: assignments to locals,
   * `if` (both ways when the condition is unknown, the fallback following the
   * branch the condition's fallback takes), `return`. The body sees the globals
   * of the module that defined it. What comes out is located at the call.
   */
  private callFunction(f: Extract<PyVal, { t: 'func' }>, args: Args, st: ExecState, loc: Loc, text: string): PyVal {
    const giveUp = (): Opaque => opaque(text, loc);
    if (this.callDepth >= 8 || args.positional.length > f.params.length) return giveUp();
    for (const k of args.keywords.keys()) if (!f.params.some((p) => p.name === k)) return giveUp();
    const locals = new Map<string, PyVal>();
    for (const [i, p] of f.params.entries()) {
      const v = i < args.positional.length ? args.positional[i] : (args.keywords.get(p.name) ?? p.default);
      if (!v) return giveUp();
      locals.set(p.name, v);
    }
    const callSt: ExecState = {
      file: f.file,
      absPath: f.absPath,
      env: f.globals as Map<string, Binding>,
      // What the helper reads is not a setting read by the settings.
      reads: new Set(),
      deps: new Set(),
      importFailed: false,
      envDefaults: st.envDefaults,
      lineOffset: f.lineOffset,
    };
    const budget = { steps: 200 };
    this.callDepth++;
    try {
      const out = withTree(this.host.parser, f.source, f.file, (root) => {
        const body = root.namedChildren.find((x) => x?.type === 'function_definition')?.childForFieldName('body');
        return body ? this.runBody(nodes(body), callSt, locals, budget, giveUp) : giveUp();
      });
      const lines = f.source.split('\n').length;
      return relocate(out, (l) => l.file === f.file && l.line > f.lineOffset && l.line <= f.lineOffset + lines, loc);
    } catch (e) {
      if (e instanceof ParseError) return giveUp();
      throw e;
    } finally {
      this.callDepth--;
    }
  }

  private runBody(stmts: Node[], st: ExecState, locals: Map<string, PyVal>, budget: { steps: number }, giveUp: () => Opaque): PyVal {
    for (let i = 0; i < stmts.length; i++) {
      if (--budget.steps < 0) return giveUp();
      const s = stmts[i]!;
      switch (s.type) {
        case 'comment':
        case 'pass_statement':
          continue;
        case 'expression_statement': {
          const e = s.namedChildren[0];
          if (!e || e.type === 'string') continue; // a docstring
          if (e.type === 'assignment') {
            if (!this.assignLocal(e, st, locals)) return giveUp();
            continue;
          }
          if (e.type === 'call') {
            // A local list's .append(...); any other call (logging) is run for its effects only.
            const fn = e.childForFieldName('function');
            const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : undefined;
            const attr = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
            if (obj?.type === 'identifier' && attr && MUTATORS.has(attr) && locals.has(obj.text)) {
              const argsNode = e.childForFieldName('arguments');
              const { positional } = argsNode ? this.evalArgs(argsNode, st, locals) : { positional: [] };
              const at = this.loc(st, e);
              locals.set(obj.text, lift([locals.get(obj.text)!, ...positional], at, ([x, ...a]) => mutate(x!, attr, a, at)));
            }
            continue;
          }
          return giveUp();
        }
        case 'return_statement': {
          const e = s.namedChildren.find((x) => x && x.type !== 'comment');
          return e ? this.ev(e, st, locals) : none(this.loc(st, s));
        }
        case 'if_statement': {
          const cond = s.childForFieldName('condition');
          const body = s.childForFieldName('consequence');
          if (!cond || !body) return giveUp();
          const alts = s.childrenForFieldName('alternative').filter((x): x is Node => !!x);
          return this.runIf(cond, body, alts, stmts.slice(i + 1), st, locals, budget, giveUp);
        }
        case 'raise_statement':
          return opaque(`${giveUp().reason} (raises)`, this.loc(st, s));
        default:
          return giveUp();
      }
    }
    return none(stmts.length ? this.loc(st, stmts[stmts.length - 1]!) : { file: st.file, line: 1, column: 1, endLine: 1, endColumn: 1 });
  }

  private runIf(
    cond: Node,
    body: Node,
    alts: Node[],
    rest: Node[],
    st: ExecState,
    locals: Map<string, PyVal>,
    budget: { steps: number },
    giveUp: () => Opaque,
  ): PyVal {
    const c = this.ev(cond, st, locals);
    const runThen = (ls: Map<string, PyVal>) => this.runBody([...nodes(body), ...rest], st, ls, budget, giveUp);
    const runElse = (ls: Map<string, PyVal>): PyVal => {
      const [first, ...more] = alts;
      if (!first) return this.runBody(rest, st, ls, budget, giveUp);
      if (first.type === 'else_clause') {
        const b = first.childForFieldName('body');
        return this.runBody([...(b ? nodes(b) : []), ...rest], st, ls, budget, giveUp);
      }
      const ec = first.childForFieldName('condition');
      const eb = first.childForFieldName('consequence');
      return ec && eb ? this.runIf(ec, eb, more, rest, st, ls, budget, giveUp) : giveUp();
    };
    const decided = c.t === 'unknown' ? undefined : truthy(c);
    if (decided === true) return runThen(locals);
    if (decided === false) return runElse(locals);
    const a = runThen(new Map(locals));
    const b = runElse(new Map(locals));
    const fb = c.t === 'unknown' ? fallbackOf(c) : undefined;
    const fbTruth = fb ? truthy(fb) : undefined;
    const chosen = fbTruth === undefined ? undefined : fbTruth ? a : b;
    const chosenFb = chosen ? fallbackOf(chosen) : undefined;
    const reason = c.t === 'unknown' ? c.reason : `the condition \`${cond.text}\``;
    return opaque(reason, this.loc(st, cond), chosenFb, c.t === 'unknown' ? c.variable : undefined);
  }

  /** `x = ...` (also `a = b = ...`, `x: T = ...`) inside a helper; false for targets it cannot bind. */
  private assignLocal(a: Node, st: ExecState, locals: Map<string, PyVal>): boolean {
    const targets: Node[] = [];
    let cur: Node | null = a;
    while (cur && cur.type === 'assignment') {
      const left = cur.childForFieldName('left');
      const right = cur.childForFieldName('right');
      if (!left || left.type !== 'identifier' || !right) return false;
      targets.push(left);
      if (right.type !== 'assignment') {
        const v = this.ev(right, st, locals);
        for (const t of targets) locals.set(t.text, v);
        return true;
      }
      cur = right;
    }
    return false;
  }

  callLambda(f: Extract<PyVal, { t: 'lambda' }>, args: PyVal[], st: ExecState, loc: Loc): PyVal {
    if (args.length !== f.params.length || f.file !== st.file) return opaque('lambda', loc);
    return this.ev(f.body as Node, st, new Map(f.params.map((p, i) => [p, args[i]!])));
  }
}

function nodes(block: Node): Node[] {
  return block.namedChildren.filter((x): x is Node => !!x);
}

/** `v` with every location `inside` the helper's body moved to the call, so findings land where the helper is used. */
function relocate(v: PyVal, inside: (l: Loc) => boolean, to: Loc, top = true): PyVal {
  const loc = top || inside(v.loc) ? to : v.loc;
  switch (v.t) {
    case 'seq':
      return { ...v, loc, items: v.items.map((i) => relocate(i, inside, to, false)) };
    case 'dict':
      return { ...v, loc, entries: v.entries.map(([k, x]) => [relocate(k, inside, to, false), relocate(x, inside, to, false)] as [PyVal, PyVal]) };
    case 'unknown':
      return v.fallback ? { ...v, loc, fallback: relocate(v.fallback, inside, to, false) } : { ...v, loc };
    default:
      return { ...v, loc };
  }
}

/** What `for x in v` iterates; strings iterate their characters, as in Python. */
export function iterate(v: PyVal): PyVal[] | undefined {
  if (v.t === 'seq') return v.items;
  if (v.t === 'str') return [...v.v].map((c) => str(c, v.loc));
  if (v.t === 'dict') return v.entries.map(([k]) => k);
  return undefined;
}

export function toStr(v: KnownPy, loc: Loc): PyVal {
  switch (v.t) {
    case 'str':
      return v;
    case 'num':
      return str(String(v.v), loc);
    case 'bool':
      return str(v.v ? 'True' : 'False', loc);
    case 'none':
      return str('None', loc);
    default:
      return opaque(`str(${v.t})`, loc);
  }
}

function binaryOp(op: string, x: KnownPy, y: KnownPy, loc: Loc): PyVal {
  if (op === '+') {
    if (x.t === 'str' && y.t === 'str') return str(x.v + y.v, loc);
    if (x.t === 'seq' && y.t === 'seq' && x.kind === y.kind && x.kind !== 'set') return seq(x.kind, [...x.items, ...y.items], loc);
  }
  const nx = x.t === 'num' ? x.v : x.t === 'bool' ? Number(x.v) : undefined;
  const ny = y.t === 'num' ? y.v : y.t === 'bool' ? Number(y.v) : undefined;
  if (nx !== undefined && ny !== undefined) {
    switch (op) {
      case '+':
        return num(nx + ny, loc);
      case '-':
        return num(nx - ny, loc);
      case '*':
        return num(nx * ny, loc);
      case '|':
        return num(nx | ny, loc);
      case '&':
        return num(nx & ny, loc);
      case '//':
        return ny ? num(Math.floor(nx / ny), loc) : opaque('division by zero', loc);
    }
  }
  if (op === '*' && ((x.t === 'seq' && ny !== undefined) || (x.t === 'str' && ny !== undefined))) {
    if (x.t === 'str') return str(x.v.repeat(Math.max(0, ny)), loc);
    if (x.t === 'seq') return seq(x.kind, Array.from({ length: Math.max(0, ny) }, () => x.items).flat(), loc);
  }
  if (op === '|' && x.t === 'seq' && y.t === 'seq' && x.kind === 'set' && y.kind === 'set') return seq('set', [...x.items, ...y.items], loc);
  return opaque(`${op} on ${x.t} and ${y.t}`, loc);
}

function compare(op: string, a: KnownPy, b: KnownPy): boolean | undefined {
  switch (op) {
    case '==':
      return pyEquals(a, b);
    case '!=': {
      const e = pyEquals(a, b);
      return e === undefined ? undefined : !e;
    }
    case 'in':
    case 'not in': {
      let r: boolean | undefined;
      if (b.t === 'str' && a.t === 'str') r = b.v.includes(a.v);
      else if (b.t === 'seq') {
        r = false;
        for (const i of b.items) {
          if (i.t === 'unknown') return undefined;
          const e = pyEquals(a, i);
          if (e === undefined) return undefined;
          if (e) {
            r = true;
            break;
          }
        }
      } else if (b.t === 'dict') r = b.entries.some(([k]) => k.t !== 'unknown' && pyEquals(a, k) === true);
      if (r === undefined) return undefined;
      return op === 'in' ? r : !r;
    }
    case 'is':
    case 'is not': {
      if (!['none', 'bool'].includes(a.t) && !['none', 'bool'].includes(b.t)) return undefined;
      const same = a.t === b.t && (a.t === 'none' || (a as { v: boolean }).v === (b as { v: boolean }).v);
      return op === 'is' ? same : !same;
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (a.t !== 'num' || b.t !== 'num') return undefined;
      return op === '<' ? a.v < b.v : op === '>' ? a.v > b.v : op === '<=' ? a.v <= b.v : a.v >= b.v;
    }
    default:
      return undefined;
  }
}

function mutate(x: KnownPy, method: string, args: KnownPy[], loc: Loc): PyVal {
  if (x.t !== 'seq' || x.kind !== 'list') return opaque(`.${method}() on ${x.t}`, loc);
  const items = [...x.items];
  switch (method) {
    case 'append':
      if (args.length !== 1) break;
      items.push(args[0]!);
      return { ...x, items };
    case 'extend': {
      const more = args.length === 1 ? iterate(args[0]!) : undefined;
      if (!more) break;
      return { ...x, items: [...items, ...more] };
    }
    case 'insert': {
      const [i, v] = args;
      if (!i || !v || i.t !== 'num') break;
      const at = i.v < 0 ? Math.max(0, items.length + i.v) : Math.min(i.v, items.length);
      items.splice(at, 0, v);
      return { ...x, items };
    }
    case 'remove': {
      const idx = args.length === 1 ? items.findIndex((i) => i.t !== 'unknown' && pyEquals(i, args[0]!) === true) : -1;
      if (idx < 0) break;
      items.splice(idx, 1);
      return { ...x, items };
    }
    case 'clear':
      return { ...x, items: [] };
  }
  return opaque(`.${method}() that cannot be followed`, loc);
}

