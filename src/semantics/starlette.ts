import type { CorsRequest, CorsResponse, OriginEntry, Policy, ResponseHeader, Val } from '../model/index.js';
import { testRegex } from '../probes/match.js';
import { atLeast } from './django.js';
import type { Resolver } from './resolve.js';
import { UnknownValueError } from './resolve.js';

/**
 * Starlette's `CORSMiddleware` (`starlette/middleware/cors.py`), which
 * FastAPI re-exports; SEMANTICS.md §5, checked against 0.26.1 by the oracle
 * and read for every release since 0.12. Where releases differ the policy's
 * `version` decides; without one the newest behaviour applies (unchanged
 * since 0.15.0):
 *
 * - < 0.13.1: `allow_origin_regex` is applied with `re.match` (start-anchored
 *   only); later `fullmatch`. The extractor sets the regex entry's flavour.
 * - < 0.13.3: Allow-Headers lists only `allow_headers` (no safelisted headers),
 *   unsorted, and only when there are some.
 * - < 0.15.0: allow-all preflights answer `*` even with credentials; a cookie
 *   request to allow-all gets the Origin back without `Vary: Origin`;
 *   `allow_methods=['*']` lacks HEAD.
 *
 * For a preflight, `request.method` is the Access-Control-Request-Method
 * (as for Laravel) and `request.requestHeaders` the Access-Control-Request-Headers.
 */

export const NEWEST_STARLETTE = '0.47.3';

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const ALL_METHODS_OLD = ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const SAFELISTED_HEADERS = ['Accept', 'Accept-Language', 'Content-Language', 'Content-Type'];

/** The Starlette-specific facts the extractor keeps in `policy.extra`. */
export interface StarletteExtra {
  /**
   * `allow_origins` is one string, not a list: Python's `in` then tests
   * substrings (`'*' in 'https://a.example'`, `origin in 'https://a.example,https://b.example'`).
   * The origins hold that string as one `exact` entry.
   */
  originsString?: Val<boolean>;
}

export function starletteExtra(policy: Policy): StarletteExtra {
  return (policy.extra ?? {}) as StarletteExtra;
}

export function answerStarlette(policy: Policy, req: CorsRequest, r: Resolver): CorsResponse {
  const version = policy.version ?? NEWEST_STARLETTE;
  const v15 = atLeast(version, '0.15.0');
  const headers: ResponseHeader[] = [];
  // Without an Origin header the middleware passes the request through untouched.
  if (!req.origin) return { known: true, headers };

  const entries = r.get(policy.origins);
  // `none`: the middleware is not installed in this world (a branch not taken).
  if (entries.some((e) => e.kind === 'none')) return { known: true, headers };
  const extra = starletteExtra(policy);
  const asString = extra.originsString ? r.get(extra.originsString) : false;
  const anyEntry = entries.find((e) => e.kind === 'any') ?? (asString ? stringAllowsAll(entries) : undefined);
  const allowAll = anyEntry !== undefined;
  const credentials = r.get(policy.credentials);
  const acao = (value: string, e: OriginEntry): ResponseHeader => ({ name: 'access-control-allow-origin', value, loc: e.loc });
  const acac: ResponseHeader = { name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc };

  if (req.preflight) {
    const explicit = v15 ? !allowAll || credentials : !allowAll;
    const failures: string[] = [];
    if (explicit) headers.push({ name: 'vary', value: 'Origin' });
    else headers.push(acao('*', anyEntry!));
    let methods = r.get(policy.methods);
    if (methods.includes('*')) methods = v15 ? ALL_METHODS : ALL_METHODS_OLD;
    headers.push({ name: 'access-control-allow-methods', value: methods.join(', '), loc: policy.methods.loc });
    const maxAge = r.get(policy.maxAge);
    headers.push({ name: 'access-control-max-age', value: maxAge === null ? 'None' : String(maxAge), loc: policy.maxAge.loc });
    const written = r.get(policy.allowHeaders);
    const allowAllHeaders = written.includes('*');
    const listed = atLeast(version, '0.13.3') ? [...new Set([...SAFELISTED_HEADERS, ...written])].sort() : written;
    const allowHeadersHeader: ResponseHeader = { name: 'access-control-allow-headers', value: listed.join(', '), loc: policy.allowHeaders.loc };
    if (listed.length && !allowAllHeaders) headers.push(allowHeadersHeader);
    if (credentials) headers.push(acac);

    const hit = allowedBy(entries, allowAll ? anyEntry : undefined, req.origin, asString);
    if (hit) {
      if (explicit) headers.push(acao(req.origin, hit));
    } else failures.push('origin');
    // Compared case-sensitively, as written.
    if (!methods.includes(req.method ?? 'GET')) failures.push('method');
    if (allowAllHeaders && req.requestHeaders !== undefined) {
      headers.push({ ...allowHeadersHeader, value: req.requestHeaders });
    } else if (req.requestHeaders !== undefined) {
      const lowered = listed.map((h) => h.toLowerCase());
      if (req.requestHeaders.split(',').some((h) => !lowered.includes(h.toLowerCase().trim()))) failures.push('headers');
    }
    return { known: true, status: failures.length ? 400 : 200, headers };
  }

  // The fixed headers go out with every response to a request that has an Origin, allowed or not.
  if (allowAll) headers.push(acao('*', anyEntry!));
  if (credentials) headers.push(acac);
  const expose = r.get(policy.exposeHeaders);
  if (expose.length) headers.push({ name: 'access-control-expose-headers', value: expose.join(', '), loc: policy.exposeHeaders.loc });
  if (allowAll && req.cookie) {
    replaceOrigin(headers, acao(req.origin, anyEntry!));
    if (v15) headers.push({ name: 'vary', value: 'Origin' });
  } else if (!allowAll) {
    const hit = allowedBy(entries, undefined, req.origin, asString);
    if (hit) {
      headers.push(acao(req.origin, hit));
      headers.push({ name: 'vary', value: 'Origin' });
    }
  }
  return { known: true, headers };
}

/** `is_allowed_origin`: allow-all, then `allow_origin_regex`, then `origin in allow_origins`. */
function allowedBy(entries: OriginEntry[], allowAll: OriginEntry | undefined, origin: string, asString: boolean): OriginEntry | undefined {
  if (allowAll) return allowAll;
  for (const e of entries) {
    if (e.kind !== 'regex') continue;
    const hit = testRegex(e.source, e.flags, e.flavor, origin);
    if (hit === undefined) throw new UnknownValueError({ known: false, reason: `regex '${e.source}' cannot be evaluated`, loc: e.loc });
    if (hit) return e;
  }
  for (const e of entries) {
    if (e.kind === 'exact' && (asString ? e.origin.includes(origin) : e.origin === origin)) return e;
    if (e.kind === 'predicate' || e.kind === 'check' || e.kind === 'reflect' || e.kind === 'wildcard') {
      throw new UnknownValueError({ known: false, reason: `cannot evaluate ${e.kind} origin`, loc: e.loc });
    }
  }
  return undefined;
}

/** `'*' in 'https://*.example.com'`: a string holding a `*` anywhere turns allow-all on. */
function stringAllowsAll(entries: OriginEntry[]): OriginEntry | undefined {
  return entries.find((e) => e.kind === 'exact' && e.origin.includes('*'));
}

function replaceOrigin(headers: ResponseHeader[], h: ResponseHeader): void {
  const i = headers.findIndex((x) => x.name === 'access-control-allow-origin');
  if (i >= 0) headers[i] = h;
  else headers.push(h);
}
