import type { CorsRequest, CorsResponse, Loc, Policy, ResponseHeader } from '../model/index.js';
import type { Resolver } from './resolve.js';
import { firstMatch } from './js-origin-match.js';

/**
 * expressjs/cors 2.8.x (lib/index.js), SEMANTICS.md §1. Also used for NestJS
 * on the Express adapter and, with `version` hints, for the look-alikes.
 *
 * Extra settings (`policy.extra`, written by the Express extractor):
 * - `originFunction: true`: the origin is decided per request by a function
 *   (an `origin` callback or an options delegate); for a rejected Origin it
 *   calls back a falsy value or an error and the middleware sends no CORS
 *   header at all (no Vary, no ACAC), unlike a list that does not match.
 * - `preflightContinue`, `optionsSuccessStatus`: the preflight status.
 *
 * A RegExp with the `g` (or `y`) flag keeps `lastIndex` between requests, so
 * the real middleware alternates match/miss for the same Origin. It is
 * modelled as matching (the first request's answer): the worst case a
 * linter must report.
 */
export function answerExpress(policy: Policy, req: CorsRequest, r: Resolver): CorsResponse {
  const entries = r.get(policy.origins);
  const originLoc = r.isDefault(policy.origins) ? defaultOriginLoc(policy) : policy.origins.loc;
  const headers: ResponseHeader[] = [];
  const byFunction = policy.extra?.originFunction ? r.get(policy.extra.originFunction) === true : false;

  // The middleware calls next() without any header when the origin option
  // (or what an origin function calls back) is falsy. An empty list is
  // truthy: it matches nothing but still sends Vary (and ACAC).
  if ((entries.length === 0 && policy.originForm === 'single') || (entries.length > 0 && entries.every((e) => e.kind === 'none'))) {
    return { known: true, headers: [] };
  }

  const single = policy.originForm === 'single' && entries.length === 1 ? entries[0]! : undefined;
  if (single && single.kind === 'any') {
    headers.push({ name: 'access-control-allow-origin', value: '*', loc: originLoc });
  } else if (single && single.kind === 'exact') {
    headers.push({ name: 'access-control-allow-origin', value: single.origin, loc: single.loc });
    headers.push({ name: 'vary', value: 'Origin' });
  } else {
    const hit = firstMatch(entries, req.origin);
    if (!hit && byFunction) return { known: true, headers: [] };
    if (hit) headers.push({ name: 'access-control-allow-origin', value: req.origin, loc: hit.loc });
    headers.push({ name: 'vary', value: 'Origin' });
  }

  if (r.get(policy.credentials) === true) {
    headers.push({ name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc });
  }

  if (req.preflight) {
    const methods = r.get(policy.methods);
    if (methods.length) headers.push({ name: 'access-control-allow-methods', value: methods.join(','), loc: policy.methods.loc });
    const allow = policy.allowHeaders;
    const list = r.get(allow);
    // Not configured (a default, also as the fallback of options chosen by a variable): the request's headers are echoed.
    if (r.isDefault(allow)) {
      if (req.requestHeaders) headers.push({ name: 'access-control-allow-headers', value: req.requestHeaders });
      headers.push({ name: 'vary', value: 'Access-Control-Request-Headers' });
    } else if (list.length) headers.push({ name: 'access-control-allow-headers', value: list.join(','), loc: allow.loc });
    const maxAge = r.get(policy.maxAge);
    if (maxAge !== null) headers.push({ name: 'access-control-max-age', value: String(maxAge), loc: policy.maxAge.loc });
  }
  const expose = r.get(policy.exposeHeaders);
  if (expose.length) headers.push({ name: 'access-control-expose-headers', value: expose.join(','), loc: policy.exposeHeaders.loc });

  return { known: true, status: req.preflight ? preflightStatus(policy, r) : undefined, headers };
}

/** 204 unless `preflightContinue` hands the preflight to the next handler (status unknown then). */
function preflightStatus(policy: Policy, r: Resolver): number | undefined {
  const extra = policy.extra ?? {};
  if (extra.preflightContinue && r.get(extra.preflightContinue) === true) return undefined;
  const status = extra.optionsSuccessStatus ? r.get(extra.optionsSuccessStatus) : undefined;
  return typeof status === 'number' ? status : 204;
}

/** RULES.md: a default origin is reported at the credentials value, or at the call when both are defaults. */
export function defaultOriginLoc(policy: Policy): Loc {
  return policy.credentials.known && policy.credentials.isDefault ? policy.loc : policy.credentials.loc;
}
