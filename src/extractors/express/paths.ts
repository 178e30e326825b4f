import type * as ES from 'estree';
import type { CheckSubject, Loc, OriginCheck } from '../../model/index.js';
import { evaluateCheck } from '../../probes/check.js';
import type { FunctionNode, Node } from './ast.js';
import { isIdent, locOf, memberName, sourceOf, stringLiteral, unwrap, walk } from './ast.js';
import type { AV, Evaluator, Mod, Mode } from './evaluate.js';
import { truthy } from './evaluate.js';
import type { Binding } from './scope.js';

/**
 * Symbolic execution of one small function (an origin callback, an options
 * delegate, a handler that writes CORS headers) over every path through its
 * `if`s, `?:`, `&&`/`||` and `switch`es. Each condition about the request
 * Origin becomes an atom that can be decided for any concrete Origin later
 * (membership in a written list, equality with a literal, a regex test);
 * anything else is an `unknown` atom. Loops, awaits and calls that take the
 * callback away end the analysis of that path as unknown: never a guess.
 */

export type AtomKind =
  | { k: 'in'; values: { v: string; loc: Loc }[] } // list.includes(origin), set.has(origin), indexOf(...) !== -1
  | { k: 'index0'; values: { v: string; loc: Loc }[] } // `if (list.indexOf(origin))`: true unless it is the first entry
  | { k: 'eq'; value: string; loc: Loc } // origin === 'https://a'
  | { k: 'test'; check: CheckLeaf; text: string; loc: Loc } // /re/.test(origin), origin.endsWith('.a.com'), new URL(origin).hostname === 'a.com'
  | { k: 'present' } // origin is truthy (a request with an Origin header)
  | { k: 'parse' } // `new URL(origin)` ran without throwing (a statement built the URL; `null` does not parse)
  | { k: 'method'; value: string } // req.method === 'OPTIONS'
  | { k: 'unknown'; description: string; vars: string[]; loc: Loc };

/** One test of a custom check (OriginCheck without the connectives). */
export type CheckLeaf = Extract<OriginCheck, { op: 'equals' | 'startsWith' | 'endsWith' | 'includes' | 'oneOf' | 'regex' }>;

/** What a string test looks at: the Origin or a part of `new URL(origin)`, maybe lower-cased. */
export interface Subject {
  subject: CheckSubject;
  ignoreCase: boolean;
}

/** The leaf with its subject; `origin` and case-sensitive are left out (the OriginCheck defaults). */
function leaf<L extends CheckLeaf>(l: L, subj: Subject): L {
  const out: L = { ...l };
  if (subj.subject !== 'origin') out.subject = subj.subject;
  if (subj.ignoreCase) (out as { ignoreCase?: boolean }).ignoreCase = true;
  return out;
}

function testAtom(check: CheckLeaf, text: string, loc: Loc): Atom {
  return { key: `t:${JSON.stringify(check)}`, kind: { k: 'test', check, text, loc } };
}

/** `new URL(origin)` throws for an Origin that is not a URL (`null`): such a test cannot be skipped when its branches agree. */
export function leafThrows(c: CheckLeaf): boolean {
  return c.subject !== undefined && c.subject !== 'origin';
}

export interface Atom {
  key: string;
  kind: AtomKind;
  /** The condition as written, where it was read (a custom check is reported at its first test). */
  at?: Loc;
}

export interface Choice {
  atom: Atom;
  value: boolean;
}

export interface Path<E> {
  choices: Map<string, Choice>;
  events: E[];
  /** Why this path cannot be followed (a loop over the callback, an await, ...). */
  unknown?: string;
}

export interface ExecCtx<E> {
  readonly mod: Mod;
  readonly mode: Mode;
  cond(e: ES.Expression): boolean;
  /** Static value, following the function's own local variables. */
  value(e: ES.Expression): AV;
  /** The expression a local variable currently holds (for `let opts; if (..) opts = {...}`). */
  resolveLocal(e: ES.Expression): ES.Expression | null;
  isOrigin(e: ES.Expression): boolean;
  /** `req.header.origin`, `req.headers.Origin`: always undefined. */
  isUndefinedOrigin(e: ES.Expression): boolean;
  emit(ev: E): void;
  markUnknown(reason: string): void;
}

export interface Hooks<E> {
  /** Return true when the call is an event of interest (it was handled). */
  onCall(call: ES.CallExpression, ctx: ExecCtx<E>): boolean;
  /** Names that, passed on to another function, make the outcome unknowable (the callback). */
  escapes?(b: Binding): boolean;
  /**
   * A `return` of the function (its argument; null for `return;` and for
   * falling off the end), for functions whose answer is what they return
   * (Koa's `origin(ctx)`, an async Fastify origin function).
   */
  onReturn?(value: ES.Expression | null, ctx: ExecCtx<E>): void;
  /**
   * A framework's own ways to read the request Origin (Koa's
   * `ctx.request.header.origin`, where `header` is the headers object, not
   * Express's function): true or false decides, undefined leaves it to the
   * Node/Express rules.
   */
  isOrigin?(e: ES.Expression): boolean | undefined;
}

const MAX_RUNS = 256;

class Stop {
  constructor(readonly kind: 'return' | 'throw' | 'break') {}
}

class Unknowable extends Error {}

/** Run every path of `fn`. Undefined when there are too many. */
export function runPaths<E>(ev: Evaluator, mod: Mod, fn: FunctionNode, hooks: Hooks<E>, mode: Mode, originParam?: Binding): Path<E>[] | undefined {
  const paths: Path<E>[] = [];
  let prefix: boolean[] = [];
  for (let run = 0; run < MAX_RUNS; run++) {
    const runner = new Runner<E>(ev, mod, fn, hooks, mode, prefix, originParam);
    paths.push(runner.execute());
    prefix = runner.trail;
    while (prefix.length && prefix[prefix.length - 1] === false) prefix.pop();
    if (!prefix.length) return paths;
    prefix[prefix.length - 1] = false;
  }
  return undefined;
}

class Runner<E> implements ExecCtx<E> {
  readonly trail: boolean[] = [];
  private depth = 0;
  private readonly locals = new Map<Binding, ES.Expression | null>();
  private readonly path: Path<E> = { choices: new Map(), events: [] };
  private guard = 0;

  constructor(
    private readonly ev: Evaluator,
    readonly mod: Mod,
    private readonly fn: FunctionNode,
    private readonly hooks: Hooks<E>,
    readonly mode: Mode,
    private readonly prefix: boolean[],
    private readonly originParam: Binding | undefined,
  ) {}

  execute(): Path<E> {
    try {
      if (this.fn.body.type === 'BlockStatement') {
        this.block(this.fn.body.body);
        // Falling off the end returns undefined.
        this.hooks.onReturn?.(null, this);
      } else {
        this.expr(this.fn.body);
        this.hooks.onReturn?.(this.fn.body, this);
      }
    } catch (e) {
      if (e instanceof Unknowable) this.path.unknown ??= e.message;
      else if (!(e instanceof Stop)) throw e;
    }
    return this.path;
  }

  // ---- choices -----------------------------------------------------------

  private choose(atom: Atom): boolean {
    const have = this.path.choices.get(atom.key);
    if (have) return have.value;
    const i = this.depth++;
    let v: boolean;
    if (i < this.prefix.length) v = this.prefix[i]!;
    else v = true;
    this.trail.push(v);
    this.path.choices.set(atom.key, { atom, value: v });
    return v;
  }

  emit(e: E): void {
    this.path.events.push(e);
  }

  markUnknown(reason: string): never {
    throw new Unknowable(reason);
  }

  // ---- statements --------------------------------------------------------

  private block(stmts: ES.Node[]): void {
    for (const s of stmts) this.stmt(s);
  }

  private stmt(s: ES.Node): void {
    if (++this.guard > 5000) this.markUnknown('function too large');
    switch (s.type) {
      case 'BlockStatement':
        this.block(s.body);
        return;
      case 'ExpressionStatement':
        this.expr(s.expression);
        return;
      case 'VariableDeclaration':
        for (const d of s.declarations) {
          if (d.init) this.expr(d.init);
          if (d.id.type === 'Identifier') {
            const b = this.mod.scopes.bindingOf(d.id);
            if (b) this.locals.set(b, d.init ?? null);
          }
        }
        return;
      case 'IfStatement':
        if (this.cond(s.test)) this.stmt(s.consequent);
        else if (s.alternate) this.stmt(s.alternate);
        return;
      case 'ReturnStatement':
        if (s.argument) this.expr(s.argument);
        this.hooks.onReturn?.(s.argument ?? null, this);
        throw new Stop('return');
      case 'ThrowStatement':
        throw new Stop('throw');
      case 'TryStatement':
        try {
          this.stmt(s.block);
        } catch (e) {
          if (e instanceof Stop && e.kind === 'throw' && s.handler) this.stmt(s.handler.body);
          else throw e;
        } finally {
          if (s.finalizer) this.stmt(s.finalizer);
        }
        return;
      case 'SwitchStatement':
        this.switchStmt(s);
        return;
      case 'LabeledStatement':
        this.stmt(s.body);
        return;
      case 'BreakStatement':
        throw new Stop('break');
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        if (this.involvesEvents(s)) this.markUnknown('a loop decides the answer');
        return;
      default:
        return;
    }
  }

  private switchStmt(s: ES.SwitchStatement): void {
    let start = -1;
    for (let i = 0; i < s.cases.length; i++) {
      const c = s.cases[i]!;
      if (!c.test) continue;
      const test: ES.BinaryExpression = { type: 'BinaryExpression', operator: '===', left: s.discriminant, right: c.test, loc: c.test.loc ?? null } as ES.BinaryExpression;
      if (this.cond(test)) {
        start = i;
        break;
      }
    }
    if (start < 0) start = s.cases.findIndex((c) => !c.test);
    if (start < 0) return;
    try {
      for (let i = start; i < s.cases.length; i++) this.block(s.cases[i]!.consequent);
    } catch (e) {
      if (!(e instanceof Stop && e.kind === 'break')) throw e;
    }
  }

  /** Does this subtree call anything the hooks care about (so skipping it would lose events)? */
  private involvesEvents(n: ES.Node): boolean {
    let found = false;
    walk(n as Node, (c) => {
      if (found) return false;
      if (c.type === 'CallExpression') {
        const callee = unwrap(c.callee as ES.Expression);
        if (isIdent(callee)) {
          const b = this.mod.scopes.bindingOf(callee);
          if (b && this.hooks.escapes?.(b)) found = true;
        }
        if (callee.type === 'MemberExpression' && /^(setHeader|header|set|append|writeHead|vary)$/.test(memberName(callee) ?? '')) found = true;
      }
      return undefined;
    });
    return found;
  }

  // ---- expressions evaluated for their effects ---------------------------

  private expr(e: ES.Expression): void {
    const x = unwrap(e);
    // `const url = new URL(origin)`: for an Origin that is not a URL (`null`) the statement throws here.
    if (this.buildsOriginUrl(x) && !this.choose({ key: 'parse', kind: { k: 'parse' }, at: locOf(x, this.mod.file) })) throw new Stop('throw');
    switch (x.type) {
      case 'CallExpression': {
        const callee = x.callee.type === 'Super' ? undefined : unwrap(x.callee);
        if (callee?.type === 'MemberExpression' && callee.object.type !== 'Super') {
          const obj = unwrap(callee.object);
          if (obj.type === 'CallExpression') this.expr(obj);
        }
        if (this.hooks.onCall(x, this)) return;
        for (const a of x.arguments) {
          if (a.type === 'SpreadElement') continue;
          const arg = unwrap(a);
          if (isIdent(arg)) {
            const b = this.mod.scopes.bindingOf(arg);
            if (b && this.hooks.escapes?.(b)) this.markUnknown(`the callback is passed to ${sourceOf(x.callee as Node, this.mod.text) ?? 'another function'}`);
          } else if (arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression') {
            if (this.involvesEvents(arg)) this.markUnknown('the answer is given in a nested callback');
          } else this.expr(arg);
        }
        return;
      }
      case 'ConditionalExpression':
        if (this.cond(x.test)) this.expr(x.consequent);
        else this.expr(x.alternate);
        return;
      case 'LogicalExpression':
        if (x.operator === '&&') {
          if (this.cond(x.left)) this.expr(x.right);
        } else if (x.operator === '||') {
          if (!this.cond(x.left)) this.expr(x.right);
        } else {
          this.expr(x.left);
          if (this.involvesEvents(x.right)) this.markUnknown('?? decides the answer');
        }
        return;
      case 'SequenceExpression':
        for (const s of x.expressions) this.expr(s);
        return;
      case 'AssignmentExpression':
        this.expr(x.right);
        if (x.left.type === 'Identifier') {
          const b = this.mod.scopes.bindingOf(x.left);
          if (b && this.locals.has(b)) this.locals.set(b, x.operator === '=' ? x.right : null);
          else if (b && this.isInside(b)) this.locals.set(b, x.operator === '=' ? x.right : null);
        }
        return;
      case 'AwaitExpression':
        this.expr(x.argument);
        return;
      case 'UnaryExpression':
        this.expr(x.argument);
        return;
      default:
        return;
    }
  }

  private isInside(b: Binding): boolean {
    let n: Node | undefined = b.id;
    while (n) {
      if (n === this.fn) return true;
      n = this.mod.scopes.parentOf(n);
    }
    return false;
  }

  // ---- values ------------------------------------------------------------

  resolveLocal(e: ES.Expression): ES.Expression | null {
    let x = unwrap(e);
    for (let i = 0; i < 20 && isIdent(x); i++) {
      const b = this.mod.scopes.bindingOf(x);
      if (!b || !this.locals.has(b)) return x;
      const next = this.locals.get(b);
      if (!next) return null;
      x = unwrap(next);
    }
    return x;
  }

  value(e: ES.Expression): AV {
    const x = this.resolveLocal(e);
    if (x === null) return { t: 'undef', loc: locOf(e, this.mod.file) };
    return this.ev.eval(x, this.mod, this.mode);
  }

  isOrigin(e: ES.Expression, depth = 0): boolean {
    if (depth > 20) return false;
    const x = this.resolveLocal(e);
    if (!x) return false;
    const own = this.hooks.isOrigin?.(x);
    if (own !== undefined) return own;
    if (isIdent(x)) {
      const b = this.mod.scopes.bindingOf(x);
      if (!b) return false;
      if (this.originParam && b === this.originParam) return true;
      if ((b.kind === 'const' || b.kind === 'let' || b.kind === 'var') && !b.reassigned && b.init) {
        if (!b.path) return this.isOrigin(b.init, depth + 1);
        // const { origin } = req.headers
        const last = b.path[b.path.length - 1];
        return b.path.length === 1 && !!last && 'key' in last && last.key === 'origin' && isHeadersObject(b.init);
      }
      return false;
    }
    if (x.type === 'MemberExpression') {
      // req.headers.origin / req.headers['origin'] (Node lower-cases header names)
      return memberName(x) === 'origin' && isHeadersObject(x.object as ES.Expression);
    }
    if (x.type === 'CallExpression' && x.callee.type === 'MemberExpression') {
      // req.get('Origin') / req.header('origin'): case-insensitive lookups
      const name = memberName(x.callee);
      const arg = stringLiteral(x.arguments[0]);
      return (name === 'get' || name === 'header') && x.arguments.length === 1 && arg?.toLowerCase() === 'origin';
    }
    if (x.type === 'LogicalExpression' && (x.operator === '||' || x.operator === '??')) {
      // `req.headers.origin || ''`: the same for every request that has an Origin.
      return this.isOrigin(x.left, depth + 1) && this.value(x.right).t === 'str';
    }
    return false;
  }

  isUndefinedOrigin(e: ES.Expression): boolean {
    const x = this.resolveLocal(e);
    if (!x) return false;
    if (this.hooks.isOrigin?.(x) === true) return false;
    if (isIdent(x)) {
      const b = this.mod.scopes.bindingOf(x);
      if (b && (b.kind === 'const' || b.kind === 'let' || b.kind === 'var') && !b.reassigned && b.init && !b.path) return this.isUndefinedOrigin(b.init);
      return false;
    }
    if (x.type !== 'MemberExpression') return false;
    const name = memberName(x);
    if (name === undefined || name.toLowerCase() !== 'origin') return false;
    const obj = unwrap(x.object as ES.Expression);
    // req.header.origin / req.get.origin: a property of the accessor function.
    if (obj.type === 'MemberExpression' && (memberName(obj) === 'header' || memberName(obj) === 'get')) return true;
    // req.headers.Origin: Node stores header names in lower case.
    return name !== 'origin' && isHeadersObject(x.object as ES.Expression);
  }

  // ---- conditions --------------------------------------------------------

  cond(e: ES.Expression): boolean {
    if (++this.guard > 5000) this.markUnknown('condition too large');
    const loc = locOf(e, this.mod.file);
    const local = this.resolveLocal(e);
    if (local === null) return false;
    const x = local;
    if (this.isOrigin(x)) return this.choose({ key: 'present', kind: { k: 'present' } });
    if (this.isUndefinedOrigin(x)) return false;
    switch (x.type) {
      case 'UnaryExpression':
        if (x.operator === '!') return !this.cond(x.argument);
        if (x.operator === '~') {
          const idx = this.indexOfCall(x.argument);
          if (idx) return this.choose(this.listAtom('in', idx, x));
        }
        break;
      case 'LogicalExpression':
        if (x.operator === '&&') return this.cond(x.left) && this.cond(x.right);
        if (x.operator === '||') return this.cond(x.left) || this.cond(x.right);
        break;
      case 'BinaryExpression': {
        const r = this.compare(x);
        if (r !== undefined) return r;
        break;
      }
      case 'CallExpression': {
        const r = this.callCond(x);
        if (r !== undefined) return r;
        break;
      }
      case 'SequenceExpression':
        for (let i = 0; i < x.expressions.length - 1; i++) this.expr(x.expressions[i]!);
        return this.cond(x.expressions[x.expressions.length - 1]!);
      case 'Identifier': {
        const b = this.mod.scopes.bindingOf(x);
        // A const computed from the origin: `const ok = list.includes(origin)`.
        if (b && (b.kind === 'const' || b.kind === 'let' || b.kind === 'var') && !b.reassigned && b.init && !b.path && mentionsOrigin(b.init, this)) return this.cond(b.init);
        break;
      }
      default:
        break;
    }
    const v = this.ev.eval(x, this.mod, this.mode);
    const t = truthy(v);
    if (t !== undefined) return t;
    const description = sourceOf(x as Node, this.mod.text) ?? 'a custom check';
    return this.choose({ key: `u:${loc.file}:${loc.line}:${loc.column}`, kind: { k: 'unknown', description, vars: v.t === 'unknown' ? v.vars : [], loc } });
  }

  private listAtom(k: 'in' | 'index0', list: { list: AV; node: ES.Expression; subj?: Subject }, at: ES.Node): Atom {
    const loc = locOf(at, this.mod.file);
    const l = list.list;
    const subj = list.subj ?? { subject: 'origin', ignoreCase: false };
    const plain = subj.subject === 'origin' && !subj.ignoreCase;
    if (l.t === 'array' && (plain || (k === 'in' && l.items.every((i) => i.t === 'str')))) {
      const values = l.items.filter((i): i is Extract<AV, { t: 'str' }> => i.t === 'str').map((i) => ({ v: i.v, loc: i.loc }));
      if (plain) return { key: `${k}:${JSON.stringify(values.map((v) => v.v))}`, kind: { k, values }, at: loc };
      // `allowedHosts.includes(new URL(origin).hostname)`: a test on a part of the Origin.
      return { ...testAtom(leaf({ op: 'oneOf', values: values.map((v) => v.v) }, subj), sourceOf(at as Node, this.mod.text) ?? 'a list lookup', loc), at: loc };
    }
    const description = sourceOf(at as Node, this.mod.text) ?? 'a custom check';
    return { key: `u:${loc.file}:${loc.line}:${loc.column}`, kind: { k: 'unknown', description, vars: l.t === 'unknown' ? l.vars : [], loc }, at: loc };
  }

  /**
   * What a string test looks at: the Origin itself, `origin.toLowerCase()`,
   * `new URL(origin).hostname` / `.host` / `.protocol`, or a name bound to one
   * of those (`const url = new URL(origin)`, `const { hostname } = new URL(origin)`).
   */
  subjectOf(e: ES.Expression, depth = 0): Subject | undefined {
    if (depth > 20) return undefined;
    if (this.isOrigin(e)) return { subject: 'origin', ignoreCase: false };
    const x = this.resolveLocal(e);
    if (!x) return undefined;
    if (isIdent(x)) {
      const b = this.mod.scopes.bindingOf(x);
      if (!b || !(b.kind === 'const' || b.kind === 'let' || b.kind === 'var') || b.reassigned || !b.init) return undefined;
      if (!b.path) return this.subjectOf(b.init, depth + 1);
      const step = b.path[0];
      if (b.path.length === 1 && step && 'key' in step && !b.defaultValue && this.isOriginUrl(b.init, depth + 1)) return urlPart(step.key);
      return undefined;
    }
    if (x.type === 'MemberExpression' && x.object.type !== 'Super') {
      const name = memberName(x);
      return name !== undefined && this.isOriginUrl(x.object as ES.Expression, depth + 1) ? urlPart(name) : undefined;
    }
    if (x.type === 'CallExpression' && x.callee.type === 'MemberExpression' && x.callee.object.type !== 'Super' && x.arguments.length === 0) {
      const name = memberName(x.callee);
      if (name === 'toLowerCase' || name === 'toLocaleLowerCase') {
        const inner = this.subjectOf(x.callee.object as ES.Expression, depth + 1);
        return inner && { ...inner, ignoreCase: true };
      }
    }
    return undefined;
  }

  /** `new URL(origin)`, or a property or method of it (`new URL(origin).hostname.toLowerCase()`): evaluating it builds the URL. */
  private buildsOriginUrl(x: ES.Expression): boolean {
    for (let e = x, i = 0; i < 10; i++) {
      if (e.type === 'NewExpression') return this.isOriginUrl(e, 0);
      if (e.type === 'MemberExpression' && e.object.type !== 'Super') e = unwrap(e.object as ES.Expression);
      else if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression' && e.callee.object.type !== 'Super') e = unwrap(e.callee.object as ES.Expression);
      else return false;
    }
    return false;
  }

  /** `new URL(origin)` (the WHATWG URL of the request Origin), directly or through a name. */
  private isOriginUrl(e: ES.Expression, depth: number): boolean {
    if (depth > 20) return false;
    const x = this.resolveLocal(e);
    if (!x) return false;
    if (isIdent(x)) {
      const b = this.mod.scopes.bindingOf(x);
      if (!b || !(b.kind === 'const' || b.kind === 'let' || b.kind === 'var') || b.reassigned || !b.init || b.path) return false;
      return this.isOriginUrl(b.init, depth + 1);
    }
    if (x.type !== 'NewExpression' || !isIdent(x.callee, 'URL') || x.arguments.length !== 1) return false;
    // The global URL, or node:url's (the same class).
    const b = this.mod.scopes.bindingOf(x.callee);
    if (b && !(b.importSource === 'url' || b.importSource === 'node:url')) return false;
    const arg = x.arguments[0]!;
    return arg.type !== 'SpreadElement' && this.isOrigin(arg);
  }

  /** `subject.indexOf('literal')` → the literal and the subject. */
  private subjectIndexOf(e: ES.Expression): { lit: string; subj: Subject } | undefined {
    const x = unwrap(e);
    if (x.type !== 'CallExpression' || x.callee.type !== 'MemberExpression' || memberName(x.callee) !== 'indexOf') return undefined;
    if (x.callee.object.type === 'Super') return undefined;
    const subj = this.subjectOf(x.callee.object as ES.Expression);
    if (!subj) return undefined;
    const arg = x.arguments[0];
    if (x.arguments.length !== 1 || !arg || arg.type === 'SpreadElement') return undefined;
    const v = this.value(arg);
    return v.t === 'str' ? { lit: v.v, subj } : undefined;
  }

  /** `list.indexOf(origin)` → the list. */
  private indexOfCall(e: ES.Expression): { list: AV; node: ES.Expression; subj: Subject } | undefined {
    const x = unwrap(e);
    if (x.type !== 'CallExpression' || x.callee.type !== 'MemberExpression' || memberName(x.callee) !== 'indexOf') return undefined;
    if (x.arguments.length < 1 || x.arguments[0]!.type === 'SpreadElement') return undefined;
    const subj = this.subjectOf(x.arguments[0] as ES.Expression);
    if (!subj) return undefined;
    const listNode = x.callee.object as ES.Expression;
    const list = this.value(listNode);
    if (list.t === 'str') return undefined;
    return { list, node: listNode, subj };
  }

  private compare(x: ES.BinaryExpression): boolean | undefined {
    if (x.left.type === 'PrivateIdentifier') return undefined;
    const op = x.operator;
    const eqOps = op === '===' || op === '==' || op === '!==' || op === '!=';
    const negate = op === '!==' || op === '!=';
    const sides: [ES.Expression, ES.Expression][] = [
      [x.left, x.right],
      [x.right, x.left],
    ];
    if (eqOps) {
      for (const [a, b] of sides) {
        if (this.isOrigin(a)) {
          const other = this.value(b);
          if (other.t === 'str') {
            const r = this.choose({ key: `eq:${other.v}`, kind: { k: 'eq', value: other.v, loc: other.loc }, at: locOf(x, this.mod.file) });
            return negate ? !r : r;
          }
          if (other.t === 'undef' || other.t === 'null') {
            const r = !this.choose({ key: 'present', kind: { k: 'present' } });
            return negate ? !r : r;
          }
        }
        // new URL(origin).hostname === 'example.com', origin.toLowerCase() === '...'
        const subj = this.subjectOf(a);
        if (subj) {
          const other = this.value(b);
          if (other.t === 'str') {
            const text = `${sourceOf(a as Node, this.mod.text) ?? subj.subject} === ${sourceOf(b as Node, this.mod.text) ?? JSON.stringify(other.v)}`;
            const r = this.choose(testAtom(leaf({ op: 'equals', value: other.v }, subj), text, locOf(x, this.mod.file)));
            return negate ? !r : r;
          }
        }
        // typeof origin === 'string'
        const ua = unwrap(a);
        if (ua.type === 'UnaryExpression' && ua.operator === 'typeof' && this.isOrigin(ua.argument)) {
          const other = this.value(b);
          if (other.t === 'str') {
            const present = this.choose({ key: 'present', kind: { k: 'present' } });
            const r = other.v === 'string' ? present : other.v === 'undefined' ? !present : false;
            return negate ? !r : r;
          }
        }
        // req.method === 'OPTIONS'
        if (ua.type === 'MemberExpression' && memberName(ua) === 'method') {
          const other = this.value(b);
          if (other.t === 'str') {
            const v = other.v.toUpperCase();
            const r = this.choose({ key: `method:${v}`, kind: { k: 'method', value: v } });
            return negate ? !r : r;
          }
        }
      }
    }
    // origin.indexOf('lit') compared with a number: a substring or prefix test.
    for (const [a, b, flipped] of [
      [x.left, x.right, false],
      [x.right, x.left, true],
    ] as const) {
      const found = this.subjectIndexOf(a);
      if (found === undefined) continue;
      const { lit, subj } = found;
      const n = this.value(b);
      if (n.t !== 'num') return undefined;
      const rel = (i: number) => cmp(flipped ? flip(op) : op, i, n.v);
      const missing = rel(-1);
      const first = rel(0);
      const later = rel(Number.MAX_SAFE_INTEGER);
      if (missing === undefined || first === undefined || later === undefined) return undefined;
      const text = sourceOf(x as Node, this.mod.text) ?? `origin.indexOf('${lit}')`;
      const loc = locOf(x, this.mod.file);
      if (first === later) {
        if (first === missing) return missing;
        return this.choose(testAtom(leaf({ op: 'includes', value: lit }, subj), text, loc)) ? first : missing;
      }
      if (later === missing) return this.choose(testAtom(leaf({ op: 'startsWith', value: lit }, subj), text, loc)) ? first : missing;
      return undefined;
    }
    // list.indexOf(origin) compared with a number
    for (const [a, b, flipped] of [
      [x.left, x.right, false],
      [x.right, x.left, true],
    ] as const) {
      const idx = this.indexOfCall(a);
      if (!idx) continue;
      const n = this.value(b);
      if (n.t !== 'num') return undefined;
      const o = flipped ? flip(op) : op;
      const k = n.v;
      // index i ∈ {-1} ∪ [0, len): decide each relation for "found" (i ≥ 0) vs "not found" (i = -1).
      const rel = (i: number) => cmp(o, i, k);
      const whenMissing = rel(-1);
      if (rel(0) === rel(Number.MAX_SAFE_INTEGER) && whenMissing !== undefined && rel(0) !== undefined) {
        if (rel(0) === whenMissing) return whenMissing;
        const found = this.choose(this.listAtom('in', idx, x));
        return found ? rel(0)! : whenMissing;
      }
      return undefined;
    }
    return undefined;
  }

  private callCond(x: ES.CallExpression): boolean | undefined {
    if (x.callee.type !== 'MemberExpression' || x.callee.object.type === 'Super') return undefined;
    const name = memberName(x.callee);
    const recvNode = x.callee.object as ES.Expression;
    const arg = x.arguments[0];
    if (!name || !arg || arg.type === 'SpreadElement') return undefined;
    const loc = locOf(x, this.mod.file);
    const text = sourceOf(x as Node, this.mod.text);
    const argSubj = name === 'includes' || name === 'has' || name === 'indexOf' || name === 'test' ? this.subjectOf(arg) : undefined;
    if ((name === 'includes' || name === 'has') && argSubj) {
      const list = this.value(recvNode);
      if (list.t === 'str') return undefined; // substring test: a custom check
      if (name === 'has' && list.t === 'array' && !list.set) return undefined;
      return this.choose(this.listAtom('in', { list, node: recvNode, subj: argSubj }, x));
    }
    if (name === 'indexOf' && argSubj) {
      const idx = this.indexOfCall(x);
      if (idx && idx.subj.subject === 'origin' && !idx.subj.ignoreCase) return this.choose(this.listAtom('index0', idx, x));
      return undefined;
    }
    // origin.endsWith('.example.com'), startsWith, includes with a written string; also on a part of new URL(origin).
    if ((name === 'startsWith' || name === 'endsWith' || name === 'includes') && x.arguments.length === 1) {
      const subj = this.subjectOf(recvNode);
      if (!subj) return undefined;
      const v = this.value(arg);
      if (v.t !== 'str') return undefined;
      return this.choose(testAtom(leaf({ op: name, value: v.v }, subj), text ?? `origin.${name}('${v.v}')`, loc));
    }
    if (name === 'test' && argSubj) {
      const re = this.value(recvNode);
      if (re.t === 'regex') return this.choose(testAtom(leaf({ op: 'regex', source: re.source, flags: re.flags }, argSubj), text ?? `/${re.source}/${re.flags}.test(origin)`, re.loc));
      return undefined;
    }
    if (name === 'match') {
      const subj = this.subjectOf(recvNode);
      if (!subj) return undefined;
      const re = this.value(arg);
      if (re.t === 'regex') return this.choose(testAtom(leaf({ op: 'regex', source: re.source, flags: re.flags }, subj), text ?? `origin.match(/${re.source}/)`, re.loc));
      if (re.t === 'str') {
        try {
          // String#match builds `new RegExp(s)`: an invalid pattern throws there, it is never run here.
          new RegExp(re.v);
        } catch {
          return undefined;
        }
        return this.choose(testAtom(leaf({ op: 'regex', source: re.v, flags: '' }, subj), text ?? `origin.match('${re.v}')`, re.loc));
      }
      return undefined;
    }
    if (name === 'some' || name === 'find' || name === 'findIndex') {
      // list.some(o => o === origin)
      const f = unwrap(arg);
      if ((f.type === 'ArrowFunctionExpression' || f.type === 'FunctionExpression') && f.params.length >= 1 && f.params[0]!.type === 'Identifier') {
        const p = f.params[0].name;
        let body: ES.Node = f.body;
        if (body.type === 'BlockStatement') {
          const only = body.body.length === 1 ? body.body[0] : undefined;
          body = only?.type === 'ReturnStatement' && only.argument ? only.argument : body;
        }
        const bx = unwrap(body as ES.Expression);
        if (bx.type === 'BinaryExpression' && (bx.operator === '===' || bx.operator === '==') && bx.left.type !== 'PrivateIdentifier') {
          const [l, r] = [unwrap(bx.left), unwrap(bx.right)];
          const elemOther = isIdent(l, p) ? r : isIdent(r, p) ? l : undefined;
          if (elemOther && this.isOrigin(elemOther)) {
            const list = this.value(recvNode);
            if (name === 'findIndex') return undefined;
            return this.choose(this.listAtom('in', { list, node: recvNode }, x));
          }
        }
      }
      return undefined;
    }
    return undefined;
  }
}

function parsesAsUrl(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/** The part of `new URL(origin)` a property names, as a check subject. */
function urlPart(name: string): Subject | undefined {
  return name === 'hostname' || name === 'host' || name === 'protocol' ? { subject: name, ignoreCase: false } : undefined;
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
}

function cmp(op: string, a: number, b: number): boolean | undefined {
  switch (op) {
    case '===':
    case '==':
      return a === b;
    case '!==':
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return undefined;
  }
}

/** `req.headers` for any request object name. */
function isHeadersObject(e: ES.Expression): boolean {
  const x = unwrap(e);
  return x.type === 'MemberExpression' && memberName(x) === 'headers';
}

function mentionsOrigin<E>(e: ES.Expression, ctx: ExecCtx<E>): boolean {
  let found = false;
  walk(e as Node, (n) => {
    if (found) return false;
    if ((n.type === 'Identifier' || n.type === 'MemberExpression' || n.type === 'CallExpression') && ctx.isOrigin(n as ES.Expression)) found = true;
    return undefined;
  });
  return found;
}

// ---- deciding what a set of paths accepts ---------------------------------

/** One class of requests: a concrete Origin, or every Origin outside the written literals with the given test results. */
export interface Scenario {
  origin?: string;
  tests?: boolean[];
  method: string;
}

export function atomValue(a: AtomKind, s: Scenario, testIndex: (key: string) => number): boolean | undefined {
  switch (a.k) {
    case 'in':
      return s.origin !== undefined ? a.values.some((v) => v.v === s.origin) : false;
    case 'index0':
      return s.origin !== undefined ? a.values[0]?.v !== s.origin : true;
    case 'eq':
      return s.origin !== undefined ? s.origin === a.value : false;
    case 'test':
      if (s.origin === undefined) return s.tests?.[testIndex(`t:${JSON.stringify(a.check)}`)] ?? false;
      // Linear-time matching (the probes' matcher): a written literal cannot make a written pattern hang.
      return evaluateCheck(a.check, s.origin);
    case 'present':
      return true;
    case 'parse':
      return s.origin === undefined || parsesAsUrl(s.origin);
    case 'method':
      return s.method === a.value;
    case 'unknown':
      return undefined;
  }
}

export class PathSet<E> {
  readonly exact: { v: string; loc: Loc }[] = [];
  /** The tests other than whole-Origin equality and list membership; a scenario gives each a result. */
  readonly tests: { key: string; check: CheckLeaf; text: string; loc: Loc }[] = [];
  readonly methods: string[] = ['GET'];
  readonly unknownAtoms: Extract<AtomKind, { k: 'unknown' }>[] = [];
  /** Some path builds `new URL(origin)` in a statement: what it accepts is then no plain union (an Origin that does not parse is rejected first). */
  parses = false;

  constructor(readonly paths: Path<E>[]) {
    for (const p of paths) {
      for (const { atom } of p.choices.values()) {
        const a = atom.kind;
        if (a.k === 'in' || a.k === 'index0') for (const v of a.values) this.addExact(v);
        else if (a.k === 'eq') this.addExact({ v: a.value, loc: a.loc });
        else if (a.k === 'test' && !this.tests.some((r) => r.key === atom.key)) this.tests.push({ key: atom.key, check: a.check, text: a.text, loc: a.loc });
        else if (a.k === 'method' && !this.methods.includes(a.value)) this.methods.push(a.value);
        else if (a.k === 'unknown' && !this.unknownAtoms.some((u) => u.loc === a.loc)) this.unknownAtoms.push(a);
        else if (a.k === 'parse') this.parses = true;
      }
    }
    if (!this.methods.includes('OPTIONS') && this.methods.length > 1) this.methods.push('OPTIONS');
  }

  private addExact(v: { v: string; loc: Loc }): void {
    if (!this.exact.some((e) => e.v === v.v)) this.exact.push(v);
  }

  private testIndex = (key: string) => this.tests.findIndex((r) => r.key === key);

  /** The paths a scenario can take; unknown atoms match either way. */
  pathsFor(s: Scenario): Path<E>[] {
    return this.paths.filter((p) => {
      for (const c of p.choices.values()) {
        const v = atomValue(c.atom.kind, s, this.testIndex);
        if (v !== undefined && v !== c.value) return false;
      }
      return true;
    });
  }

  /**
   * Every class of requests worth distinguishing: each written literal, and
   * each combination of test results for any other Origin. Undefined when
   * there are too many tests to enumerate their combinations.
   */
  scenarios(): Scenario[] | undefined {
    const n = this.tests.length;
    if (n > MAX_SCENARIO_TESTS) return undefined;
    const out: Scenario[] = [];
    for (const method of this.methods) {
      for (const e of this.exact) out.push({ origin: e.v, method });
      for (let mask = 0; mask < 1 << n; mask++) out.push({ tests: this.tests.map((_, i) => ((mask >> i) & 1) === 1), method });
    }
    return out;
  }
}

/** 2^n combinations of test results: beyond this many tests, a check is decided as a tree (decide.ts) instead. */
export const MAX_SCENARIO_TESTS = 8;
