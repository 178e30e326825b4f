import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import type { CorsResponse, Extractor, Policy } from '../../src/model/index.js';
import { ParseError } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';
import type { OracleRequest, OracleTally } from './harness.js';
import { appliesTo, buildRequests, compare, contextFor, planFor, policyProbeOrigins, send } from './harness.js';

/**
 * The oracle for Node middlewares (Express, Fastify, Koa): every
 * runnable fixture (fixtures/<fw>/README.md) whose policies corslint knows
 * completely is imported, started on a loopback port with the real
 * framework and CORS package, and every probe request must get exactly the
 * CORS headers corslint's model predicts.
 */

export const REPO = path.resolve(import.meta.dirname, '../..');
const RUNNABLE = /\.(c|m)?js$/;
const require = createRequire(import.meta.url);

export function installedVersion(pkg: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

export interface Server {
  url: string;
  close(): Promise<void>;
}

export interface NodeOracle {
  /** fixtures/<name> */
  fixtures: string;
  extractor: Extractor;
  /** The CORS package a policy runs on (kcors, @koa/cors, ...). */
  packageOf(p: Policy): string;
  /** Start what the fixture module exports, on 127.0.0.1 and a free port. */
  start(exported: unknown, file: string): Promise<Server>;
}

interface Unit {
  name: string;
  files: string[];
}

function units(dir: string): Unit[] {
  const out: Unit[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) {
      const files = (readdirSync(abs, { recursive: true }) as string[]).map((f) => path.join(abs, f)).filter((f) => statSync(f).isFile());
      out.push({ name, files: files.filter((f) => RUNNABLE.test(f) || /\.tsx?$/.test(f)) });
    } else if (/\.(c|m)?[jt]sx?$/.test(name)) out.push({ name, files: [abs] });
  }
  return out;
}

const ctx = contextFor(REPO);

/** The environment variables a policy's unknown values name. */
function envVariables(p: Policy): string[] {
  const vals = [p.origins, p.credentials, p.methods, p.allowHeaders, p.exposeHeaders, p.maxAge, ...Object.values(p.extra ?? {})];
  return vals.flatMap((v) => (!v.known && v.variable ? v.variable.split('/') : []));
}

/** What corslint answers for a request: the one policy (or identical policies) that applies. */
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

async function load(abs: string): Promise<unknown> {
  const mod = (abs.endsWith('.cjs') ? require(abs) : await import(pathToFileURL(abs).href)) as { default?: unknown };
  return abs.endsWith('.cjs') ? mod : mod.default;
}

/** One `it` per fixture unit, then a last one that checks the totals. */
export function oracleTests(o: NodeOracle, tally: OracleTally, minimum: { fixtures: number; requests: number }): void {
  const dir = path.join(REPO, o.fixtures);
  for (const unit of units(dir)) {
    it(unit.name, async () => {
      const policies: Policy[] = [];
      try {
        for (const abs of unit.files) {
          const text = readFileSync(abs, 'utf8');
          if (!o.extractor.sniff(text)) continue;
          const out = await o.extractor.extract({ path: ctx.displayPath(abs), absPath: abs, text }, ctx);
          policies.push(...out.policies);
        }
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
      // A fixture pinned to another version (or package) than the installed one is not run.
      for (const p of policies) {
        const pkg = o.packageOf(p);
        const have = installedVersion(pkg);
        if (!have || (p.version !== undefined && p.version !== have)) {
          tally.skipped.push(`${unit.name} (${pkg}${p.version ? ` ${p.version}` : ''} not installed${have ? `; ${have} is` : ''})`);
          return;
        }
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
      const server = await o.start(await load(path.join(REPO, entry)), entry);
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
    expect(tally.fixtures).toBeGreaterThanOrEqual(minimum.fixtures);
    expect(tally.requests).toBeGreaterThanOrEqual(minimum.requests);
  });
}
