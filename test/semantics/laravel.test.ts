import { describe, expect, it } from 'vitest';
import type { LaravelProfile } from '../../src/extractors/laravel/composer.js';
import { buildLaravelPolicy, readLaravelConfig } from '../../src/extractors/laravel/config.js';
import type { CorsRequest, CorsResponse, Policy } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';
import { pathMatches } from '../../src/semantics/laravel.js';
import { parsePhpPattern, pregMatch, pregQuote, wildcardPattern } from '../../src/semantics/php-pcre.js';

/**
 * SEMANTICS.md §3 (fruitcake/php-cors CorsService + Laravel HandleCors), one
 * test per row of its table and per rule of its logic. Policies are built
 * from PHP source by the real extractor.
 */
const PHP_CORS: LaravelProfile = { stack: 'php-cors', keys: 'both', defaults: 'php-cors' };
const STACK_CORS_1: LaravelProfile = { stack: 'stack-cors-1', keys: 'camel', defaults: 'barryvdh' };
const EVIL = 'https://evil.example';

function policy(entries: string, profile: LaravelProfile = PHP_CORS): Policy {
  const cfg = readLaravelConfig(`<?php\nreturn [\n${entries}\n];\n`, 'config/cors.php');
  return buildLaravelPolicy(cfg!, profile);
}

function answer(p: Policy, origin: string, extra: Partial<CorsRequest> = {}): CorsResponse {
  const ev = evaluate(p, { origin, credentialed: true, preflight: false, method: 'GET', ...extra });
  return ev.response;
}

/** Headers as a name → value map (a repeated name would show as an array). */
function headers(res: CorsResponse): Record<string, string> {
  if (!res.known) throw new Error(`unknown answer: ${res.reason}`);
  const out: Record<string, string> = {};
  for (const h of res.headers) {
    expect(out[h.name], `header ${h.name} sent twice`).toBeUndefined();
    out[h.name] = h.value;
  }
  return out;
}

const acaoLoc = (res: CorsResponse) => (res.known ? res.headers.find((h) => h.name === 'access-control-allow-origin')?.loc : undefined);

describe('laravel semantics: the SEMANTICS.md §3 table', () => {
  it("['*'] → '*' for every origin, no Vary", () => {
    const p = policy(`'paths' => ['api/*'],\n'allowed_origins' => ['*'],`);
    expect(headers(answer(p, EVIL))).toEqual({ 'access-control-allow-origin': '*' });
  });

  it("['*'] + supports_credentials → reflects any origin (including null) with ACAC true and Vary: Origin", () => {
    const p = policy(`'paths' => ['api/*'],\n'allowed_origins' => ['*'],\n'supports_credentials' => true,`);
    expect(headers(answer(p, EVIL))).toEqual({
      'access-control-allow-origin': EVIL,
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    });
    expect(headers(answer(p, 'null'))['access-control-allow-origin']).toBe('null');
    // RULES.md: the finding goes to the '*' element; ACAC points at the credentials value.
    expect(acaoLoc(answer(p, EVIL))).toMatchObject({ line: 4, column: 23 });
    const res = answer(p, EVIL);
    expect(res.known && res.headers.find((h) => h.name === 'access-control-allow-credentials')?.loc).toMatchObject({ line: 5, column: 27 });
  });

  it("['https://a.com'] → that origin for every request, no Vary; ACAC only when credentials are on", () => {
    const p = policy(`'allowed_origins' => ['https://a.com'],`);
    expect(headers(answer(p, EVIL))).toEqual({ 'access-control-allow-origin': 'https://a.com' });
    const c = policy(`'allowed_origins' => ['https://a.com'],\n'supports_credentials' => true,`);
    expect(headers(answer(c, EVIL))).toEqual({ 'access-control-allow-origin': 'https://a.com', 'access-control-allow-credentials': 'true' });
  });

  it("['https://*example.com'] → reflects https://evilexample.com (the wildcard is preg_quote'd and `*` becomes .*)", () => {
    const p = policy(`'allowed_origins' => ['https://*example.com'],`);
    expect(headers(answer(p, 'https://evilexample.com'))).toEqual({ 'access-control-allow-origin': 'https://evilexample.com', vary: 'Origin' });
    expect(headers(answer(p, EVIL))).toEqual({ vary: 'Origin' });
  });

  it("patterns ['/example\\.com/'] are unanchored: reflect https://example.com.evil.net", () => {
    const p = policy(`'allowed_origins_patterns' => ['/example\\.com/'],`);
    expect(headers(answer(p, 'https://example.com.evil.net'))).toEqual({ 'access-control-allow-origin': 'https://example.com.evil.net', vary: 'Origin' });
    expect(headers(answer(p, EVIL))).toEqual({ vary: 'Origin' });
  });
});

describe('laravel semantics: origin matching', () => {
  it('in_array is exact and case-sensitive', () => {
    const p = policy(`'allowed_origins' => ['https://a.example.com', 'https://b.example.com'],`);
    expect(headers(answer(p, 'https://b.example.com'))['access-control-allow-origin']).toBe('https://b.example.com');
    expect(headers(answer(p, 'https://B.example.com'))).toEqual({ vary: 'Origin' });
    expect(headers(answer(p, 'https://a.example.com.evil.example'))).toEqual({ vary: 'Origin' });
  });

  it('a wildcard is anchored (\\z) but its `*` also matches dots', () => {
    const p = policy(`'allowed_origins' => ['https://*.example.com'],`);
    expect(headers(answer(p, 'https://a.b.example.com'))['access-control-allow-origin']).toBe('https://a.b.example.com');
    expect(headers(answer(p, 'https://example.com.evil.example'))['access-control-allow-origin']).toBeUndefined();
    expect(wildcardPattern('https://*.example.com')).toBe('#^https\\://.*\\.example\\.com\\z#u');
  });

  it('one origin plus a pattern is not the single-origin case: it matches per request', () => {
    const p = policy(`'allowed_origins' => ['https://a.com'],\n'allowed_origins_patterns' => ['#^https://b\\.com\\z#'],`);
    expect(headers(answer(p, EVIL))).toEqual({ vary: 'Origin' });
    expect(headers(answer(p, 'https://b.com'))['access-control-allow-origin']).toBe('https://b.com');
  });

  it('no origins at all: only Vary', () => {
    expect(headers(answer(policy(`'allowed_origins' => [],`), EVIL))).toEqual({ vary: 'Origin' });
  });

  it('a pattern without valid delimiters never matches; Laravel turns the warning into a 500', () => {
    const p = policy(`'allowed_origins' => ['https://a.com', 'https://b.com'],\n'allowed_origins_patterns' => ['^https://.*$'],`);
    expect(answer(p, EVIL)).toEqual({ known: true, status: 500, headers: [] });
    // An exact hit is decided before the patterns are compiled.
    expect(headers(answer(p, 'https://b.com'))['access-control-allow-origin']).toBe('https://b.com');
  });

  it('user patterns keep their own flags', () => {
    const p = policy(`'allowed_origins_patterns' => ['#^https://APP\\.example\\.com$#i'],`);
    expect(headers(answer(p, 'https://app.example.com'))['access-control-allow-origin']).toBe('https://app.example.com');
  });
});

describe('laravel semantics: headers that depend on the origin', () => {
  it('ACAC, Expose-Headers are sent only with an ACAO', () => {
    const p = policy(`'allowed_origins' => ['https://a.com', 'https://b.com'],\n'supports_credentials' => true,\n'exposed_headers' => ['X-Total', 'X-Page'],`);
    expect(headers(answer(p, EVIL))).toEqual({ vary: 'Origin' });
    expect(headers(answer(p, 'https://a.com'))).toEqual({
      'access-control-allow-origin': 'https://a.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Total, X-Page',
      vary: 'Origin',
    });
  });

  it('a plain OPTIONS request (no Access-Control-Request-Method) is varied on the method first', () => {
    const p = policy(`'allowed_origins' => ['https://a.com', 'https://b.com'],`);
    expect(headers(answer(p, 'https://a.com', { method: 'OPTIONS' })).vary).toBe('Access-Control-Request-Method, Origin');
  });
});

describe('laravel semantics: preflight', () => {
  const pre = (p: Policy, origin: string, method = 'put', requestHeaders = 'X-Custom, Content-Type') =>
    answer(p, origin, { preflight: true, method, requestHeaders });

  it("answers 204; '*' in methods/headers echoes the request's values (never a literal '*'); max_age 0 → Max-Age: 0", () => {
    const p = policy(`'allowed_origins' => ['*'],\n'allowed_methods' => ['*'],\n'allowed_headers' => ['*'],\n'max_age' => 0,`);
    const res = pre(p, EVIL);
    expect(res.known && res.status).toBe(204);
    expect(headers(res)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'X-Custom, Content-Type',
      'access-control-max-age': '0',
      vary: 'Access-Control-Request-Method, Access-Control-Request-Headers',
    });
  });

  it('lists are normalized (methods upper-case, headers lower-case) and joined with ", "; max_age null sends none', () => {
    const p = policy(`'allowed_origins' => ['https://a.com'],\n'allowed_methods' => ['get', 'POST'],\n'allowed_headers' => ['Content-Type', 'X-Token'],\n'max_age' => null,`);
    expect(headers(pre(p, EVIL))).toEqual({
      'access-control-allow-origin': 'https://a.com',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type, x-token',
      vary: 'Access-Control-Request-Method',
    });
  });

  it('a disallowed origin gets 204 with only Vary: no methods, headers, credentials or max-age', () => {
    const p = policy(`'allowed_origins' => ['https://a.com', 'https://b.com'],\n'allowed_methods' => ['*'],\n'supports_credentials' => true,\n'max_age' => 600,`);
    const res = pre(p, EVIL);
    expect(res.known && res.status).toBe(204);
    expect(headers(res)).toEqual({ vary: 'Origin, Access-Control-Request-Method' });
  });

  it("the php-cors defaults ([] methods/headers) send empty lists once an origin is allowed", () => {
    const p = policy(`'allowed_origins' => ['https://a.com'],`);
    expect(headers(pre(p, 'https://a.com'))).toMatchObject({ 'access-control-allow-methods': '', 'access-control-allow-headers': '', 'access-control-max-age': '0' });
  });
});

describe('laravel semantics: paths', () => {
  it('an empty `paths` means no CORS header for any request', () => {
    const p = policy(`'paths' => [],\n'allowed_origins' => ['*'],\n'supports_credentials' => true,`);
    expect(answer(p, EVIL)).toEqual({ known: true, headers: [] });
    expect(answer(p, EVIL, { preflight: true })).toEqual({ known: true, headers: [] });
  });

  it('a request path outside `paths` gets nothing; one inside gets the answer', () => {
    const p = policy(`'paths' => ['api/*', 'sanctum/csrf-cookie'],\n'allowed_origins' => ['*'],`);
    expect(headers(answer(p, EVIL, { path: '/api/users' }))).toEqual({ 'access-control-allow-origin': '*' });
    expect(headers(answer(p, EVIL, { path: '/sanctum/csrf-cookie' }))).toEqual({ 'access-control-allow-origin': '*' });
    expect(answer(p, EVIL, { path: '/login' })).toEqual({ known: true, headers: [] });
  });

  it('paths match like Request::is()', () => {
    expect(pathMatches('api/*', '/api/v1/users')).toBe(true);
    expect(pathMatches('/api/*', '/api/x?y=1')).toBe(true);
    expect(pathMatches('api/*', '/apis')).toBe(false);
    expect(pathMatches('/', '/')).toBe(true);
    expect(pathMatches('*', '/anything')).toBe(true);
  });

  it('paths from env() without a default leave the answer unknown', () => {
    const p = policy(`'paths' => explode(',', env('CORS_PATHS')),\n'allowed_origins' => ['*'],`);
    expect(answer(p, EVIL)).toMatchObject({ known: false, reason: "env('CORS_PATHS')" });
  });
});

describe('laravel semantics: unknown values and locations', () => {
  it('origins from env() without a default are unknown; with one, the fallback world answers and says so', () => {
    const none = policy(`'allowed_origins' => explode(',', env('CORS_ALLOWED_ORIGINS')),\n'supports_credentials' => true,`);
    expect(answer(none, EVIL).known).toBe(false);
    const fb = policy(`'allowed_origins' => explode(',', env('CORS_ALLOWED_ORIGINS', '*')),\n'supports_credentials' => true,`);
    const ev = evaluate(fb, { origin: EVIL, credentialed: true, preflight: false });
    expect(ev.world).toBe('fallback');
    expect(ev.assumption).toBe('when CORS_ALLOWED_ORIGINS is unset');
    expect(headers(ev.response)['access-control-allow-origin']).toBe(EVIL);
    expect(acaoLoc(ev.response)).toMatchObject({ line: 3, column: 63 });
  });

  it("a known '*' with unknown patterns is still answered: allow-all never reads them", () => {
    const p = policy(`'allowed_origins' => ['*'],\n'allowed_origins_patterns' => explode(',', env('CORS_PATTERNS')),`);
    expect(headers(answer(p, EVIL))).toEqual({ 'access-control-allow-origin': '*' });
  });

  it('default origins (Laravel 11) point at the credentials value, or at the return statement when both are defaults', () => {
    const l11: LaravelProfile = { stack: 'php-cors', keys: 'both', defaults: 'laravel-11', pathsDefault: ['api/*', 'sanctum/csrf-cookie'] };
    const withCreds = policy(`'supports_credentials' => true,`, l11);
    expect(acaoLoc(answer(withCreds, EVIL))).toMatchObject({ line: 3, column: 27 });
    const bare = policy(`'paths' => ['api/*'],`, l11);
    expect(acaoLoc(answer(bare, EVIL))).toMatchObject({ line: 2, column: 8 });
  });
});

describe('laravel semantics: asm89/stack-cors 1.x (barryvdh ≤ 0.11, laravel-cors 1.x)', () => {
  it("reflects even for '*' without credentials, with Vary: Origin", () => {
    const p = policy(`'allowedOrigins' => ['*'],\n'supportsCredentials' => false,`, STACK_CORS_1);
    expect(headers(answer(p, EVIL))).toEqual({ 'access-control-allow-origin': EVIL, vary: 'Origin' });
  });

  it('refuses other origins with 403 before the application runs', () => {
    const p = policy(`'allowedOrigins' => ['https://a.com'],`, STACK_CORS_1);
    expect(answer(p, EVIL)).toEqual({ known: true, status: 403, headers: [] });
    expect(headers(answer(p, 'https://a.com'))['access-control-allow-origin']).toBe('https://a.com');
  });

  it('preflight: 405 for a method not listed, 403 for a header not listed, else 204 with the lists (Max-Age only when > 0)', () => {
    const p = policy(`'allowedOrigins' => ['*'],\n'allowedMethods' => ['GET', 'POST'],\n'allowedHeaders' => ['content-type'],\n'supportsCredentials' => true,`, STACK_CORS_1);
    expect(answer(p, EVIL, { preflight: true, method: 'DELETE' })).toMatchObject({ status: 405, headers: [] });
    expect(answer(p, EVIL, { preflight: true, method: 'POST', requestHeaders: 'X-Token' })).toMatchObject({ status: 403 });
    const ok = answer(p, EVIL, { preflight: true, method: 'POST', requestHeaders: 'Content-Type' });
    expect(ok.known && ok.status).toBe(204);
    expect(headers(ok)).toEqual({
      'access-control-allow-credentials': 'true',
      'access-control-allow-origin': EVIL,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
    });
  });
});

describe('php-pcre', () => {
  it('reads delimiters the way php_pcre.c does', () => {
    expect(parsePhpPattern('/a/i')).toEqual({ ok: true, body: 'a', modifiers: 'i' });
    expect(parsePhpPattern('  #a\\#b#u')).toEqual({ ok: true, body: 'a\\#b', modifiers: 'u' });
    expect(parsePhpPattern('{a{1,2}}')).toEqual({ ok: true, body: 'a{1,2}', modifiers: '' });
    expect(parsePhpPattern('abc')).toMatchObject({ ok: false, warning: expect.stringContaining('alphanumeric') });
    expect(parsePhpPattern('/^https://a\\.com$/')).toMatchObject({ ok: false, warning: "preg_match(): Unknown modifier '/'" });
    expect(parsePhpPattern('/abc')).toMatchObject({ ok: false, warning: expect.stringContaining('No ending delimiter') });
    expect(parsePhpPattern('')).toMatchObject({ ok: false });
  });

  it('matches like preg_match', () => {
    expect(pregMatch('/example\\.com/', 'https://example.com.evil.net')).toBe(true);
    expect(pregMatch('#^https://a\\.com\\z#', 'https://a.com')).toBe(true);
    expect(pregMatch('#^https://a\\.com\\z#', 'https://a.com.evil')).toBe(false);
    expect(pregMatch('#^https://(?P<sub>[a-z]+)\\.a\\.com$#', 'https://x.a.com')).toBe(true);
    // The x modifier is translated (whitespace and comments dropped); what JavaScript cannot express stays undecided.
    expect(pregMatch('/ a # letter\n/x', 'a')).toBe(true);
    expect(pregMatch('/a++/', 'a')).toBeUndefined();
    // preg_quote's `\:` and `\-` stay valid under the u modifier.
    expect(pregMatch('#^https\\:\\/\\/a\\-b\\.com\\z#u', 'https://a-b.com')).toBe(true);
    // \z is the end of the subject even under m; $ also matches before a line break there.
    expect(pregMatch('#^https://a\\.com\\z#m', 'https://a.com\nx')).toBe(false);
    expect(pregMatch('#^https://a\\.com$#m', 'https://a.com\nx')).toBe(true);
    // A pattern written to backtrack catastrophically is decided in linear time.
    expect(pregMatch('#^(a+)+$#', `${'a'.repeat(40)}!`)).toBe(false);
    expect(pregMatch('a', 'a')).toBe('warning');
  });

  it('preg_quote escapes what PHP escapes', () => {
    expect(pregQuote('https://*.my-site.com:8080', '#')).toBe('https\\://\\*\\.my\\-site\\.com\\:8080');
    expect(pregQuote('a/b', '/')).toBe('a\\/b');
  });
});
