import type * as ES from 'estree';
import type { Policy, Val } from '../../model/index.js';
import { known } from '../../model/index.js';
import { isIdent, locOf, memberName, unwrap, walk } from '../express/ast.js';
import type { Evaluator, Mod } from '../express/evaluate.js';
import { packageOf } from '../js-middleware/packages.js';
import { policyOfParts } from '../js-middleware/parts.js';
import { fastifyDefaults, fastifyUnknown } from './options.js';
import { registerOptions } from './origin.js';

/** The plugin's exports: the default export (also `.default`), the named `fastifyCors`; `fastify-cors` is its name before v7. */
export const PLUGIN_EXPORTS = new Set(['@fastify/cors', '@fastify/cors.fastifyCors', 'fastify-cors', 'fastify-cors.fastifyCors']);
export const APP_FACTORIES = new Set(['fastify', 'fastify.fastify']);
/** Every package the evaluator must model for this extractor. */
export const FASTIFY_PACKAGES: ReadonlySet<string> = new Set(['@fastify/cors', 'fastify-cors', 'fastify']);

/**
 * Every `register(<@fastify/cors>, options)` of the module, as a policy:
 * `fastify.register(cors, {...})`, `app.register(import('@fastify/cors'), opts)`,
 * `register(require('@fastify/cors'), ...)`, whatever the plugin's local name.
 * @fastify/cors is wrapped in fastify-plugin, so it is not encapsulated: it
 * answers for every route of the instance it is registered on (scope: all).
 */
export function fastifyPolicies(ev: Evaluator, mod: Mod, versionOf: (pkg: string) => string | undefined): Policy[] {
  const out: Policy[] = [];
  walk(mod.program, (n) => {
    if (n.type !== 'CallExpression' || !isRegister(n.callee)) return;
    const plugin = n.arguments[0];
    if (!plugin) return;
    const name = packageOf(ev, mod, plugin, PLUGIN_EXPORTS);
    if (!name) return;
    out.push(policyForRegister(ev, mod, n, name.replace(/\.fastifyCors$/, ''), versionOf));
  });
  return out;
}

function isRegister(callee: ES.Expression | ES.Super): boolean {
  if (callee.type === 'Super') return false;
  const c = unwrap(callee);
  return (c.type === 'MemberExpression' && memberName(c) === 'register') || isIdent(c, 'register');
}

function policyForRegister(ev: Evaluator, mod: Mod, call: ES.CallExpression, pkg: string, versionOf: (pkg: string) => string | undefined): Policy {
  const loc = locOf(call, mod.file);
  const arg = call.arguments[1];
  let parts;
  if (!arg) parts = fastifyDefaults(loc);
  else if (arg.type === 'SpreadElement') parts = fastifyUnknown('spread arguments', locOf(arg, mod.file));
  else parts = registerOptions(ev, ev.eval(arg, mod, 'normal'), () => ev.eval(arg, mod, 'unset'), loc, locOf(arg, mod.file));
  const extra: Record<string, Val<unknown>> = { ...parts.extra };
  if (pkg !== '@fastify/cors') extra.package = known(pkg, loc);
  return policyOfParts('fastify', {}, loc, parts, versionOf(pkg), extra);
}
