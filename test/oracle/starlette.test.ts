import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { extractStarlette } from '../../src/extractors/starlette/index.js';
import { evaluate } from '../../src/semantics/index.js';
import { REPO, fixtureUnits } from '../support/fixtures.js';
import type { OracleTally } from './harness.js';
import { contextFor, missingToolTest, summaryWithSkips } from './harness.js';
import type { DriverRequest, DriverResponse } from './python-apps.js';
import { corsRequestOf, differ, findPython, normalizeVersion, probeOrigins, pythonCan, runDriver } from './python-apps.js';

/**
 * The Starlette oracle: every Starlette/FastAPI fixture is imported by
 * Debian's Python (python3-starlette, python3-httpx for the TestClient,
 * python3-fastapi for the FastAPI ones), the probe requests go through
 * Starlette's TestClient, and the CORS headers must equal what corslint's
 * semantics answer for the installed release. A fixture is left out, with
 * the reason printed, only when its module cannot be compared as one app
 * (several CORSMiddleware calls) or corslint has no answer for it.
 */

const DRIVER = path.join(import.meta.dirname, 'starlette_driver.py');
const found = findPython('import httpx, starlette; from starlette.testclient import TestClient; print(starlette.__version__)');
const hasFastapi = found ? pythonCan(found.python, 'import fastapi') : false;

const totals: OracleTally = { fixtures: 0, requests: 0, mismatches: [], skipped: [] };
const units = fixtureUnits(path.join(REPO, 'fixtures', 'starlette'));

describe.skipIf(!found)('starlette oracle (real CORSMiddleware)', () => {
  const installed = found ? normalizeVersion(found.version) : '0.0.0';

  for (const unit of units) {
    it(unit.target, async () => {
      const { policies } = await lint([unit.target], { cwd: REPO });
      const files = [...new Set(policies.filter((p) => p.framework === 'starlette').map((p) => p.loc.file))];
      const root = unit.kind === 'project' ? path.join(REPO, unit.target) : REPO;
      for (const rel of files) {
        const abs = path.join(REPO, rel);
        const text = readFileSync(abs, 'utf8');
        if (/^\s*(from|import)\s+fastapi\b/m.test(text) && !hasFastapi) {
          totals.skipped.push(`${rel}: fastapi is not installed (python3-fastapi)`);
          continue;
        }
        // Re-read as the installed release would (the project may pin an older one).
        const mine = (await extractStarlette({ path: rel, absPath: abs, text }, contextFor(root), { version: installed })).policies;
        if (mine.length !== 1) {
          totals.skipped.push(`${rel}: ${mine.length} CORSMiddleware calls in one module`);
          continue;
        }
        const policy = mine[0]!;
        const entries = policy.origins.known ? policy.origins.value : (policy.origins.fallback ?? []);
        const reqs: DriverRequest[] = [];
        for (const origin of probeOrigins(entries)) {
          for (const cookie of [false, true]) {
            reqs.push({ origin, path: '/', preflight: false, cookie, method: 'GET' });
            // A preflight with and without requested headers: Starlette refuses unlisted ones with 400.
            reqs.push({ origin, path: '/', preflight: true, cookie, method: 'GET', ...(cookie ? { requestHeaders: 'content-type,x-custom' } : {}) });
          }
        }
        const ours = reqs.map((q) => evaluate(policy, corsRequestOf(q)));
        const unknownAt = ours.find((e) => !e.response.known);
        if (unknownAt && !unknownAt.response.known) {
          totals.skipped.push(`${rel}: corslint has no answer (${unknownAt.response.reason})`);
          continue;
        }
        const real = runDriver(found!.python, DRIVER, { root: unit.kind === 'project' ? root : path.dirname(abs), file: abs, requests: reqs });
        if (real.error) throw new Error(`${rel} could not be imported: ${real.error}`);
        const mismatches: string[] = [];
        real.responses!.forEach((resp: DriverResponse, i) => {
          const ev = ours[i]!;
          if (!ev.response.known) return;
          const d = differ(resp, ev.response);
          const q = reqs[i]!;
          if (d) {
            mismatches.push(
              `${q.preflight ? 'OPTIONS' : 'GET'} Origin: ${q.origin}${q.cookie ? ' +cookie' : ''}${q.requestHeaders ? ` ACRH: ${q.requestHeaders}` : ''}\n` +
                `  starlette: ${JSON.stringify(d.theirs)}\n  corslint:  ${JSON.stringify(d.mine)}`,
            );
          }
        });
        totals.fixtures++;
        totals.requests += reqs.length;
        totals.mismatches.push(...mismatches);
        expect(mismatches, `${rel} (world: ${ours[0]?.world})`).toEqual([]);
      }
    });
  }

  afterAll(() => {
    console.log(summaryWithSkips('starlette', found?.version ?? '?', totals, 'not compared'));
  });
});

missingToolTest('starlette', !found || !hasFastapi, 'Debian python3 with Starlette, httpx and FastAPI', 'apt-get install python3-starlette python3-httpx python3-fastapi');
