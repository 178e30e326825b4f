import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RequestListener } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { expressExtractor } from '../../src/extractors/express/index.js';
import type { CorsResponse, ExtractContext, Policy } from '../../src/model/index.js';
import { ParseError } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';
import type { OracleRequest, OracleTally } from './harness.js';
import { appliesTo, buildRequests, compare, listen, planFor, policyProbeOrigins, send, summaryLine } from './harness.js';

/**
 * The Express oracle: every runnable fixture (fixtures/express/README.md)
 * whose policies corslint knows completely is started as a real Express app
 * with the real `cors` package, and every probe request must get exactly the
 * CORS headers corslint's model predicts.
 */

const REPO = path.resolve(import.meta.dirname, '../..');
const DIR = path.join(REPO, 'fixtures/express');
const RUNNABLE = /\.(c|m)?js$/;
const require = createRequire(import.meta.url);
const corsVersion = (JSON.parse(readFileSync(path.join(REPO, 'node_modules/cors/package.json'), 'utf8')) as { version: string }).version;

interface Unit {
  name: string;
  files: string[];
}

function units(): Unit[] {
  const out: Unit[] = [];
  for (const name of readdirSync(DIR).sort()) {
    const abs = path.join(DIR, name);
    if (statSync(abs).isDirectory()) {
      const files = (readdirSync(abs, { recursive: true }) as string[]).map((f) => path.join(abs, f)).filter((f) => statSync(f).isFile());
      out.push({ name, files: files.filter((f) => RUNNABLE.test(f) || /\.tsx?$/.test(f)) });
    } else if (/\.(c|m)?[jt]sx?$/.test(name)) out.push({ name, files: [abs] });
  }
  return out;
}

const ctx: ExtractContext = {
  root: REPO,
  readFile: (abs) => {
    try {
      return readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  },
  displayPath: (abs) => path.relative(REPO, abs).split(path.sep).join('/'),
};

async function extract(files: string[]): Promise<Policy[]> {
  const policies: Policy[] = [];
  for (const abs of files) {
    const text = readFileSync(abs, 'utf8');
    if (!expressExtractor.sniff(text)) continue;
    const out = await expressExtractor.extract({ path: ctx.displayPath(abs), absPath: abs, text }, ctx);
    policies.push(...out.policies);
  }
  return policies;
}

async function loadApp(abs: string): Promise<RequestListener> {
  const mod = (abs.endsWith('.cjs') ? require(abs) : await import(pathToFileURL(abs).href)) as { default?: unknown };
  const app = (typeof mod === 'function' ? mod : mod.default) as RequestListener | undefined;
  if (typeof app !== 'function') throw new Error(`${abs} does not export an Express app (see fixtures/express/README.md)`);
  return app;
}

/** What corslint answers for a request: the one policy (or identical policies) mounted where it goes. */
function modelAnswer(policies: Policy[], req: OracleRequest): CorsResponse | 'ambiguous' {
  const applicable = policies.filter((p) => appliesTo(p, req.path, req.method));
  if (applicable.length === 0) return { known: true, headers: [] };
  const answers = applicable.map((p) => evaluate(p, req));
  // A fallback answer is what the fixture really does when its variables are unset here.
  if (answers.some((a, i) => a.world !== 'written' && envVariables(applicable[i]!).some((v) => process.env[v] !== undefined))) {
    return { known: false, reason: 'depends on a variable set in this environment', loc: applicable[0]!.loc };
  }
  const keyed = new Set(answers.map((a) => JSON.stringify(a.response, (k, v) => (k === 'loc' ? undefined : v))));
  return keyed.size === 1 ? answers[0]!.response : 'ambiguous';
}

/** The environment variables a policy's unknown values name. */
function envVariables(p: Policy): string[] {
  const vals = [p.origins, p.credentials, p.methods, p.allowHeaders, p.exposeHeaders, p.maxAge, ...Object.values(p.extra ?? {})];
  return vals.flatMap((v) => (!v.known && v.variable ? v.variable.split('/') : []));
}

const tally: OracleTally = { fixtures: 0, requests: 0, mismatches: [], skipped: [] };

describe('express oracle', () => {
  afterAll(() => {
    console.log(summaryLine('express', corsVersion, tally));
    if (tally.skipped.length) console.log(`oracle: express skipped ${tally.skipped.length}: ${tally.skipped.join('; ')}`);
  });

  for (const unit of units()) {
    it(unit.name, async () => {
      let policies: Policy[];
      try {
        policies = await extract(unit.files);
      } catch (e) {
        if (e instanceof ParseError) {
          tally.skipped.push(`${unit.name} (does not parse)`);
          return;
        }
        throw e;
      }
      if (!policies.length) {
        tally.skipped.push(`${unit.name} (no policy)`);
        return;
      }
      if (!unit.files.some((f) => RUNNABLE.test(f)) || unit.files.some((f) => /\.tsx?$/.test(f))) {
        tally.skipped.push(`${unit.name} (TypeScript)`);
        return;
      }
      const origins = policyProbeOrigins(policies);
      const requests = policies.flatMap((p) => buildRequests(origins, planFor(p)));
      const answers = requests.map((r) => ({ r, a: modelAnswer(policies, r) }));
      const notKnown = answers.find(({ a }) => a !== 'ambiguous' && !a.known);
      if (notKnown) {
        tally.skipped.push(`${unit.name} (${notKnown.a !== 'ambiguous' && !notKnown.a.known ? notKnown.a.reason : ''})`);
        return;
      }
      const entry = policies[0]!.loc.file;
      expect(policies.every((p) => p.loc.file === entry), 'all policies of a fixture in the module that exports the app').toBe(true);
      const app = await loadApp(path.join(REPO, entry));
      const server = await listen(app);
      const mismatches: string[] = [];
      let sent = 0;
      try {
        for (const { r, a } of answers) {
          if (a === 'ambiguous') continue;
          const res = await send(server.url, r);
          sent++;
          const diffs = compare(a, res.raw, res.status);
          if (diffs.length) {
            mismatches.push(`${unit.name} ${r.preflight ? 'OPTIONS' : r.method} ${r.path} Origin: ${r.origin}${r.credentialed ? ' (credentialed)' : ''}: ${diffs.join('; ')}`);
          }
        }
      } finally {
        await server.close();
      }
      tally.fixtures++;
      tally.requests += sent;
      tally.mismatches.push(...mismatches);
      expect(mismatches).toEqual([]);
    });
  }

  it('ran enough requests', () => {
    // Runs last (vitest keeps declaration order within a file).
    expect(tally.mismatches).toEqual([]);
    expect(tally.fixtures).toBeGreaterThanOrEqual(20);
    expect(tally.requests).toBeGreaterThanOrEqual(150);
  });
});
