import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LaravelProfile } from '../../src/extractors/laravel/composer.js';
import { laravelProfile, lowestAllowed } from '../../src/extractors/laravel/composer.js';
import { buildLaravelPolicy, readLaravelConfig } from '../../src/extractors/laravel/config.js';
import { laravelExtractor, phpHeadersExtractor } from '../../src/extractors/laravel/index.js';
import { extractPhpHeaders } from '../../src/extractors/laravel/manual-headers.js';
import type { ExtractContext, OriginEntry, Policy, Val } from '../../src/model/index.js';
import { ParseError } from '../../src/model/index.js';

const FILE = 'config/cors.php';
const PHP_CORS: LaravelProfile = { stack: 'php-cors', keys: 'both', defaults: 'php-cors' };

function policyOf(body: string, profile: LaravelProfile = PHP_CORS): Policy {
  const cfg = readLaravelConfig(`<?php\n${body}`, FILE);
  if (!cfg) throw new Error('config does not return an array');
  return buildLaravelPolicy(cfg, profile);
}

const allowed = (p: Policy) => p.extra!.allowedOrigins as Val<OriginEntry[]>;
const patterns = (p: Policy) => p.extra!.originPatterns as Val<OriginEntry[]>;
const value = <T>(v: Val<T>): T => {
  if (!v.known) throw new Error(`unknown: ${v.reason}`);
  return v.value;
};

function ctxWith(files: Record<string, string>): ExtractContext {
  return {
    root: '/app',
    readFile: (abs) => files[abs],
    displayPath: (abs) => path.relative('/app', abs),
  };
}

describe('laravel extractor: files', () => {
  it('reads config/cors.php in any config directory', () => {
    expect(laravelExtractor.matchesPath('config/cors.php')).toBe(true);
    expect(laravelExtractor.matchesPath('backend/config/cors.php')).toBe(true);
    expect(laravelExtractor.matchesPath('app/cors.php')).toBe(false);
    expect(laravelExtractor.matchesPath('config/cors.php.bak')).toBe(false);
    expect(laravelExtractor.matchesPath('config/xcors.php')).toBe(false);
  });

  it('leaves config/cors.php to the config reader and sniffs other PHP for Access-Control', () => {
    expect(phpHeadersExtractor.matchesPath('public/api.php')).toBe(true);
    expect(phpHeadersExtractor.matchesPath('config/cors.php')).toBe(false);
    expect(phpHeadersExtractor.matchesPath('resources/views/a.blade.php')).toBe(false);
    expect(phpHeadersExtractor.sniff("header('Access-Control-Allow-Origin: *');")).toBe(true);
    expect(phpHeadersExtractor.sniff("header('Content-Type: text/html');")).toBe(false);
  });

  it('turns a syntax error into a ParseError at its position', () => {
    let err: unknown;
    try {
      readLaravelConfig("<?php\nreturn [\n    'paths' => ['api/*'] 'x',\n];\n", FILE);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    const pe = err as ParseError;
    expect(pe.loc).toMatchObject({ file: FILE, line: 3, column: 26 });
    expect(pe.message).toMatch(/syntax error/);
  });

  it('parses modern PHP (parser version 8.5) and treats what it cannot evaluate as unknown', () => {
    const p = policyOf(`
enum Mode: string { case Open = 'open'; }
$mode = match (env('CORS_MODE')) { 'open' => ['*'], default => ['https://app.example.com'] };
return ['paths' => ['api/*'], 'allowed_origins' => $mode];`);
    expect(p.origins.known).toBe(false);
    expect(allowed(p)).toMatchObject({ known: false, reason: 'match expression' });
  });

  it('returns no policy when the file does not return an array', () => {
    expect(readLaravelConfig("<?php\nreturn require __DIR__ . '/cors.base.php';\n", FILE)).toBeUndefined();
  });
});

describe('laravel extractor: keys', () => {
  it('reads every snake_case key with its location', () => {
    const p = policyOf(`return [
  'paths' => ['api/*', 'sanctum/csrf-cookie'],
  'allowed_methods' => ['GET', 'POST'],
  'allowed_origins' => ['https://app.example.com'],
  'allowed_origins_patterns' => ['#^https://[a-z]+\\.example\\.com\\z#'],
  'allowed_headers' => ['Content-Type'],
  'exposed_headers' => ['X-Total'],
  'max_age' => 600,
  'supports_credentials' => true,
];`);
    expect(p.framework).toBe('laravel');
    expect(p.scope.paths).toEqual(['api/*', 'sanctum/csrf-cookie']);
    expect(value(p.methods)).toEqual(['GET', 'POST']);
    expect(value(allowed(p))).toEqual([{ kind: 'exact', origin: 'https://app.example.com', loc: expect.objectContaining({ line: 5, column: 25 }) }]);
    expect(value(patterns(p))).toEqual([
      { kind: 'regex', source: '#^https://[a-z]+\\.example\\.com\\z#', flags: '', flavor: 'pcre', loc: expect.objectContaining({ line: 6 }) },
    ]);
    expect(value(p.origins).map((e) => e.kind)).toEqual(['exact', 'regex']);
    expect(value(p.allowHeaders)).toEqual(['Content-Type']);
    expect(value(p.exposeHeaders)).toEqual(['X-Total']);
    expect(value(p.maxAge)).toBe(600);
    expect(p.credentials).toMatchObject({ known: true, value: true, loc: { line: 10, column: 29 } });
    expect(p.unknownOptions).toEqual([]);
  });

  it('reads the barryvdh camelCase keys without a finding, and camelCase wins over snake_case', () => {
    const p = policyOf(`return [
  'allowed_origins' => ['https://app.example.com'],
  'allowedOrigins' => ['*'],
  'supportsCredentials' => true,
  'maxAge' => null,
  'max_age' => 300,
];`);
    expect(value(allowed(p)).map((e) => e.kind)).toEqual(['any']);
    expect(allowed(p).loc.line).toBe(4);
    expect(value(p.credentials)).toBe(true);
    // php-cors reads maxAge with array_key_exists: a present null wins and means "no Max-Age".
    expect(value(p.maxAge)).toBeNull();
    expect(p.unknownOptions).toEqual([]);
  });

  it('falls back to snake_case when the camelCase value is null (`??`)', () => {
    const p = policyOf(`return ['allowedOrigins' => null, 'allowed_origins' => ['https://a.example.com']];`);
    expect(value(allowed(p))).toMatchObject([{ kind: 'exact', origin: 'https://a.example.com' }]);
  });

  it('reports unknown keys at the key, with the option they probably mean', () => {
    const p = policyOf(`return [
  'allowed_origin' => ['https://app.example.com'],
  'credentials' => true,
  'allowedOrigin' => [],
  'alowed_methods' => ['GET'],
  'cache' => true,
];`);
    expect(p.unknownOptions.map((o) => [o.key, o.suggestion, o.loc.line])).toEqual([
      ['allowed_origin', 'allowed_origins', 3],
      ['credentials', 'supports_credentials', 4],
      ['allowedOrigin', 'allowedOrigins', 5],
      ['alowed_methods', 'allowed_methods', 6],
      ['cache', undefined, 7],
    ]);
    // The misspelled allowlist is ignored: php-cors' default (no origins) applies.
    expect(allowed(p)).toMatchObject({ known: true, value: [], isDefault: true });
  });

  it('keeps the last of two equal keys, as PHP does', () => {
    const p = policyOf(`return ['supports_credentials' => true, 'supports_credentials' => false];`);
    expect(value(p.credentials)).toBe(false);
  });
});

describe('laravel extractor: values', () => {
  it("env('X', 'd') is unknown with the typed fallback and the variable name", () => {
    const p = policyOf(`return [
  'allowed_origins' => ['*'],
  'supports_credentials' => env('CORS_SUPPORTS_CREDENTIALS', false),
  'max_age' => env('CORS_MAX_AGE', '7200'),
];`);
    expect(p.credentials).toMatchObject({ known: false, reason: "env('CORS_SUPPORTS_CREDENTIALS')", fallback: false, variable: 'CORS_SUPPORTS_CREDENTIALS' });
    expect(p.maxAge).toMatchObject({ known: false, fallback: 7200 });
  });

  it('a fallback is converted the way PHP reads it (the string "false" is true)', () => {
    const p = policyOf(`return ['supports_credentials' => env('CORS_CREDENTIALS', 'false')];`);
    expect(p.credentials).toMatchObject({ known: false, fallback: true });
  });

  it("env('X') without a default has no fallback", () => {
    const p = policyOf(`return ['allowed_origins' => explode(',', env('CORS_ALLOWED_ORIGINS')), 'supports_credentials' => env('CORS_CREDENTIALS')];`);
    expect(allowed(p)).toMatchObject({ known: false, variable: 'CORS_ALLOWED_ORIGINS' });
    expect((allowed(p) as { fallback?: unknown }).fallback).toBeUndefined();
    expect((p.credentials as { fallback?: unknown }).fallback).toBeUndefined();
  });

  it("explode(',', env('X', 'a,b')) is an unknown list with the split fallback, placed at the default", () => {
    const p = policyOf(`return ['allowed_origins' => explode(',', env('CORS_ORIGINS', 'https://a.example.com,https://*.b.example.com,*'))];`);
    const v = allowed(p);
    expect(v.known).toBe(false);
    if (v.known) return;
    expect(v.fallback!.map((e) => e.kind)).toEqual(['exact', 'wildcard', 'any']);
    expect(v.fallback![1]).toMatchObject({ pattern: 'https://*.b.example.com', loc: { line: 2, column: 63 } });
  });

  it('evaluates array_filter/array_map/trim pipelines, ternaries, ?? and array_merge', () => {
    const p = policyOf(`
$extra = env('APP_ENV', 'production') === 'local' ? ['http://localhost:3000'] : [];
return [
  'allowed_origins' => array_merge(['https://app.example.com'], $extra, array_filter(array_map('trim', explode(',', env('MORE', ' https://b.example.com , '))))),
  'allowed_methods' => env('CORS_METHODS') ?? ['GET'],
];`);
    const v = allowed(p);
    expect(v.known).toBe(false);
    if (!v.known) expect(v.fallback!.map((e) => (e.kind === 'exact' ? e.origin : e.kind))).toEqual(['https://app.example.com', 'https://b.example.com']);
    expect(p.methods).toMatchObject({ known: false, fallback: ['GET'] });
  });

  it('a ternary on a known value picks its branch; on env() its fallback follows the default', () => {
    const known = policyOf(`$debug = false; return ['allowed_origins' => $debug ? ['*'] : ['https://a.example.com']];`);
    expect(value(allowed(known)).map((e) => e.kind)).toEqual(['exact']);
    const env = policyOf(`return ['allowed_origins' => env('APP_DEBUG', true) ? ['*'] : ['https://a.example.com']];`);
    expect(allowed(env)).toMatchObject({ known: false, variable: 'APP_DEBUG', fallback: [{ kind: 'any' }] });
  });

  it('concatenates known strings; an unknown part makes the whole value unknown with a composed fallback', () => {
    const p = policyOf(`
$host = 'example.com';
return ['allowed_origins' => ['https://app.' . $host, "https://{$host}", sprintf('https://%s', env('H', 'x.example.net'))]];`);
    const v = allowed(p);
    expect(v.known).toBe(false);
    if (!v.known) expect(v.fallback!.map((e) => (e.kind === 'exact' ? e.origin : e.kind))).toEqual(['https://app.example.com', 'https://example.com', 'https://x.example.net']);
    const k = policyOf(`$host = 'example.com'; return ['allowed_origins' => ['https://app.' . $host]];`);
    expect(value(allowed(k))).toMatchObject([{ kind: 'exact', origin: 'https://app.example.com' }]);
  });

  it('config() and unknown functions are unknown without a fallback', () => {
    const p = policyOf(`return ['allowed_origins' => [config('app.frontend_url')], 'allowed_headers' => custom_headers()];`);
    expect(allowed(p)).toMatchObject({ known: false, reason: "config('app.frontend_url')" });
    expect(p.allowHeaders).toMatchObject({ known: false, reason: 'custom_headers(…)' });
  });

  it("classifies origins: '*' allows all, other '*' are wildcards, the rest exact", () => {
    const p = policyOf(`return ['allowed_origins' => ['*', 'https://*.example.com', 'https://example.com', 'null']];`);
    expect(value(allowed(p)).map((e) => e.kind)).toEqual(['any', 'wildcard', 'exact', 'exact']);
  });

  it('an allowed_origins that is not an array is unknown: php-cors throws', () => {
    const p = policyOf(`return ['allowed_origins' => 'https://app.example.com'];`);
    expect(allowed(p)).toMatchObject({ known: false, reason: expect.stringContaining('not an array') });
  });

  it('exposed_headers false means none; max_age is cast to int; a missing max_age is 0', () => {
    const p = policyOf(`return ['exposed_headers' => false, 'max_age' => '3600abc'];`);
    expect(value(p.exposeHeaders)).toEqual([]);
    expect(value(p.maxAge)).toBe(3600);
    expect(policyOf('return [];').maxAge).toMatchObject({ known: true, value: 0, isDefault: true });
  });
});

describe('laravel extractor: defaults, paths and versions', () => {
  it('missing keys take php-cors defaults, placed at the return statement', () => {
    const p = policyOf(`\n\nreturn [\n  'paths' => ['api/*'],\n];`);
    expect(allowed(p)).toMatchObject({ known: true, value: [], isDefault: true, loc: { line: 4 } });
    expect(p.credentials).toMatchObject({ value: false, isDefault: true });
    expect(p.loc.line).toBe(4);
  });

  it('an empty paths list stays in the scope (CORS off everywhere)', () => {
    const p = policyOf(`return ['paths' => [], 'allowed_origins' => ['*'], 'supports_credentials' => true];`);
    expect(p.scope.paths).toEqual([]);
  });

  it('host-keyed paths are kept apart from the plain list', () => {
    const p = policyOf(`return ['paths' => ['api/*', 'api.example.com' => ['*']]];`);
    expect(p.scope.paths).toEqual(['api/*']);
    expect(p.extra!.hostPaths).toMatchObject({ known: true, value: { 'api.example.com': ['*'] } });
  });

  it('Laravel 11 merges the framework defaults under the file (composer.json range)', () => {
    const ctx = ctxWith({ '/app/composer.json': JSON.stringify({ require: { 'laravel/framework': '^11.0' } }) });
    const profile = laravelProfile('/app/config/cors.php', ctx);
    expect(profile).toMatchObject({ laravelVersion: '11.0', evidence: 'composer.json', defaults: 'laravel-11', stack: 'php-cors' });
    const p = policyOf(`return ['supports_credentials' => true];`, profile);
    expect(allowed(p)).toMatchObject({ known: true, value: [{ kind: 'any' }], isDefault: true });
    expect(p.scope.paths).toEqual(['api/*', 'sanctum/csrf-cookie']);
    expect(value(p.methods)).toEqual(['*']);
    expect(p.version).toBe('11.0');
    expect(p.extra!.laravelVersion).toMatchObject({ value: '11.0' });
  });

  it('the lockfile version wins over the manifest range', () => {
    const ctx = ctxWith({
      '/app/composer.json': JSON.stringify({ require: { 'laravel/framework': '^10.0|^11.0' } }),
      '/app/composer.lock': JSON.stringify({ packages: [{ name: 'laravel/framework', version: 'v10.48.22' }] }),
    });
    const profile = laravelProfile('/app/config/cors.php', ctx);
    expect(profile).toMatchObject({ laravelVersion: '10.48.22', evidence: 'composer.lock', defaults: 'php-cors', pathsDefault: [] });
    // Laravel 10 reads config('cors.paths', []): no paths, no CORS.
    expect(policyOf(`return ['allowed_origins' => ['*']];`, profile).scope.paths).toEqual([]);
  });

  it('without composer evidence a missing paths key puts no path filter in the scope', () => {
    const profile = laravelProfile('/app/config/cors.php', ctxWith({}));
    expect(profile).toEqual({ stack: 'php-cors', keys: 'both', defaults: 'php-cors' });
    expect(policyOf(`return ['allowed_origins' => ['*']];`, profile).scope.paths).toBeUndefined();
  });

  it('barryvdh/laravel-cors in composer.lock selects stack-cors 1.x with camelCase keys only', () => {
    const ctx = ctxWith({
      '/app/composer.lock': JSON.stringify({
        packages: [
          { name: 'barryvdh/laravel-cors', version: 'v0.11.4' },
          { name: 'asm89/stack-cors', version: '1.3.0' },
        ],
      }),
    });
    const profile = laravelProfile('/app/config/cors.php', ctx);
    expect(profile).toMatchObject({ stack: 'stack-cors-1', keys: 'camel', defaults: 'barryvdh', corsPackage: { name: 'barryvdh/laravel-cors', version: '0.11.4' } });
    const p = policyOf(`return ['supports_credentials' => true, 'paths' => ['api/*']];`, profile);
    expect(p.unknownOptions.map((o) => [o.key, o.suggestion])).toEqual([
      ['supports_credentials', 'supportsCredentials'],
      ['paths', undefined],
    ]);
    expect(value(allowed(p)).map((e) => e.kind)).toEqual(['any']);
    expect(p.scope.paths).toBeUndefined();
    expect(p.extra!.stack).toMatchObject({ value: 'stack-cors-1' });
  });

  it('a manifest alone never selects the old stack-cors behaviour', () => {
    const ctx = ctxWith({ '/app/composer.json': JSON.stringify({ require: { 'barryvdh/laravel-cors': '^0.11' } }) });
    expect(laravelProfile('/app/config/cors.php', ctx)).toMatchObject({ stack: 'php-cors', keys: 'camel' });
  });

  it('fruitcake/laravel-cors: 1.x on stack-cors 1, 2.x snake_case only, 3.x both spellings; package defaults merged', () => {
    const lockWith = (v: string) => ctxWith({ '/app/composer.lock': JSON.stringify({ packages: [{ name: 'fruitcake/laravel-cors', version: v }] }) });
    expect(laravelProfile('/app/config/cors.php', lockWith('v1.0.6'))).toMatchObject({ stack: 'stack-cors-1', keys: 'snake', defaults: 'laravel-cors' });
    expect(laravelProfile('/app/config/cors.php', lockWith('v2.2.0'))).toMatchObject({ stack: 'php-cors', keys: 'snake' });
    const v3 = laravelProfile('/app/config/cors.php', lockWith('v3.0.0'));
    expect(v3).toMatchObject({ stack: 'php-cors', keys: 'both', pathsDefault: [] });
    const p = policyOf(`return ['paths' => ['api/*']];`, v3);
    expect(value(allowed(p)).map((e) => e.kind)).toEqual(['any']);
  });

  it('no profile when composer shows that nothing reads config/cors.php', () => {
    const manifest = (require: Record<string, string>) => ctxWith({ '/app/composer.json': JSON.stringify({ require }) });
    // Laravel before 9 has no HandleCors: without a laravel-cors package the file is dead.
    expect(laravelProfile('/app/config/cors.php', manifest({ 'laravel/framework': '5.5.*' }))).toBeUndefined();
    expect(laravelProfile('/app/config/cors.php', manifest({ 'laravel/lumen-framework': '^8.0' }))).toBeUndefined();
    // Another package reads the file with its own keys and semantics.
    expect(laravelProfile('/app/config/cors.php', manifest({ 'laravel/framework': '^10.0', 'spatie/laravel-cors': '^1.6' }))).toBeUndefined();
    // The packages corslint models keep their profiles.
    expect(laravelProfile('/app/config/cors.php', manifest({ 'laravel/framework': '^8.0', 'fruitcake/laravel-cors': '^2.0' }))).toMatchObject({ keys: 'snake' });
    expect(laravelProfile('/app/config/cors.php', manifest({ 'laravel/framework': '^9.0', 'fruitcake/php-cors': '^1.2' }))).toMatchObject({ stack: 'php-cors' });
  });

  it('lowestAllowed reads composer constraints', () => {
    expect(lowestAllowed('^10.10')).toBe('10.10');
    expect(lowestAllowed('^9.0|^10.0')).toBe('9.0');
    expect(lowestAllowed('~8.75 || ^11.0')).toBe('8.75');
    expect(lowestAllowed('11.*')).toBe('11.0');
    expect(lowestAllowed('>=8.0 <9.0')).toBe('8.0');
    expect(lowestAllowed('v11.2.0')).toBe('11.2.0');
    expect(lowestAllowed('dev-master')).toBeUndefined();
    expect(lowestAllowed('*')).toBeUndefined();
  });
});

describe('php manual headers', () => {
  const one = (src: string): Policy => {
    const ps = extractPhpHeaders(`<?php\n${src}`, 'public/api.php');
    expect(ps).toHaveLength(1);
    return ps[0]!;
  };

  it("header('…' . $_SERVER['HTTP_ORIGIN']) reflects, at the call", () => {
    const p = one(`header('Access-Control-Allow-Origin: ' . $_SERVER['HTTP_ORIGIN']);\nheader('Access-Control-Allow-Credentials: true');`);
    expect(p.framework).toBe('manual-headers');
    expect(value(p.origins)).toEqual([{ kind: 'reflect', loc: expect.objectContaining({ line: 2, column: 1 }) }]);
    expect(p.originForm).toBe('list');
    expect(p.credentials).toMatchObject({ known: true, value: true, loc: { line: 3 } });
  });

  it('follows the Origin through variables and interpolation', () => {
    for (const src of [
      `$origin = $_SERVER['HTTP_ORIGIN'] ?? '*'; header("Access-Control-Allow-Origin: {$origin}");`,
      `$origin = $request->header('Origin'); header("Access-Control-Allow-Origin: $origin");`,
      `$o = $request->headers->get('origin'); $response->headers->set('Access-Control-Allow-Origin', $o);`,
      `$h = getallheaders(); header('Access-Control-Allow-Origin: ' . $h['Origin']);`,
      `$response->header('Access-Control-Allow-Origin', rtrim((string) request()->header('Origin'), '/'));`,
    ]) {
      expect(value(one(src).origins).map((e) => e.kind), src).toEqual(['reflect']);
    }
  });

  it('an allowlist check turns the reflection into exact entries', () => {
    const p = one(`
$allowed = ['https://a.example.com', 'https://b.example.com'];
$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
if (in_array($origin, $allowed, true)) {
    header("Access-Control-Allow-Origin: $origin");
}`);
    expect(value(p.origins)).toEqual([
      { kind: 'exact', origin: 'https://a.example.com', loc: expect.objectContaining({ line: 3 }) },
      { kind: 'exact', origin: 'https://b.example.com', loc: expect.objectContaining({ line: 3 }) },
    ]);
  });

  it('understands === chains, early exits, class constants and properties', () => {
    const eq = one(`$o = $_SERVER['HTTP_ORIGIN']; if ($o === 'https://a.example.com' || 'https://b.example.com' == $o) { header('Access-Control-Allow-Origin: ' . $o); }`);
    expect(value(eq.origins).map((e) => (e as { origin: string }).origin)).toEqual(['https://a.example.com', 'https://b.example.com']);

    const exit = one(`
function cors() {
  $o = $_SERVER['HTTP_ORIGIN'] ?? '';
  if (!in_array($o, ['https://a.example.com'])) { exit; }
  header('Access-Control-Allow-Origin: ' . $o);
}`);
    expect(value(exit.origins)).toMatchObject([{ kind: 'exact', origin: 'https://a.example.com' }]);

    const cls = one(`
class Cors {
  private const ALLOWED = ['https://a.example.com'];
  protected $more = ['https://b.example.com'];
  public function handle($request, $next) {
    $r = $next($request);
    $o = $request->header('Origin');
    if (in_array($o, self::ALLOWED) || in_array($o, $this->more)) { $r->headers->set('Access-Control-Allow-Origin', $o); }
    return $r;
  }
}`);
    expect(value(cls.origins).map((e) => (e as { origin: string }).origin)).toEqual(['https://a.example.com', 'https://b.example.com']);
  });

  it('a checked-but-undecidable Origin is a predicate, an unrelated check changes nothing', () => {
    const pred = one(`$o = $_SERVER['HTTP_ORIGIN']; if (str_ends_with($o, '.example.com')) { header("Access-Control-Allow-Origin: $o"); }`);
    expect(value(pred.origins)).toMatchObject([{ kind: 'predicate' }]);
    const unrelated = one(`$o = $_SERVER['HTTP_ORIGIN']; if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS' && isset($_SERVER['HTTP_ORIGIN'])) { header("Access-Control-Allow-Origin: $o"); }`);
    expect(value(unrelated.origins)).toMatchObject([{ kind: 'reflect' }]);
  });

  it('preg_match guards become pcre regex entries', () => {
    const p = one(`$o = $request->header('Origin'); if (preg_match('#^https://a\\.example\\.com$#', $o)) { $response->header('Access-Control-Allow-Origin', $o); }`);
    expect(value(p.origins)).toMatchObject([{ kind: 'regex', flavor: 'pcre', source: '#^https://a\\.example\\.com$#' }]);
  });

  it('a literal value is a single entry; withHeaders and response() header arrays are read', () => {
    const star = one(`header('Access-Control-Allow-Origin: *');`);
    expect(star.originForm).toBe('single');
    expect(value(star.origins)).toMatchObject([{ kind: 'any' }]);
    const wh = one(`return response()->json([])->withHeaders(['Access-Control-Allow-Origin' => 'https://a.example.com', 'Vary' => 'Origin']);`);
    expect(value(wh.origins)).toMatchObject([{ kind: 'exact', origin: 'https://a.example.com' }]);
    expect(wh.headers.map((h) => h.name)).toEqual(['vary']);
    const resp = one(`return response('', 204, ['Access-Control-Allow-Origin' => '*', 'Access-Control-Max-Age' => '600']);`);
    expect(value(resp.origins)).toMatchObject([{ kind: 'any' }]);
    expect(value(resp.maxAge)).toBe(600);
  });

  it('ACAC must be the string true; a PHP true is sent as "1"', () => {
    expect(value(one(`$r->headers->set('Access-Control-Allow-Credentials', true);`).credentials)).toBe(false);
    expect(value(one(`$r->headers->set('Access-Control-Allow-Credentials', 'true');`).credentials)).toBe(true);
  });

  it('an env() value is unknown with its fallback', () => {
    const p = one(`header('Access-Control-Allow-Origin: ' . env('FRONTEND_URL', 'https://app.example.com'));`);
    expect(p.origins).toMatchObject({ known: false, variable: 'FRONTEND_URL', fallback: [{ kind: 'exact', origin: 'https://app.example.com' }] });
    expect(p.originForm).toBe('single');
  });

  it('one policy per function; other headers are ignored', () => {
    const ps = extractPhpHeaders(
      `<?php
function a() { header('Access-Control-Allow-Origin: *'); }
function b() { header('Access-Control-Allow-Origin: https://b.example.com'); }
function c() { header('Content-Type: application/json'); }`,
      'x.php',
    );
    expect(ps.map((p) => value(p.origins)[0]!.kind)).toEqual(['any', 'exact']);
  });
});
