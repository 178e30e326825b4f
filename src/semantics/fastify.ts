import type { CorsRequest, CorsResponse, Loc, Policy, ResponseHeader } from '../model/index.js';
import { atLeast } from '../util/semver.js';
import { defaultOriginLoc } from './express.js';
import type { Resolver } from './resolve.js';
import { firstMatch } from './js-origin-match.js';

/**
 * @fastify/cors (index.js), SEMANTICS.md §2a and docs/semantics.md, for the
 * version the project pins (`policy.version`; none → the newest, 11.x).
 *
 * Extra settings (written by src/extractors/fastify/):
 * - `originIsFunction: true`: `origin` is a function (Vary: Origin, whatever it answers).
 * - `originFunction: true`: an origin function or options delegator decides
 *   per request; a rejected Origin (callback `false`, an error, a falsy
 *   value) gets no ACAO and no ACAC, only the Vary the plugin already set.
 * - `originError: <typeof>`: `origin` is a falsy value other than `false`
 *   (`undefined` from an unset variable, `''`, `null`, `0`): every request
 *   fails with "Invalid CORS origin option" (500).
 * - `dynamic: true`: options from a delegator (Vary: Origin always, ≥ 9.0.1).
 * - `arrayLists`: the list options written as arrays (sent joined with
 *   `', '`; strings are sent as written).
 * - `preflightContinue`, `optionsSuccessStatus`, `preflight`, `hook` (an
 *   invalid hook is unknown: the plugin refuses to register).
 * - `package: 'fastify-cors'`: the plugin's name before v7 (same lineage).
 */
export function answerFastify(policy: Policy, req: CorsRequest, r: Resolver): CorsResponse {
  const version = policy.version;
  const extra = policy.extra ?? {};
  const flag = (k: string) => (extra[k] ? r.get(extra[k]) === true : false);
  // An invalid hook makes the plugin fail to register: the value is unknown then and so is the answer.
  // (With `preSerialization`, routes that reply with a string, Buffer or stream get no CORS headers:
  // Fastify skips that hook for them. Modelled for the usual JSON replies.)
  if (extra.hook) r.get(extra.hook);
  const entries = r.get(policy.origins);
  const originLoc = r.isDefault(policy.origins) ? defaultOriginLoc(policy) : policy.origins.loc;
  const byFunction = flag('originFunction');
  const dynamic = flag('dynamic');
  const error = extra.originError ? String(r.get(extra.originError)) : undefined;
  const off = !byFunction && !error && entries.length > 0 && entries.every((e) => e.kind === 'none');

  // The origin option as the plugin sees it after normalizeCorsOptions: a string (sent as is) or something to match.
  const single = policy.originForm === 'single' && entries.length === 1 ? entries[0]! : undefined;
  let fixed: { value: string; loc: Loc } | undefined;
  if (!byFunction && single?.kind === 'any') fixed = { value: '*', loc: originLoc };
  else if (!byFunction && single?.kind === 'exact') fixed = { value: single.origin, loc: single.loc };
  else if (atLeast(version, '8.2.1')) {
    // An array holding '*' becomes '*' (also one an origin function calls back).
    const star = entries.find((e) => (e.kind === 'exact' && e.origin === '*') || e.kind === 'any');
    if (star && policy.originForm === 'list') fixed = { value: '*', loc: star.loc };
  }
  const staticString = ((!!fixed && !byFunction) || error === 'string') && !flag('originIsFunction');

  const headers: ResponseHeader[] = [];
  // Before 9.0.0 every request gets Vary: Origin; since then only a non-string origin option does (or delegated options, 9.0.1).
  const vary = atLeast(version, '9.0.0') ? (dynamic && atLeast(version, '9.0.1')) || (!staticString && !off) : true;
  if (vary) headers.push({ name: 'vary', value: 'Origin' });

  // `origin: false`: no CORS header, and the OPTIONS route answers 404.
  if (off) return { known: true, headers, ...(req.preflight ? { status: 404 } : {}) };
  if (error) return { known: true, headers, status: 500 };

  if (fixed) headers.push({ name: 'access-control-allow-origin', value: fixed.value, loc: fixed.loc });
  else {
    const hit = firstMatch(entries, req.origin);
    // Rejected by a function: `next()` (or the error handler) with only Vary; what status follows is the app's.
    if (!hit && byFunction) return { known: true, headers };
    if (hit && req.origin) headers.push({ name: 'access-control-allow-origin', value: req.origin, loc: hit.loc });
    else if (!atLeast(version, '6.0.0')) headers.push({ name: 'access-control-allow-origin', value: 'false', loc: originLoc });
  }

  if (r.get(policy.credentials)) headers.push({ name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc });

  const arrays = extra.arrayLists ? (r.get(extra.arrayLists) as string[]) : [];
  const join = (key: string, list: string[]) => list.join(arrays.includes(key) ? ', ' : ',');
  if (!r.isDefault(policy.exposeHeaders)) {
    headers.push({ name: 'access-control-expose-headers', value: join('exposedHeaders', r.get(policy.exposeHeaders)), loc: policy.exposeHeaders.loc });
  }

  const preflightOn = extra.preflight ? r.get(extra.preflight) === true : true;
  if (!req.preflight) return { known: true, headers };
  // `preflight: false`: the OPTIONS request got the headers above, then the plugin's OPTIONS route answers.
  if (!preflightOn) return { known: true, headers };

  const methods = r.isDefault(policy.methods) ? (atLeast(version, '11.0.0') ? 'GET,HEAD,POST' : 'GET,HEAD,PUT,PATCH,POST,DELETE') : join('methods', r.get(policy.methods));
  headers.push({ name: 'access-control-allow-methods', value: methods, loc: policy.methods.loc });
  const allow = policy.allowHeaders;
  if (r.isDefault(allow)) {
    headers.push({ name: 'vary', value: 'Access-Control-Request-Headers' });
    if (req.requestHeaders) headers.push({ name: 'access-control-allow-headers', value: req.requestHeaders });
  } else {
    headers.push({ name: 'access-control-allow-headers', value: join('allowedHeaders', r.get(allow)), loc: allow.loc });
  }
  const maxAge = r.get(policy.maxAge);
  if (maxAge !== null) headers.push({ name: 'access-control-max-age', value: String(maxAge), loc: policy.maxAge.loc });

  if (extra.preflightContinue && r.get(extra.preflightContinue) === true) return { known: true, headers };
  const status = extra.optionsSuccessStatus ? r.get(extra.optionsSuccessStatus) : undefined;
  return { known: true, headers, status: typeof status === 'number' ? status : 204 };
}
