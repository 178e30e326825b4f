import type { CorsRequest, CorsResponse, Loc, OriginEntry, Policy, ResponseHeader, Val } from '../model/index.js';
import { testRegex } from '../probes/match.js';
import type { Resolver } from './resolve.js';
import { UnknownValueError } from './resolve.js';

/**
 * django-cors-headers (`corsheaders/middleware.py`), SEMANTICS.md §4, for
 * every release since 2.x. Where releases differ the policy's `version`
 * decides; without one the newest behaviour (4.9) applies:
 *
 * - < 3.0.0: CORS_ORIGIN_WHITELIST holds host[:port] values compared with the
 *   Origin's netloc only (any scheme).
 * - < 3.5.0: only the old setting names exist (the extractor handles that).
 * - < 4.0.0: default CORS_ALLOW_HEADERS also lists accept-encoding, dnt and
 *   origin; `Vary: Origin` is written capitalised; no private-network header.
 * - < 4.3.0: Access-Control-Allow-Credentials goes to every response that
 *   carries an Origin, allowed or not.
 */

export const NEWEST_DJANGO_CORS_HEADERS = '4.9.0';

export const DJANGO_DEFAULT_METHODS = ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

const DEFAULT_HEADERS_4 = ['accept', 'authorization', 'content-type', 'user-agent', 'x-csrftoken', 'x-requested-with'];
const DEFAULT_HEADERS_3 = ['accept', 'accept-encoding', 'authorization', 'content-type', 'dnt', 'origin', 'user-agent', 'x-csrftoken', 'x-requested-with'];

export function djangoDefaultHeaders(version: string | undefined): string[] {
  return atLeast(version, '4.0.0') ? DEFAULT_HEADERS_4 : DEFAULT_HEADERS_3;
}

export const CORS_MIDDLEWARE = 'corsheaders.middleware.CorsMiddleware';

/** One entry of MIDDLEWARE, with where it is written. */
export interface DjangoMiddlewareEntry {
  name: string;
  loc: Loc;
}

/** The Django-specific settings the extractor keeps in `policy.extra`. */
export interface DjangoExtra {
  /** CORS_URLS_REGEX (re.match on request.path_info); default `^.*$`. */
  urlsRegex?: Val<string>;
  allowPrivateNetwork?: Val<boolean>;
  /** MIDDLEWARE, when the settings module (or what it imports) assigns it. */
  middleware?: Val<DjangoMiddlewareEntry[]>;
}

export function djangoExtra(policy: Policy): DjangoExtra {
  return (policy.extra ?? {}) as DjangoExtra;
}

/**
 * Is CorsMiddleware installed? `false` only when MIDDLEWARE is fully known
 * and lists neither it nor anything that could be a subclass of it.
 */
export function corsMiddlewareInstalled(policy: Policy): boolean | undefined {
  const mw = djangoExtra(policy).middleware;
  if (!mw || !mw.known) return undefined;
  return mw.value.some((m) => m.name === CORS_MIDDLEWARE || /cors/i.test(m.name));
}

export function answerDjango(policy: Policy, req: CorsRequest, r: Resolver): CorsResponse {
  const version = policy.version ?? NEWEST_DJANGO_CORS_HEADERS;
  const v4 = atLeast(version, '4.0.0');
  const extra = djangoExtra(policy);
  const headers: ResponseHeader[] = [];
  const status = req.preflight ? 200 : undefined;

  // Without the middleware in MIDDLEWARE nothing answers CORS (django-middleware-order reports that).
  if (corsMiddlewareInstalled(policy) === false) return { known: true, headers };

  // CORS_URLS_REGEX: without a request path, the request is taken to hit a path CORS covers.
  if (req.path !== undefined && extra.urlsRegex) {
    const src = r.get(extra.urlsRegex);
    const hit = testRegex(src, '', 'python-match', req.path);
    if (hit === undefined) throw new UnknownValueError({ known: false, reason: `CORS_URLS_REGEX '${src}' cannot be evaluated`, loc: extra.urlsRegex.loc });
    if (!hit) return { known: true, headers };
  }

  headers.push({ name: 'vary', value: v4 ? 'origin' : 'Origin' });
  if (!req.origin) return { known: true, status, headers };
  const url = urlsplit(req.origin);
  if (!url) return { known: true, status, headers };

  const credentials = r.get(policy.credentials);
  const credentialsHeader: ResponseHeader = { name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc };
  if (credentials && !atLeast(version, '4.3.0')) headers.push(credentialsHeader);

  const entries = r.get(policy.origins);
  const allowAll = entries.find((e) => e.kind === 'any');
  const hit = allowAll ?? allowedBy(entries, req.origin, url, atLeast(version, '3.0.0'));
  if (!hit) return { known: true, status, headers };

  headers.push({ name: 'access-control-allow-origin', value: allowAll && !credentials ? '*' : req.origin, loc: hit.loc });
  if (credentials && atLeast(version, '4.3.0')) headers.push(credentialsHeader);

  const expose = r.get(policy.exposeHeaders);
  if (expose.length) headers.push({ name: 'access-control-expose-headers', value: expose.join(', '), loc: policy.exposeHeaders.loc });

  // The middleware adds these to any OPTIONS response, preflight or not.
  if (req.preflight || req.method?.toUpperCase() === 'OPTIONS') {
    const allow = policy.allowHeaders.known && policy.allowHeaders.isDefault ? djangoDefaultHeaders(version) : r.get(policy.allowHeaders);
    headers.push({ name: 'access-control-allow-headers', value: allow.join(', '), loc: policy.allowHeaders.loc });
    headers.push({ name: 'access-control-allow-methods', value: r.get(policy.methods).join(', '), loc: policy.methods.loc });
    const maxAge = r.get(policy.maxAge);
    if (maxAge) headers.push({ name: 'access-control-max-age', value: String(maxAge), loc: policy.maxAge.loc });
  }

  if (v4 && req.privateNetwork && extra.allowPrivateNetwork && r.get(extra.allowPrivateNetwork)) {
    headers.push({ name: 'access-control-allow-private-network', value: 'true', loc: extra.allowPrivateNetwork.loc });
  }
  return { known: true, status, headers };
}

/** `origin_found_in_white_lists`: `null` literally listed, scheme + netloc equal, or a regex `re.match`. */
function allowedBy(entries: OriginEntry[], origin: string, url: SplitResult, schemeAware: boolean): OriginEntry | undefined {
  if (origin === 'null') {
    const listed = entries.find((e) => e.kind === 'exact' && e.origin === 'null');
    if (listed) return listed;
  }
  for (const e of entries) {
    if (e.kind !== 'exact') continue;
    if (!schemeAware) {
      // 2.x: `url.netloc in CORS_ORIGIN_WHITELIST`.
      if (e.origin === url.netloc) return e;
      continue;
    }
    const listed = urlsplit(e.origin);
    if (listed && listed.scheme === url.scheme && listed.netloc === url.netloc) return e;
  }
  for (const e of entries) {
    if (e.kind === 'regex') {
      const hit = testRegex(e.source, e.flags, 'python-match', origin);
      if (hit === undefined) throw new UnknownValueError({ known: false, reason: `regex '${e.source}' cannot be evaluated`, loc: e.loc });
      if (hit) return e;
    } else if (e.kind === 'predicate' || e.kind === 'reflect' || e.kind === 'wildcard') {
      throw new UnknownValueError({ known: false, reason: `cannot evaluate ${e.kind} origin`, loc: e.loc });
    }
  }
  return undefined;
}

export interface SplitResult {
  scheme: string;
  netloc: string;
  path: string;
}

// eslint-disable-next-line no-control-regex -- WHATWG C0 controls, exactly what CPython strips
const C0_OR_SPACE = /^[\x00-\x20]+/;
const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;

/**
 * CPython 3.11 `urllib.parse.urlsplit`, as far as scheme and netloc go:
 * leading C0/space stripped, tab/CR/LF removed, the scheme lower-cased, the
 * netloc kept as written (so the comparison is case-sensitive). undefined
 * where Python raises ValueError (unbalanced IPv6 brackets).
 */
export function urlsplit(input: string): SplitResult | undefined {
  let url = input.replace(C0_OR_SPACE, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  const i = url.indexOf(':');
  if (i > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, i))) {
    scheme = url.slice(0, i).toLowerCase();
    url = url.slice(i + 1);
  }
  if (url.startsWith('//')) {
    let end = url.length;
    for (const c of '/?#') {
      const w = url.indexOf(c, 2);
      if (w >= 0) end = Math.min(end, w);
    }
    netloc = url.slice(2, end);
    url = url.slice(end);
    if (netloc.includes('[') !== netloc.includes(']')) return undefined;
  }
  const path = url.split('#')[0]!.split('?')[0]!;
  return { scheme, netloc, path };
}

export function atLeast(version: string | undefined, min: string): boolean {
  if (!version) return true;
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d > 0;
  }
  return true;
}
