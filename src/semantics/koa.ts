import type { CorsRequest, CorsResponse, Loc, OriginEntry, Policy, ResponseHeader } from '../model/index.js';
import { atLeast } from '../util/semver.js';
import { defaultOriginLoc } from './express.js';
import type { Resolver } from './resolve.js';
import { UnknownValueError } from './resolve.js';
import { firstMatch } from './js-origin-match.js';

/**
 * @koa/cors (index.js) and kcors, SEMANTICS.md §2b and docs/semantics.md,
 * for the version the project pins (`policy.version`; none → the newest).
 *
 * - `origin` is never matched: a string (or any truthy value, stringified by
 *   Koa's `ctx.set`; an array gives one header per element) is sent to every
 *   request; a function's result is sent, and a falsy result sends nothing.
 * - `options.origin || default`: the default is `'*'` since @koa/cors 5.0.0
 *   and the request Origin before (every kcors) — `originDefaulted`.
 * - `credentials && origin === '*'` → the request Origin (since 3.4.1, #85).
 * - `Vary: Origin` on every response the middleware sees.
 *
 * Extra settings (src/extractors/koa/): `originDefaulted`, `originFunction`
 * (a falsy result: only Vary), `privateNetworkAccess`, `package: 'kcors'`.
 */
export function answerKoa(policy: Policy, req: CorsRequest, r: Resolver): CorsResponse {
  const extra = policy.extra ?? {};
  const flag = (k: string) => (extra[k] ? r.get(extra[k]) === true : false);
  const kcors = extra.package ? r.get(extra.package) === 'kcors' : false;
  const version = policy.version;
  const entries = r.get(policy.origins);
  const credentials = r.get(policy.credentials);
  const headers: ResponseHeader[] = [{ name: 'vary', value: 'Origin' }];
  const defaulted = r.isDefault(policy.origins);
  const originLoc = defaulted ? defaultOriginLoc(policy) : policy.origins.loc;

  let values: { value: string; loc: Loc }[];
  if (flag('originFunction')) {
    const hit = firstMatch(entries, req.origin);
    // A falsy result: `return await next()`, nothing but the Vary already set.
    if (!hit || !req.origin) return { known: true, headers };
    values = [{ value: req.origin, loc: hit.loc }];
  } else if (policy.originForm === 'single' && entries.length === 1 && entries[0]!.kind === 'any') {
    const reflectByDefault = kcors || !atLeast(version, '5.0.0');
    values = [{ value: flag('originDefaulted') && reflectByDefault ? req.origin : '*', loc: originLoc }];
  } else {
    values = entries.map((e) => ({ value: literal(e), loc: e.loc }));
  }

  // `credentials && origin === '*'` (the option, or a function's result, being exactly '*').
  if (credentials && values.length === 1 && values[0]!.value === '*' && policy.originForm === 'single' && !kcors && atLeast(version, '3.4.1')) {
    values = [{ value: req.origin, loc: values[0]!.loc }];
  }
  for (const v of values) headers.push({ name: 'access-control-allow-origin', value: v.value, loc: v.loc });
  // kcors 1.x drops Access-Control-Allow-Credentials next to '*'.
  const dropsCredentials = kcors && !atLeast(version, '2.0.0') && values.some((v) => v.value === '*');
  if (credentials && !dropsCredentials) headers.push({ name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc });

  if (!req.preflight) {
    const expose = r.get(policy.exposeHeaders);
    if (expose.length) headers.push({ name: 'access-control-expose-headers', value: expose.join(','), loc: policy.exposeHeaders.loc });
    return { known: true, headers };
  }

  const maxAge = r.get(policy.maxAge);
  if (maxAge) headers.push({ name: 'access-control-max-age', value: String(maxAge), loc: policy.maxAge.loc });
  if (req.privateNetwork && flag('privateNetworkAccess') && !kcors && atLeast(version, '3.3.0')) {
    headers.push({ name: 'access-control-allow-private-network', value: 'true', loc: extra.privateNetworkAccess!.loc });
  }
  const methods = r.get(policy.methods);
  if (methods.length) headers.push({ name: 'access-control-allow-methods', value: methods.join(','), loc: policy.methods.loc });
  const allow = policy.allowHeaders;
  // Unset: the request's Access-Control-Request-Headers is echoed (without Vary).
  const allowDefault = r.isDefault(allow);
  const allowValue = allowDefault ? req.requestHeaders : r.get(allow).join(',');
  if (allowValue) headers.push({ name: 'access-control-allow-headers', value: allowValue, ...(allowDefault ? {} : { loc: allow.loc }) });
  return { known: true, headers, status: 204 };
}

/** What Koa's `ctx.set` sends for a value that is not matched: the string itself. */
function literal(e: OriginEntry): string {
  switch (e.kind) {
    case 'exact':
      return e.origin;
    case 'any':
      return '*';
    default:
      throw new UnknownValueError({ known: false, reason: `cannot send a ${e.kind} origin`, loc: e.loc });
  }
}
