import type { ProjectFact } from '../../model/index.js';
import { locOf, memberName, unwrap, walk } from './ast.js';
import type { Evaluator, Mod } from './evaluate.js';

/**
 * `app.listen(3000)` / `server.listen(process.env.PORT || 3000)`: the port an
 * Express app serves, so a proxy configuration in the same repository can be
 * linked to it. `port` is the written number, or the fallback when it comes
 * from the environment (`variable` then names it); null when unknown.
 */
export function listenFacts(ev: Evaluator, mod: Mod): ProjectFact[] {
  const out: ProjectFact[] = [];
  walk(mod.program, (n) => {
    if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || memberName(n.callee) !== 'listen') return;
    if (n.callee.object.type === 'Super') return;
    const recv = ev.eval(unwrap(n.callee.object), mod, 'normal');
    if (recv.t !== 'app' || recv.kind === 'router') return;
    const data: Record<string, unknown> = { port: null, framework: recv.kind === 'nest' ? 'nestjs' : 'express' };
    const arg = n.arguments[0];
    if (arg && arg.type !== 'SpreadElement') {
      const v = ev.eval(arg, mod, 'normal');
      const num = (x: typeof v) => (x.t === 'num' ? x.v : x.t === 'str' && /^\d+$/.test(x.v) ? Number(x.v) : undefined);
      const direct = num(v);
      if (direct !== undefined) data.port = direct;
      else if (v.t === 'unknown' && v.vars.length) {
        data.variable = v.vars.join('/');
        const fb = num(ev.eval(arg, mod, 'unset'));
        if (fb !== undefined) data.port = fb;
      }
    }
    out.push({ kind: 'listen', loc: locOf(n, mod.file), data });
  });
  return out;
}
