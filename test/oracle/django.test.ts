import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { extractDjango } from '../../src/extractors/django/index.js';
import type { CorsRequest, OriginEntry, Policy } from '../../src/model/index.js';
import type { OracleTally } from './harness.js';
import { contextFor, missingToolTest, probeOrigins, summaryWithSkips } from './harness.js';
import { evaluate } from '../../src/semantics/index.js';
import { REPO, fixtureUnits } from '../support/fixtures.js';
import { differ, normalizeVersion, runDriver } from './python-apps.js';

/**
 * The Django oracle: every Django fixture whose settings corslint can read
 * (written values, or env fallbacks with the variables unset) is loaded by
 * the real Django + django-cors-headers (Debian python3-django,
 * python3-django-cors-headers) in a one-view project; the probe requests go
 * through Django's test client and the CORS headers must equal what corslint's
 * semantics answer for that release.
 */

const DRIVER = path.join(import.meta.dirname, 'django_driver.py');

/**
 * To check another release against the same Django, point
 * CORSLINT_ORACLE_PYTHONPATH at a directory holding its `corsheaders/` package
 * and set CORSLINT_ORACLE_CORSHEADERS_VERSION (the installed dist-info would
 * still name the Debian release).
 */
const PYTHONPATH = process.env.CORSLINT_ORACLE_PYTHONPATH;
const pyEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  LANG: 'C.UTF-8',
  PYTHONDONTWRITEBYTECODE: '1',
  ...(PYTHONPATH ? { PYTHONPATH } : {}),
};

function findPython(): { python: string; version: string } | undefined {
  for (const cand of [process.env.CORSLINT_PYTHON, '/usr/bin/python3', 'python3']) {
    if (!cand) continue;
    const r = spawnSync(cand, ['-c', 'import django, corsheaders; from importlib.metadata import version; print(version("django-cors-headers"))'], {
      encoding: 'utf8',
      env: pyEnv,
    });
    if (r.status === 0) return { python: cand, version: process.env.CORSLINT_ORACLE_CORSHEADERS_VERSION ?? r.stdout.trim() };
  }
  return undefined;
}

const found = findPython();

interface OracleRequest {
  origin: string;
  path: string;
  preflight: boolean;
  cookie: boolean;
  privateNetwork: boolean;
}

const totals: OracleTally = { fixtures: 0, requests: 0, mismatches: [], skipped: [] };

/** The probes (harness.probeOrigins), plus case variants of the trusted origins (urlsplit lower-cases the scheme, not the host). */
function oracleOrigins(entries: OriginEntry[]): string[] {
  const set = new Set(probeOrigins(entries));
  for (const e of entries) {
    if (e.kind !== 'exact' || !/^https?:\/\//.test(e.origin)) continue;
    set.add(e.origin.replace(/^https?/, (s) => s.toUpperCase()));
    set.add(e.origin.replace(/\/\/([^/]+)/, (_, h: string) => `//${h.toUpperCase()}`));
  }
  return [...set];
}

function requestsFor(policy: Policy, entries: OriginEntry[]): OracleRequest[] {
  const out: OracleRequest[] = [];
  for (const origin of oracleOrigins(entries)) {
    for (const preflight of [false, true]) {
      for (const cookie of [false, true]) out.push({ origin, path: '/api/data/', preflight, cookie, privateNetwork: preflight && cookie });
    }
  }
  // Outside CORS_URLS_REGEX the middleware must stay silent.
  if (policy.scope.urlRegex) out.push({ origin: 'https://evil.example', path: '/other/', preflight: false, cookie: false, privateNetwork: false });
  return out;
}

const units = fixtureUnits(path.join(REPO, 'fixtures', 'django'));

describe.skipIf(!found)('django oracle (real django-cors-headers)', () => {
  const installed = found ? normalizeVersion(found.version) : '0.0.0';

  for (const unit of units) {
    it(unit.target, async () => {
      const { policies } = await lint([unit.target], { cwd: REPO });
      const django = policies.filter((p) => p.framework === 'django');
      const root = unit.kind === 'project' ? path.join(REPO, unit.target) : REPO;
      const ctx = contextFor(root);
      let checked = 0;
      for (const linted of django) {
        const abs = path.join(REPO, linted.loc.file);
        const file = { path: linted.loc.file, absPath: abs, text: readFileSync(abs, 'utf8') };
        // Re-read the module as the installed release would (new setting names, defaults).
        const [policy] = (await extractDjango(file, ctx, { version: installed })).policies;
        if (!policy) throw new Error(`no policy for ${linted.loc.file} with version ${installed}`);
        const entries = policy.origins.known ? policy.origins.value : policy.origins.fallback;
        if (!entries) {
          totals.skipped.push(`${linted.loc.file}: origins unknown without fallback`);
          continue;
        }
        const reqs = requestsFor(policy, entries);
        const ours = reqs.map((q) => {
          const req: CorsRequest = {
            origin: q.origin,
            credentialed: q.cookie,
            cookie: q.cookie,
            preflight: q.preflight,
            method: q.preflight ? 'OPTIONS' : 'GET',
            path: q.path,
            privateNetwork: q.privateNetwork,
          };
          return evaluate(policy, req);
        });
        const unknownAt = ours.findIndex((e) => !e.response.known);
        if (unknownAt >= 0) {
          const r = ours[unknownAt]!.response;
          totals.skipped.push(`${linted.loc.file}: ${r.known ? '' : r.reason}`);
          continue;
        }
        const rel = path.relative(root, abs);
        const job = {
          root: unit.kind === 'project' ? root : path.dirname(abs),
          file: abs,
          module: unit.kind === 'project' ? rel.replace(/\.py$/, '').replace(/[\\/]__init__$/, '').split(path.sep).join('.') : null,
          requests: reqs,
        };
        const real = runDriver(found!.python, DRIVER, job, pyEnv);
        if (real.error) {
          // Only a missing settings helper (django-environ, decouple, split-settings) or a required
          // environment variable (os.environ['X'], env('X') without default) may stop a fixture.
          expect(real.error).toMatch(/^(ModuleNotFoundError|ImportError|KeyError|ImproperlyConfigured|UndefinedValueError)\b/);
          totals.skipped.push(`${linted.loc.file}: ${real.error}`);
          continue;
        }
        const mismatches: string[] = [];
        real.responses!.forEach((resp, i) => {
          const q = reqs[i]!;
          const ev = ours[i]!;
          if (!ev.response.known) return;
          const d = differ(resp, ev.response);
          if (d) {
            mismatches.push(`${q.preflight ? 'OPTIONS' : 'GET'} ${q.path} Origin: ${q.origin}${q.cookie ? ' +cookie' : ''}\n  django:   ${JSON.stringify(d.theirs)}\n  corslint: ${JSON.stringify(d.mine)}`);
          }
        });
        totals.fixtures++;
        totals.requests += reqs.length;
        totals.mismatches.push(...mismatches);
        checked++;
        expect(mismatches, `${linted.loc.file} (world: ${ours[0]?.world})`).toEqual([]);
      }
      // Every fixture either reaches Django or is skipped for a stated reason.
      expect(checked + totals.skipped.filter((s) => s.startsWith(unit.target)).length).toBe(django.length);
    });
  }

  afterAll(() => {
    console.log(summaryWithSkips('django corsheaders', found?.version ?? '?', totals, 'not compared'));
  });
});

missingToolTest('django', !found, 'python3 with django and corsheaders', 'apt-get install python3-django python3-django-cors-headers');
