import type * as ES from 'estree';
import type { Scope } from '../../model/index.js';
import type { Node } from './ast.js';
import { memberName, unwrap } from './ast.js';
import type { Evaluator, Mod } from './evaluate.js';

const ROUTE_METHODS = new Set(['use', 'all', 'get', 'post', 'put', 'patch', 'delete', 'del', 'options', 'head']);

interface Usage {
  paths?: string[];
  /** Undefined: every method (use/all). */
  methods?: string[];
}

/**
 * Where a middleware (a `cors()` call or a handler function) is mounted:
 * `app.get('/x', mw)` → path /x for GET and HEAD; `app.use(mw)` → everywhere.
 * Followed through one variable (`const mw = cors(); app.use(mw)`). A
 * middleware whose mounting is not visible applies everywhere.
 */
export function mountScope(node: Node, mod: Mod, ev: Evaluator): Scope {
  const usages: Usage[] = [];
  collect(node, mod, ev, usages, 0);
  if (usages.length === 0) return {};
  const scope: Scope = {};
  if (usages.every((u) => u.paths)) scope.paths = [...new Set(usages.flatMap((u) => u.paths!))];
  if (usages.every((u) => u.methods)) scope.methods = [...new Set(usages.flatMap((u) => u.methods!))];
  return scope;
}

function collect(node: Node, mod: Mod, ev: Evaluator, out: Usage[], depth: number): void {
  if (depth > 5) return;
  const parent = mod.scopes.parentOf(node);
  if (!parent) return;
  if (parent.type === 'CallExpression' && (parent.arguments as Node[]).includes(node)) {
    const u = routeUsage(parent, node, mod, ev);
    if (u) out.push(u);
    return;
  }
  if (parent.type === 'ArrayExpression' || isWrapper(parent)) {
    collect(parent, mod, ev, out, depth + 1);
    return;
  }
  let id: ES.Identifier | undefined;
  if (parent.type === 'VariableDeclarator' && parent.init && unwrap(parent.init) === node && parent.id.type === 'Identifier') id = parent.id;
  if (node.type === 'FunctionDeclaration' && node.id) id = node.id;
  if (!id) return;
  const b = mod.scopes.bindingOf(id);
  if (!b || b.reassigned) return;
  for (const ref of b.references) collect(ref, mod, ev, out, depth + 1);
}

function isWrapper(n: Node): boolean {
  const t = n.type as string;
  return t === 'TSAsExpression' || t === 'TSNonNullExpression' || t === 'TSSatisfiesExpression' || t === 'ParenthesizedExpression';
}

function routeUsage(call: ES.CallExpression, arg: Node, mod: Mod, ev: Evaluator): Usage | undefined {
  const callee = call.callee.type === 'Super' ? undefined : unwrap(call.callee);
  if (callee?.type !== 'MemberExpression') return undefined;
  const name = memberName(callee);
  if (!name || !ROUTE_METHODS.has(name)) return undefined;
  const u: Usage = {};
  if (name !== 'use' && name !== 'all') u.methods = name === 'get' ? ['GET', 'HEAD'] : [name === 'del' ? 'DELETE' : name.toUpperCase()];
  const first = call.arguments[0];
  if (first && first !== arg && first.type !== 'SpreadElement') {
    const p = pathsOf(ev.eval(first, mod, 'normal'));
    if (p) u.paths = p;
  } else if (callee.object.type !== 'Super') {
    // app.route('/x').get(mw)
    const obj = unwrap(callee.object);
    if (obj.type === 'CallExpression' && obj.callee.type === 'MemberExpression' && memberName(obj.callee) === 'route' && obj.arguments[0]) {
      const p = pathsOf(ev.eval(obj.arguments[0] as ES.Expression, mod, 'normal'));
      if (p) u.paths = p;
    }
  }
  return u;
}

function pathsOf(v: ReturnType<Evaluator['eval']>): string[] | undefined {
  if (v.t === 'str') return [v.v];
  if (v.t === 'regex') return [`/${v.source}/${v.flags}`];
  if (v.t === 'array') {
    const out: string[] = [];
    for (const i of v.items) {
      if (i.t === 'str') out.push(i.v);
      else if (i.t === 'regex') out.push(`/${i.source}/${i.flags}`);
      else return undefined;
    }
    return out;
  }
  return undefined;
}
