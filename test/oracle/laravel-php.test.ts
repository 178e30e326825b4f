import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UNPINNED_PROFILE, laravelProfile } from '../../src/extractors/laravel/composer.js';
import { buildLaravelPolicy, configJson, mergedDefaultsJson, readLaravelConfig } from '../../src/extractors/laravel/config.js';
import type { OriginEntry, Policy, Val } from '../../src/model/index.js';
import { ParseError } from '../../src/model/index.js';
import { contextFor, missingToolTest } from './harness.js';

/**
 * The Laravel config oracle: real PHP evaluates every fixture's
 * config/cors.php with a stub env() that returns its default (explode,
 * array_merge, casts... are PHP's own), and what corslint read from the same
 * file in the fallback world must be equal. Skipped only where `php` is not
 * installed; CI installs php-cli and sets CORSLINT_REQUIRE_ORACLES=1.
 */
const REPO = path.resolve(import.meta.dirname, '../..');
const HARNESS = path.join(import.meta.dirname, 'laravel-config.php');
const FIXTURES = path.join(REPO, 'fixtures/laravel');

const phpVersion = (() => {
  const r = spawnSync('php', ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? undefined : r.stdout.trim();
})();

const configFiles = readdirSync(FIXTURES, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && d.name === 'cors.php' && path.basename(d.parentPath) === 'config')
  .map((d) => path.join(d.parentPath, d.name))
  .sort();

const ctx = contextFor(REPO);

/** A model value as the fallback world reads it; undefined when no fallback is written. */
function fallbackOf<T>(v: Val<T> | undefined): T | undefined {
  if (!v) return undefined;
  return v.known ? v.value : v.fallback;
}

const originString = (e: OriginEntry) => (e.kind === 'any' ? '*' : e.kind === 'exact' ? e.origin : e.kind === 'wildcard' ? e.pattern : `?${e.kind}`);

/** What corslint read, in the shape the PHP harness prints; keys without a written fallback are left out. */
function modelView(policy: Policy): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => {
    if (v !== undefined) out[k] = v;
  };
  put('origins', fallbackOf(policy.extra?.allowedOrigins as Val<OriginEntry[]>)?.map(originString));
  put('patterns', fallbackOf(policy.extra?.originPatterns as Val<OriginEntry[]>)?.map((e) => (e.kind === 'regex' ? e.source : `?${e.kind}`)));
  put('credentials', fallbackOf(policy.credentials));
  put('methods', fallbackOf(policy.methods));
  put('headers', fallbackOf(policy.allowHeaders));
  put('exposed', fallbackOf(policy.exposeHeaders));
  put('max_age', fallbackOf(policy.maxAge));
  const paths = policy.extra?.paths as Val<string[]> | undefined;
  put('paths', paths ? fallbackOf(paths) : null);
  return out;
}

missingToolTest('laravel-config', !phpVersion, 'php', 'apt-get install php-cli');

let compared = 0;
let mismatches = 0;

describe.skipIf(!phpVersion)('oracle: Laravel config/cors.php through real PHP', () => {
  it('has config fixtures', () => {
    expect(configFiles.length).toBeGreaterThanOrEqual(25);
  });

  for (const abs of configFiles) {
    const rel = path.relative(REPO, abs).split(path.sep).join('/');
    it(rel, () => {
      compared++;
      const text = readFileSync(abs, 'utf8');
      let cfg;
      try {
        cfg = readLaravelConfig(text, rel);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        // corslint reports a parse error: PHP must reject the file too.
        const lint = spawnSync('php', ['-l', abs], { encoding: 'utf8' });
        if (lint.status === 0) mismatches++;
        expect(lint.status, `php -l accepts ${rel}, corslint said: ${e.message}`).not.toBe(0);
        expect(lint.stdout + lint.stderr).toContain(`line ${e.loc.line}`);
        return;
      }
      if (!cfg) {
        // corslint reads no Laravel config from it (it writes headers itself): PHP must not get an array either.
        const run = spawnSync('php', ['-r', 'echo is_array(require $argv[1]) ? "array" : "other";', abs], { encoding: 'utf8' });
        if (run.stdout.trim() !== 'other') mismatches++;
        expect(run.stdout.trim(), run.stderr).toBe('other');
        return;
      }
      // A file nothing reads (composer.json shows no CORS stack) is still compared as php-cors would read it.
      const profile = laravelProfile(abs, ctx) ?? UNPINNED_PROFILE;
      const policy = buildLaravelPolicy(cfg, profile);
      const run = spawnSync(
        'php',
        [HARNESS, abs, profile.keys, JSON.stringify(mergedDefaultsJson(profile)), JSON.stringify(profile.keys === 'camel' ? null : (profile.pathsDefault ?? null))],
        { encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(0);
      const php = JSON.parse(run.stdout) as { raw: Record<string, unknown>; normalized: Record<string, unknown> };

      // Every key the extractor could evaluate (even to PHP's own null) equals PHP's value.
      const raw = configJson(cfg);
      const readable = Object.fromEntries(Object.entries(raw).filter(([, v]) => !(v && typeof v === 'object' && 'unknown' in v)));
      const phpRaw = Object.fromEntries(Object.keys(readable).map((k) => [k, php.raw[k]]));
      // The normalized values php-cors uses, for the keys whose fallback the model carries.
      const model = modelView(policy);
      const phpNorm = Object.fromEntries(Object.keys(model).map((k) => [k, php.normalized[k]]));
      const same = JSON.stringify([readable, model]) === JSON.stringify([phpRaw, phpNorm]);
      if (!same) mismatches++;
      expect({ raw: readable, normalized: model }).toEqual({ raw: phpRaw, normalized: phpNorm });
      expect(Object.keys(php.raw).sort()).toEqual(Object.keys(raw).sort());
    });
  }

  afterAll(() => {
    console.log(`oracle: laravel-config php ${phpVersion} fixtures=${compared} mismatches=${mismatches}`);
  });
});
