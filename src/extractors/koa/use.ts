import type * as ES from 'estree';
import type { Policy } from '../../model/index.js';
import { known } from '../../model/index.js';
import { locOf, walk } from '../express/ast.js';
import type { Evaluator, Mod } from '../express/evaluate.js';
import { mountScope } from '../express/usage.js';
import { packageOf } from '../js-middleware/packages.js';
import { chosenByVariable, policyOfParts } from '../js-middleware/parts.js';
import type { OptionsPolicy } from '../js-middleware/parts.js';
import { koaDefaults, koaOptions, koaUnknown } from './options.js';

/** `@koa/cors`, and `kcors`, its name before 2.2.2 (`.default` is the package itself). */
export const CORS_EXPORTS = new Set(['@koa/cors', 'kcors']);
export const APP_FACTORIES = new Set(['koa', 'koa.Koa', 'koa.default']);
export const KOA_PACKAGES: ReadonlySet<string> = new Set(['@koa/cors', 'kcors', 'koa']);

/**
 * Every `cors(options)` call of the module whose `cors` is @koa/cors or
 * kcors, as a policy. It applies where the middleware is mounted:
 * `app.use(cors())` everywhere, a koa-router `router.get('/x', cors(), ...)`
 * on that route (the Express extractor's mount analysis).
 */
export function koaPolicies(ev: Evaluator, mod: Mod, versionOf: (pkg: string) => string | undefined): Policy[] {
  const out: Policy[] = [];
  walk(mod.program, (n) => {
    if (n.type !== 'CallExpression') return;
    const pkg = packageOf(ev, mod, n.callee, CORS_EXPORTS);
    if (pkg) out.push(policyForCall(ev, mod, n, pkg, versionOf));
  });
  return out;
}

function policyForCall(ev: Evaluator, mod: Mod, call: ES.CallExpression, pkg: string, versionOf: (pkg: string) => string | undefined): Policy {
  const loc = locOf(call, mod.file);
  const arg = call.arguments[0];
  let parts: OptionsPolicy;
  if (!arg) parts = koaDefaults(loc);
  else if (arg.type === 'SpreadElement') parts = koaUnknown('spread arguments', locOf(arg, mod.file));
  else {
    const av = ev.eval(arg, mod, 'normal');
    // `{ ...defaults, ...options }`: anything but an object adds nothing.
    if (av.t === 'object') parts = koaOptions(ev, av, ev.eval(arg, mod, 'unset'), loc);
    else if (av.t !== 'unknown') parts = koaDefaults(loc);
    else {
      const u = av.vars.length ? ev.eval(arg, mod, 'unset') : undefined;
      parts = u?.t === 'object' ? chosenByVariable(koaOptions(ev, u, u, loc), av.reason, av.vars.join('/'), locOf(arg, mod.file), { extra: 'wrap' }) : koaUnknown(av.reason, locOf(arg, mod.file));
    }
  }
  const extra = { ...parts.extra };
  if (pkg !== '@koa/cors') extra.package = known(pkg, loc);
  return policyOfParts('koa', mountScope(call, mod, ev), loc, parts, versionOf(pkg), extra);
}
