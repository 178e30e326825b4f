import type * as ES from 'estree';
import type { ProjectFact } from '../../model/index.js';
import { isIdent, locOf, memberName, unwrap, walk } from '../express/ast.js';
import type { AV, Evaluator, Mod } from '../express/evaluate.js';
import { lookupKey } from '../express/evaluate.js';

/**
 * Recognising a package's exports in code (through the Express evaluator,
 * which models the packages it is given as `pkg` values), and the apps a
 * module creates and starts.
 */

/** The package (or `package.export`) an expression evaluates to, when it is one of `names`. */
export function packageOf(ev: Evaluator, mod: Mod, e: ES.Expression | ES.SpreadElement | ES.Super, names: ReadonlySet<string>): string | undefined {
  if (e.type === 'Super' || e.type === 'SpreadElement') return undefined;
  const c = unwrap(e);
  if (c.type === 'Identifier') {
    // Most names in a big file are functions and parameters: no need to evaluate those.
    const b = mod.scopes.bindingOf(c);
    if (!b || b.kind === 'function' || b.kind === 'param' || b.kind === 'class' || b.kind === 'catch') return undefined;
  } else if (c.type !== 'MemberExpression' && c.type !== 'CallExpression' && c.type !== 'ImportExpression' && c.type !== 'AwaitExpression') {
    return undefined;
  }
  const v = ev.eval(c, mod, 'normal');
  return v.t === 'pkg' && names.has(v.name) ? v.name : undefined;
}

/** `fastify()`, `Fastify({ logger: true })`, `new Koa()`, directly or through a `const`. */
export function createsApp(ev: Evaluator, mod: Mod, e: ES.Expression, factories: ReadonlySet<string>, depth = 0): boolean {
  if (depth > 5) return false;
  let x = unwrap(e);
  if (x.type === 'AwaitExpression') x = unwrap(x.argument);
  if (isIdent(x)) {
    const b = mod.scopes.bindingOf(x);
    if (!b || b.reassigned || !b.init || b.path || (b.kind !== 'const' && b.kind !== 'let' && b.kind !== 'var')) return false;
    return createsApp(ev, mod, b.init, factories, depth + 1);
  }
  if (x.type !== 'CallExpression' && x.type !== 'NewExpression') return false;
  return packageOf(ev, mod, x.callee, factories) !== undefined;
}

/**
 * `app.listen(3000)`, `app.listen({ port: Number(process.env.PORT) || 3000 })`
 * on an app the module creates: the port, for linking a proxy configuration
 * of the same repository to the app (like the Express extractor's facts).
 */
export function appListenFacts(ev: Evaluator, mod: Mod, factories: ReadonlySet<string>, framework: string): ProjectFact[] {
  const out: ProjectFact[] = [];
  walk(mod.program, (n) => {
    if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || memberName(n.callee) !== 'listen' || n.callee.object.type === 'Super') return;
    if (!createsApp(ev, mod, n.callee.object, factories)) return;
    const data: Record<string, unknown> = { port: null, framework };
    const arg = n.arguments[0];
    if (arg && arg.type !== 'SpreadElement') {
      const portOf = (v: AV): AV | undefined => (v.t === 'object' ? ((e) => (e && !('unknownSpread' in e) ? e.value : undefined))(lookupKey(v, 'port')) : v);
      const num = (x: AV | undefined) => (x?.t === 'num' ? x.v : x?.t === 'str' && /^\d+$/.test(x.v) ? Number(x.v) : undefined);
      const v = portOf(ev.eval(arg, mod, 'normal'));
      const direct = num(v);
      if (direct !== undefined) data.port = direct;
      else if (v?.t === 'unknown' && v.vars.length) {
        data.variable = v.vars.join('/');
        const fb = num(portOf(ev.eval(arg, mod, 'unset')));
        if (fb !== undefined) data.port = fb;
      }
    }
    out.push({ kind: 'listen', loc: locOf(n, mod.file), data });
  });
  return out;
}
