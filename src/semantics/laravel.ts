import type { CorsRequest, CorsResponse, Loc, OriginEntry, Policy, ResponseHeader, Val } from '../model/index.js';
import { pregMatch, wildcardPattern } from './php-pcre.js';
import { testRegex } from '../probes/match.js';
import type { Resolver } from './resolve.js';
import { UnknownValueError } from './resolve.js';

/**
 * Laravel's HandleCors on fruitcake/php-cors (src/CorsService.php),
 * SEMANTICS.md §3; with `extra.stack = 'stack-cors-1'` the older
 * barryvdh/laravel-cors ≤ 0.11 and fruitcake/laravel-cors 1.x on
 * asm89/stack-cors 1.x. For a preflight, `request.method` is the
 * Access-Control-Request-Method and `request.requestHeaders` the
 * Access-Control-Request-Headers.
 */
export function answerLaravel(policy: Policy, req: CorsRequest, r: Resolver): CorsResponse {
  if (!corsRuns(policy, req, r)) return { known: true, headers: [] };
  const o = readOrigins(policy, r);
  const stack = policy.extra?.stack;
  if (stack?.known && stack.value === 'stack-cors-1') return answerStackCors1(policy, req, r, o);
  return answerPhpCors(policy, req, r, o);
}

interface Origins {
  /** allowed_origins as written (any, exact, wildcard). */
  allowed: OriginEntry[];
  /** allowed_origins_patterns (regex, pcre), read only when php-cors reads them. */
  patterns(): OriginEntry[];
  /** Where `*` answers come from: the '*' element, else the credentials value or the config (RULES.md). */
  anyLoc: Loc;
}

function readOrigins(policy: Policy, r: Resolver): Origins {
  const ao = policy.extra?.allowedOrigins as Val<OriginEntry[]> | undefined;
  const ap = policy.extra?.originPatterns as Val<OriginEntry[]> | undefined;
  let allowed: OriginEntry[];
  let patterns: () => OriginEntry[];
  if (ao && ap) {
    allowed = r.get(ao);
    patterns = () => r.get(ap);
  } else {
    const all = r.get(policy.origins);
    allowed = all.filter((e) => e.kind !== 'regex');
    patterns = () => all.filter((e) => e.kind === 'regex');
  }
  const src = ao ?? policy.origins;
  const anyEntry = allowed.find((e) => e.kind === 'any');
  const isDefault = src.known && src.isDefault === true;
  const anyLoc = anyEntry && !isDefault ? anyEntry.loc : policy.credentials.known && policy.credentials.isDefault ? policy.loc : policy.credentials.loc;
  return { allowed, patterns, anyLoc };
}

/** HandleCors only runs for `paths` matched by `$request->is()` (every path when the request names none). */
function corsRuns(policy: Policy, req: CorsRequest, r: Resolver): boolean {
  const pathsVal = policy.extra?.paths as Val<string[]> | undefined;
  const paths = pathsVal ? r.get(pathsVal) : policy.scope.paths;
  if (paths === undefined) return true;
  const hostPaths = policy.extra?.hostPaths as Val<Record<string, string[]>> | undefined;
  const lists = [paths, ...(hostPaths?.known ? Object.values(hostPaths.value) : [])];
  if (req.path === undefined) return lists.some((l) => l.length > 0);
  return lists.some((l) => l.some((p) => pathMatches(p, req.path!)));
}

/** Illuminate\Http\Request::is() through Str::is(), after HandleCors trims the slashes. */
export function pathMatches(pattern: string, requestPath: string): boolean {
  const pat = pattern === '/' ? '/' : pattern.replace(/^\/+|\/+$/g, '');
  const path = requestPath.split('?')[0]!.replace(/^\/+|\/+$/g, '') || '/';
  if (pat === path) return true;
  // `a*b*c*…` is polynomial on a backtracking engine: run it on the probes' linear-time matcher.
  return testRegex(`^${pat.replace(/[.*+?^${}()|[\]\\/#-]/g, (c) => (c === '*' ? '.*' : `\\${c}`))}$`, 's', 'js', path) ?? false;
}

type Allowed = { entry: OriginEntry | undefined; loc: Loc } | false | 'warning';

/** CorsService::isOriginAllowed: '*', in_array, then each pattern (user patterns first, then converted wildcards). */
function isOriginAllowed(o: Origins, origin: string, convertWildcards: boolean): Allowed {
  const any = o.allowed.find((e) => e.kind === 'any');
  if (any) return { entry: any, loc: o.anyLoc };
  for (const e of o.allowed) {
    const s = e.kind === 'exact' ? e.origin : e.kind === 'wildcard' ? e.pattern : undefined;
    if (s !== undefined && s === origin) return { entry: e, loc: e.loc };
  }
  const patterns: { source: string; entry: OriginEntry }[] = [];
  for (const e of o.patterns()) {
    if (e.kind === 'regex') patterns.push({ source: e.source, entry: e });
    else throw new UnknownValueError({ known: false, reason: `cannot evaluate ${e.kind} origin pattern`, loc: e.loc });
  }
  if (convertWildcards) for (const e of o.allowed) if (e.kind === 'wildcard') patterns.push({ source: wildcardPattern(e.pattern), entry: e });
  for (const p of patterns) {
    const m = pregMatch(p.source, origin);
    if (m === undefined) throw new UnknownValueError({ known: false, reason: `cannot evaluate the pattern ${p.source}`, loc: p.entry.loc });
    // Laravel turns the PHP warning of a malformed pattern into an ErrorException: the request fails with 500.
    if (m === 'warning') return 'warning';
    if (m) return { entry: p.entry, loc: p.entry.loc };
  }
  return false;
}

function answerPhpCors(policy: Policy, req: CorsRequest, r: Resolver, o: Origins): CorsResponse {
  const credentials = r.get(policy.credentials);
  const allowAll = o.allowed.some((e) => e.kind === 'any');
  const headers: ResponseHeader[] = [];
  const vary: string[] = [];
  let acao: ResponseHeader | undefined;
  // HandleCors varies a plain OPTIONS answer on the requested method before CorsService adds its headers.
  if (!req.preflight && req.method?.toUpperCase() === 'OPTIONS') vary.push('Access-Control-Request-Method');

  if (allowAll && !credentials) {
    acao = { name: 'access-control-allow-origin', value: '*', loc: o.anyLoc };
  } else if (!allowAll && o.patterns().length === 0 && !o.allowed.some((e) => e.kind === 'wildcard') && o.allowed.length === 1) {
    const only = o.allowed[0]!;
    if (only.kind !== 'exact') throw new UnknownValueError({ known: false, reason: `cannot evaluate ${only.kind} origin`, loc: only.loc });
    acao = { name: 'access-control-allow-origin', value: only.origin, loc: only.loc };
  } else {
    const hit = isOriginAllowed(o, req.origin, true);
    if (hit === 'warning') return { known: true, status: 500, headers: [] };
    if (hit) acao = { name: 'access-control-allow-origin', value: req.origin, loc: hit.loc };
    addVary(vary, 'Origin');
  }
  if (acao) headers.push(acao);

  if (acao && credentials) headers.push({ name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc });
  if (req.preflight) {
    if (acao) {
      const methods = r.get(policy.methods).map((m) => m.toUpperCase());
      if (methods.includes('*')) {
        headers.push({ name: 'access-control-allow-methods', value: (req.method ?? 'GET').toUpperCase(), loc: policy.methods.loc });
        addVary(vary, 'Access-Control-Request-Method');
      } else headers.push({ name: 'access-control-allow-methods', value: methods.join(', '), loc: policy.methods.loc });
      const allow = r.get(policy.allowHeaders).map((h) => h.toLowerCase());
      if (allow.includes('*')) {
        headers.push({ name: 'access-control-allow-headers', value: req.requestHeaders ?? '', loc: policy.allowHeaders.loc });
        addVary(vary, 'Access-Control-Request-Headers');
      } else headers.push({ name: 'access-control-allow-headers', value: allow.join(', '), loc: policy.allowHeaders.loc });
      const maxAge = r.get(policy.maxAge);
      if (maxAge !== null) headers.push({ name: 'access-control-max-age', value: String(maxAge), loc: policy.maxAge.loc });
    }
    // HandleCors itself varies every preflight answer on the requested method.
    addVary(vary, 'Access-Control-Request-Method');
  } else if (acao) {
    const expose = r.get(policy.exposeHeaders);
    if (expose.length) headers.push({ name: 'access-control-expose-headers', value: expose.join(', '), loc: policy.exposeHeaders.loc });
  }
  if (vary.length) headers.push({ name: 'vary', value: vary.join(', '), loc: policy.origins.loc });
  return { known: true, status: req.preflight ? 204 : undefined, headers };
}

/**
 * asm89/stack-cors 1.x under barryvdh/laravel-cors ≤ 0.11 and
 * fruitcake/laravel-cors 1.x: every allowed origin is reflected (even with
 * '*' and no credentials), and a request from any other origin is refused
 * with 403 before the application runs.
 */
function answerStackCors1(policy: Policy, req: CorsRequest, r: Resolver, o: Origins): CorsResponse {
  const credentials = r.get(policy.credentials);
  const hit = isOriginAllowed(o, req.origin, true);
  if (hit === 'warning') return { known: true, status: 500, headers: [] };
  if (!hit) return { known: true, status: 403, headers: [] };
  const headers: ResponseHeader[] = [];
  if (req.preflight) {
    const methods = r.get(policy.methods).map((m) => m.toUpperCase());
    const requested = (req.method ?? 'GET').toUpperCase();
    if (!methods.includes('*') && !methods.includes(requested)) return { known: true, status: 405, headers: [] };
    const allow = r.get(policy.allowHeaders).map((h) => h.toLowerCase());
    const asked = (req.requestHeaders ?? '').toLowerCase().split(',').map((h) => h.trim()).filter(Boolean);
    if (!allow.includes('*') && asked.some((h) => !allow.includes(h))) return { known: true, status: 403, headers: [] };
    if (credentials) headers.push({ name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc });
    headers.push({ name: 'access-control-allow-origin', value: req.origin, loc: hit.loc });
    const maxAge = r.get(policy.maxAge);
    if (maxAge) headers.push({ name: 'access-control-max-age', value: String(maxAge), loc: policy.maxAge.loc });
    headers.push({ name: 'access-control-allow-methods', value: methods.includes('*') ? requested : methods.join(', '), loc: policy.methods.loc });
    headers.push({
      name: 'access-control-allow-headers',
      value: allow.includes('*') ? (req.requestHeaders ?? '').toUpperCase() : allow.join(', '),
      loc: policy.allowHeaders.loc,
    });
    return { known: true, status: 204, headers };
  }
  headers.push({ name: 'access-control-allow-origin', value: req.origin, loc: hit.loc });
  headers.push({ name: 'vary', value: 'Origin', loc: policy.origins.loc });
  if (credentials) headers.push({ name: 'access-control-allow-credentials', value: 'true', loc: policy.credentials.loc });
  const expose = r.get(policy.exposeHeaders);
  if (expose.length) headers.push({ name: 'access-control-expose-headers', value: expose.join(', '), loc: policy.exposeHeaders.loc });
  return { known: true, headers };
}

function addVary(vary: string[], h: string): void {
  if (!vary.includes(h)) vary.push(h);
}
