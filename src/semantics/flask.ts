import type { CorsRequest, CorsResponse, OriginEntry, Policy, ResponseHeader, Val } from '../model/index.js';
import { testRegex } from '../probes/match.js';
import { atLeast } from './django.js';
import type { Resolver } from './resolve.js';
import { UnknownValueError } from './resolve.js';

/**
 * Flask-CORS (`flask_cors/core.py`, `extension.py`, `decorator.py`),
 * SEMANTICS.md §6, checked against Debian's 3.0.10 by the oracle and read
 * for 3.0–6.0. The policy holds the options after Flask-CORS merged them
 * (defaults ← `app.config` CORS_* ← `CORS(...)` ← `init_app(...)` ← the
 * resource's own dict). Where releases differ the policy's `version`
 * decides; without one the newest behaviour applies:
 *
 * - Access-Control-Allow-Private-Network (sent whenever the request asks
 *   for it): none before 3.1.01; always `true` in 3.1.01–4.0.1
 *   (CVE-2024-6221); from 4.0.2 the `allow_private_network` option decides,
 *   default True, and False from 5.0.0 (`false` is then sent).
 * - Resource paths are matched case-insensitively before 6.0.0
 *   (CVE-2024-6866); Debian's 3.0.10 carries the 6.0 fix.
 *
 * For a preflight, `request.method` is the Access-Control-Request-Method
 * (as for Laravel) and `request.requestHeaders` the Access-Control-Request-Headers.
 */

export const NEWEST_FLASK_CORS = '6.0.2';

export const FLASK_ALL_METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];

/** The Flask-CORS options the model has no field for, kept in `policy.extra`. */
export interface FlaskExtra {
  sendWildcard?: Val<boolean>;
  varyHeader?: Val<boolean>;
  /** Unset means the release's default (see above). */
  allowPrivateNetwork?: Val<boolean>;
}

export function flaskExtra(policy: Policy): FlaskExtra {
  return (policy.extra ?? {}) as FlaskExtra;
}

/** Flask-CORS's `probably_regex`: one of `* \ ] ? $ ^ [ ( )` makes a string a pattern. */
export function probablyRegex(s: string): boolean {
  return /[*\\\]?$^[()]/.test(s);
}

export function answerFlask(policy: Policy, req: CorsRequest, r: Resolver): CorsResponse {
  const version = policy.version ?? NEWEST_FLASK_CORS;
  const extra = flaskExtra(policy);
  const headers: ResponseHeader[] = [];
  const status = req.preflight ? 200 : undefined;
  const none: CorsResponse = { known: true, headers };

  if (req.path !== undefined && policy.scope.urlRegex !== undefined) {
    const hit = testRegex(policy.scope.urlRegex, atLeast(version, '6.0.0') ? '' : 'i', 'python-match', decodeURIComponentSafe(req.path));
    if (hit === undefined) throw new UnknownValueError({ known: false, reason: `resource '${policy.scope.urlRegex}' cannot be evaluated`, loc: policy.loc });
    if (!hit) return none;
  }

  const entries = r.get(policy.origins);
  if (entries.some((e) => e.kind === 'none')) return none;
  const credentials = r.get(policy.credentials);
  const sendWildcard = extra.sendWildcard ? r.get(extra.sendWildcard) : false;
  const anyEntry = entries.find((e) => e.kind === 'any');
  // serialize_options raises ValueError: the app does not start (CORS(app)) or the view answers 500 (@cross_origin).
  if (anyEntry && credentials && sendWildcard) return { known: true, status: 500, headers };
  if (!req.origin) return { known: true, status, headers };

  let acao: ResponseHeader;
  if (anyEntry && sendWildcard) acao = { name: 'access-control-allow-origin', value: '*', loc: anyEntry.loc };
  else {
    const hit = matching(entries, req.origin);
    if (!hit) return { known: true, status, headers };
    acao = { name: 'access-control-allow-origin', value: req.origin, loc: hit.loc };
  }
  headers.push(acao);

  const expose = r.get(policy.exposeHeaders).join(', ');
  if (expose) headers.push({ name: 'access-control-expose-headers', value: expose, loc: policy.exposeHeaders.loc });
  if (credentials) headers.push({ name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc });

  if (req.privateNetwork && atLeast(version, '3.1.1')) {
    let allow = true;
    if (atLeast(version, '4.0.2')) allow = extra.allowPrivateNetwork ? r.get(extra.allowPrivateNetwork) : !atLeast(version, '5.0.0');
    const loc = extra.allowPrivateNetwork?.loc ?? policy.loc;
    headers.push({ name: 'access-control-allow-private-network', value: allow ? 'true' : 'false', loc });
  }

  if (req.preflight || req.method?.toUpperCase() === 'OPTIONS') {
    const methods = serializeMethods(r.get(policy.methods));
    const requested = (req.preflight ? (req.method ?? 'GET') : '').toUpperCase();
    // `in` on the serialized string: a substring test.
    if (requested && methods.includes(requested)) {
      const allowHeaders = matchingHeaders(r.get(policy.allowHeaders), req.requestHeaders);
      if (allowHeaders) headers.push({ name: 'access-control-allow-headers', value: allowHeaders, loc: policy.allowHeaders.loc });
      const maxAge = r.get(policy.maxAge);
      if (maxAge) headers.push({ name: 'access-control-max-age', value: String(maxAge), loc: policy.maxAge.loc });
      if (methods) headers.push({ name: 'access-control-allow-methods', value: methods, loc: policy.methods.loc });
    }
  }

  const vary = extra.varyHeader ? r.get(extra.varyHeader) : true;
  if (vary && acao.value !== '*' && (entries.length > 1 || entries.some(isPattern))) headers.push({ name: 'vary', value: 'Origin' });
  return { known: true, status, headers };
}

/** `try_match_any_pattern(origin, origins, caseSensitive=False)`. */
function matching(entries: OriginEntry[], origin: string): OriginEntry | undefined {
  for (const e of entries) {
    switch (e.kind) {
      case 'any':
        // '*' became the pattern '.*': re.match accepts every Origin, `null` included.
        return e;
      case 'exact':
        if (casefold(e.origin) === casefold(origin)) return e;
        break;
      case 'regex': {
        const hit = testRegex(e.source, e.flags, e.flavor, origin);
        if (hit === undefined) throw new UnknownValueError({ known: false, reason: `pattern '${e.source}' cannot be evaluated`, loc: e.loc });
        if (hit) return e;
        break;
      }
      case 'none':
        break;
      default:
        throw new UnknownValueError({ known: false, reason: `cannot evaluate ${e.kind} origin`, loc: e.loc });
    }
  }
  return undefined;
}

function isPattern(e: OriginEntry): boolean {
  return e.kind === 'any' || e.kind === 'regex';
}

/** `flexible_str(methods).upper()`: a list is sorted, then joined. */
export function serializeMethods(methods: string[]): string {
  return [...methods].sort().join(', ').toUpperCase();
}

/** `get_allow_headers`: the requested headers any allow_headers pattern accepts, sorted. */
function matchingHeaders(patterns: string[], requested: string | undefined): string | undefined {
  if (!requested) return undefined;
  const names = requested.split(',').map((h) => h.trim());
  const ok = names.filter((h) =>
    patterns.some((p) => {
      const pat = p === '*' ? '.*' : p;
      if (!probablyRegex(pat)) return casefold(pat) === casefold(h);
      // An invalid pattern is caught by Flask-CORS and matches nothing.
      return testRegex(pat, 'i', 'python-match', h) ?? false;
    }),
  );
  return ok.sort().join(', ') || undefined;
}

function casefold(s: string): string {
  return s.toLowerCase();
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
