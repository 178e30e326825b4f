import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { extractDjango } from '../../src/extractors/django/index.js';
import type { CorsRequest, ExtractContext, OriginEntry, Policy } from '../../src/model/index.js';
import { probeOrigins } from './harness.js';
import { evaluate } from '../../src/semantics/index.js';
import { REPO, fixtureUnits } from '../support/fixtures.js';

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

interface OracleResponse {
  status: number;
  headers: [string, string][];
}

/** The headers corslint and Django are compared on (lower-case names). */
const COMPARED = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
  'access-control-allow-private-network',
];

interface Shape {
  status?: number;
  headers: Record<string, string[]>;
  varyOrigin: boolean;
}

function shape(status: number | undefined, headers: { name: string; value: string }[]): Shape {
  const out: Shape = { headers: {}, varyOrigin: false };
  if (status !== undefined) out.status = status;
  for (const h of headers) {
    const name = h.name.toLowerCase();
    if (name === 'vary') out.varyOrigin ||= h.value.split(',').some((t) => t.trim().toLowerCase() === 'origin');
    else if (COMPARED.includes(name)) (out.headers[name] ??= []).push(h.value);
  }
  // Header order is not part of the answer.
  out.headers = Object.fromEntries(Object.entries(out.headers).sort(([a], [b]) => (a < b ? -1 : 1)));
  return out;
}

const totals = { fixtures: 0, requests: 0, mismatches: 0, skipped: [] as string[] };

function contextFor(root: string): ExtractContext {
  return {
    root,
    readFile: (abs) => {
      try {
        return readFileSync(abs, 'utf8');
      } catch {
        return undefined;
      }
    },
    displayPath: (abs) => path.relative(REPO, abs).split(path.sep).join('/'),
  };
}

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
  const installed = found ? normalize(found.version) : '0.0.0';

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
        const stdout = execFileSync(found!.python, [DRIVER], {
          input: JSON.stringify(job),
          encoding: 'utf8',
          env: pyEnv,
        });
        const real = JSON.parse(stdout) as { error?: string; corsheaders?: string; responses?: OracleResponse[] };
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
          const theirs = shape(resp.status, resp.headers.map(([name, value]) => ({ name, value })));
          const mine = shape(ev.response.status, ev.response.headers);
          if (mine.status === undefined) delete theirs.status;
          if (JSON.stringify(theirs) !== JSON.stringify(mine)) {
            mismatches.push(`${q.preflight ? 'OPTIONS' : 'GET'} ${q.path} Origin: ${q.origin}${q.cookie ? ' +cookie' : ''}\n  django:   ${JSON.stringify(theirs)}\n  corslint: ${JSON.stringify(mine)}`);
          }
        });
        totals.fixtures++;
        totals.requests += reqs.length;
        totals.mismatches += mismatches.length;
        checked++;
        expect(mismatches, `${linted.loc.file} (world: ${ours[0]?.world})`).toEqual([]);
      }
      // Every fixture either reaches Django or is skipped for a stated reason.
      expect(checked + totals.skipped.filter((s) => s.startsWith(unit.target)).length).toBe(django.length);
    });
  }

  afterAll(() => {
    console.log(
      `oracle: django corsheaders ${found?.version} fixtures=${totals.fixtures} requests=${totals.requests} mismatches=${totals.mismatches}` +
        (totals.skipped.length ? `\n  not compared: ${totals.skipped.join('\n  not compared: ')}` : ''),
    );
  });
});

const REQUIRED = process.env.CORSLINT_REQUIRE_ORACLES === '1';

describe.skipIf(!!found)('django oracle (python3 with django and django-cors-headers missing)', () => {
  it.skipIf(!REQUIRED)('is required here: CORSLINT_REQUIRE_ORACLES=1', () => {
    throw new Error('python3 with django and corsheaders is missing (apt-get install python3-django python3-django-cors-headers); CORSLINT_REQUIRE_ORACLES=1 requires it');
  });
});

function normalize(v: string): string {
  const parts = v.split('.').map((x) => parseInt(x, 10) || 0);
  while (parts.length < 3) parts.push(0);
  return parts.slice(0, 3).join('.');
}
