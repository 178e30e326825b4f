import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { extractFlask } from '../../src/extractors/flask/index.js';
import type { Policy } from '../../src/model/index.js';
import { testRegex } from '../../src/probes/match.js';
import { evaluate } from '../../src/semantics/index.js';
import { REPO, fixtureUnits } from '../support/fixtures.js';
import type { OracleTally } from './harness.js';
import { contextFor, missingToolTest, summaryWithSkips } from './harness.js';
import type { DriverRequest } from './python-apps.js';
import { corsRequestOf, differ, findPython, normalizeVersion, probeOrigins, runDriver } from './python-apps.js';

/**
 * The Flask-CORS oracle: every Flask fixture is imported by Debian's Python
 * (python3-flask-cors), the probe requests go through Flask's test client to
 * a path each policy covers, and the CORS headers must equal what
 * corslint's semantics answer for the installed release. A fixture is left
 * out, with the reason printed, only when its module cannot be compared (two
 * extension setups on one app, a route path with converters) or corslint has
 * no answer for it.
 */

const DRIVER = path.join(import.meta.dirname, 'flask_driver.py');
const found = findPython('import flask, flask_cors; from importlib.metadata import version; print(version("Flask-Cors"))');

const totals: OracleTally = { fixtures: 0, requests: 0, mismatches: [], skipped: [] };
const units = fixtureUnits(path.join(REPO, 'fixtures', 'flask'));
const sameLoc = (a: Policy, b: Policy) => a.loc.line === b.loc.line && a.loc.column === b.loc.column;

/** A path only this policy's resource pattern covers among the setup's resources; undefined when there is none to try. */
function pathFor(policy: Policy, siblings: Policy[]): string | undefined {
  if (policy.scope.paths) {
    const p = policy.scope.paths[0]!;
    return /^\/[\w./-]*$/.test(p) ? p : undefined;
  }
  const own = policy.scope.urlRegex;
  const base = own === undefined ? '/' : own.replace(/\\(.)/g, '$1').replace(/\.\*|[\\^$*+?()[\]{}|]/g, '');
  for (const cand of [`${base}oracle`, `${base}/oracle`, base].map((c) => (c.startsWith('/') ? c : `/${c}`))) {
    if (own !== undefined && !testRegex(own, '', 'python-match', cand)) continue;
    if (siblings.some((s) => s !== policy && s.scope.urlRegex !== undefined && testRegex(s.scope.urlRegex, '', 'python-match', cand))) continue;
    return cand;
  }
  return undefined;
}

describe.skipIf(!found)('flask oracle (real Flask-CORS)', () => {
  const installed = found ? normalizeVersion(found.version) : '0.0.0';

  for (const unit of units) {
    it(unit.target, async () => {
      const { policies } = await lint([unit.target], { cwd: REPO });
      const files = [...new Set(policies.filter((p) => p.framework === 'flask').map((p) => p.loc.file))];
      const root = unit.kind === 'project' ? path.join(REPO, unit.target) : REPO;
      for (const rel of files) {
        const abs = path.join(REPO, rel);
        const text = readFileSync(abs, 'utf8');
        const mine = (await extractFlask({ path: rel, absPath: abs, text }, contextFor(root), { version: installed })).policies;
        const extensions = mine.filter((p) => !p.scope.paths);
        if (extensions.some((p) => !sameLoc(p, extensions[0]!)) || (extensions.length && extensions.length !== mine.length)) {
          totals.skipped.push(`${rel}: several CORS setups on one app`);
          continue;
        }
        const reqs: DriverRequest[] = [];
        const owner: Policy[] = [];
        let skip: string | undefined;
        for (const policy of mine) {
          const p = pathFor(policy, mine);
          if (!p) {
            skip = `no path to reach ${policy.scope.urlRegex ?? policy.scope.paths?.join(',')}`;
            break;
          }
          const entries = policy.origins.known ? policy.origins.value : (policy.origins.fallback ?? []);
          const preflights = !policy.scope.methods || policy.scope.methods.includes('OPTIONS');
          for (const origin of probeOrigins(entries)) {
            for (const cookie of [false, true]) {
              reqs.push({ origin, path: p, preflight: false, cookie, method: 'GET' });
              owner.push(policy);
              if (!preflights) continue;
              reqs.push({ origin, path: p, preflight: true, cookie, method: 'GET', ...(cookie ? { requestHeaders: 'content-type,x-custom', privateNetwork: true } : {}) });
              owner.push(policy);
            }
          }
        }
        if (skip) {
          totals.skipped.push(`${rel}: ${skip}`);
          continue;
        }
        const ours = reqs.map((q, i) => evaluate(owner[i]!, corsRequestOf(q)));
        const unknownAt = ours.find((e) => !e.response.known);
        if (unknownAt && !unknownAt.response.known) {
          totals.skipped.push(`${rel}: corslint has no answer (${unknownAt.response.reason})`);
          continue;
        }
        const real = runDriver(found!.python, DRIVER, { root: unit.kind === 'project' ? root : path.dirname(abs), file: abs, requests: reqs });
        if (real.error) {
          // Only a setup Flask-CORS itself refuses may stop a fixture; corslint must then answer nothing.
          expect(real.error).toMatch(/^ValueError\b/);
          for (const ev of ours) expect(ev.response.known && ev.response.headers).toEqual([]);
          totals.skipped.push(`${rel}: the app does not start (${real.error.split('.')[0]})`);
          continue;
        }
        const mismatches: string[] = [];
        real.responses!.forEach((resp, i) => {
          const ev = ours[i]!;
          if (!ev.response.known) return;
          const d = differ(resp, ev.response);
          const q = reqs[i]!;
          if (d) {
            mismatches.push(
              `${q.preflight ? 'OPTIONS' : 'GET'} ${q.path} Origin: ${q.origin}${q.cookie ? ' +cookie' : ''}\n` +
                `  flask-cors: ${JSON.stringify(d.theirs)}\n  corslint:   ${JSON.stringify(d.mine)}`,
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
    console.log(summaryWithSkips('flask-cors', found?.version ?? '?', totals, 'not compared'));
  });
});

missingToolTest('flask', !found, 'Debian python3 with Flask-CORS', 'apt-get install python3-flask-cors');
