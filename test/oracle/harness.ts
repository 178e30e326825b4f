import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, it } from 'vitest';
import type { CorsRequest, CorsResponse, ExtractContext, OriginEntry, Policy } from '../../src/model/index.js';
import { headerValues } from '../../src/model/index.js';
import { originEntries } from '../../src/analysis/probes.js';
import { generateProbes } from '../../src/probes/index.js';
import { REPO } from '../support/fixtures.js';

/**
 * The oracle harness: send real requests to a real server and compare the
 * CORS headers it answers with what corslint's model (extractor +
 * semantics) says it answers. Framework-neutral: a framework test supplies
 * the policies corslint extracted and a way to start the server.
 */

/** A request the oracle sends: the model's CorsRequest plus where to send it. */
export interface OracleRequest extends CorsRequest {
  method: string;
  path: string;
}

/** What a response says about CORS, in a form both sides can produce. */
export interface Observed {
  /** Every Access-Control-Allow-Origin value, in order (two headers → two entries). */
  acao: string[];
  acac: string[];
  varyOrigin: boolean;
  allowMethods?: string;
  allowHeaders?: string;
  maxAge?: string;
  exposeHeaders?: string;
  status?: number;
}

/**
 * The trusted origin every oracle also probes around, as if the project
 * configured `trustedOrigins: ["https://app.example.com"]`: a policy that
 * trusts nothing by name (reflection, `*`) still gets look-alike requests.
 */
export const DEFAULT_TRUSTED = 'https://app.example.com';

/**
 * The Origins an oracle sends for these origin entries: exactly the probes
 * the origin rules reason about (src/probes generateProbes: the attacker's
 * site, `null`, the trusted origins the entries encode, and their suffix,
 * prefix, unescaped-dot, look-alike, shared-host, downgrade, subdomain and
 * port variants), with DEFAULT_TRUSTED as the configured trusted origin.
 */
export function probeOrigins(entries: OriginEntry[]): string[] {
  return generateProbes(entries, [DEFAULT_TRUSTED]).probes.map((p) => p.origin);
}

/** probeOrigins for every policy of a unit (the written entries, else their fallback), in order, without repeats. */
export function policyProbeOrigins(policies: Policy[]): string[] {
  const out = new Set<string>();
  for (const p of policies) for (const o of probeOrigins(originEntries(p))) out.add(o);
  return [...out];
}

export interface RequestPlan {
  path: string;
  /** The method of the actual (non-preflight) requests. */
  method: string;
  /** Send preflights too (the route answers OPTIONS). */
  preflight: boolean;
}

/**
 * Each Origin (policyProbeOrigins) with and without credentials (cookies), as
 * an actual request and as a preflight.
 */
export function buildRequests(origins: string[], plan: RequestPlan): OracleRequest[] {
  const out: OracleRequest[] = [];
  for (const origin of new Set(origins)) {
    for (const credentialed of [false, true]) {
      out.push({ origin, credentialed, cookie: credentialed, preflight: false, method: plan.method, path: plan.path });
      if (plan.preflight) {
        out.push({
          origin,
          credentialed,
          cookie: credentialed,
          preflight: true,
          method: 'OPTIONS',
          path: plan.path,
          requestHeaders: 'content-type,x-requested-with',
        });
      }
    }
  }
  return out;
}

/** Send one request to a real server; raw header lines are kept so duplicates count. */
export function send(baseUrl: string, req: OracleRequest): Promise<{ status: number; raw: string[] }> {
  const url = new URL(req.path, baseUrl);
  const headers: Record<string, string> = { Origin: req.origin };
  if (req.cookie) headers.Cookie = 'session=oracle';
  if (req.preflight) {
    headers['Access-Control-Request-Method'] = 'PUT';
    if (req.requestHeaders) headers['Access-Control-Request-Headers'] = req.requestHeaders;
  }
  return new Promise((resolve, reject) => {
    const r = http.request(url, { method: req.method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, raw: res.rawHeaders }));
    });
    r.on('error', reject);
    r.end();
  });
}

function rawValues(raw: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) out.push(raw[i + 1]!);
  return out;
}

const hasOriginToken = (values: string[]) => values.some((v) => v.split(',').some((t) => t.trim().toLowerCase() === 'origin'));

export function observeRaw(raw: string[], status: number): Observed {
  return observe((n) => rawValues(raw, n), status);
}

export function observeModel(res: Extract<CorsResponse, { known: true }>): Observed {
  return observe((n) => headerValues(res, n), res.status);
}

/** The compared parts of a response whose header values `values` gives by lower-case name. */
function observe(values: (name: string) => string[], status: number | undefined): Observed {
  const one = (n: string) => {
    const v = values(n);
    return v.length ? v.join(', ') : undefined;
  };
  const o: Observed = {
    acao: values('access-control-allow-origin'),
    acac: values('access-control-allow-credentials'),
    varyOrigin: hasOriginToken(values('vary')),
  };
  if (status !== undefined) o.status = status;
  const m = one('access-control-allow-methods');
  if (m !== undefined) o.allowMethods = m;
  const h = one('access-control-allow-headers');
  if (h !== undefined) o.allowHeaders = h;
  const a = one('access-control-max-age');
  if (a !== undefined) o.maxAge = a;
  const e = one('access-control-expose-headers');
  if (e !== undefined) o.exposeHeaders = e;
  return o;
}

/**
 * Differences between corslint's answer and the real headers: ACAO (count
 * and values), ACAC, whether Vary names Origin, the preflight headers, and
 * the status when the model states one. Empty means they agree.
 */
export function compare(expected: CorsResponse, actualRaw: string[], actualStatus: number): string[] {
  if (!expected.known) return [`corslint has no answer (${expected.reason})`];
  const exp = observeModel(expected);
  const act = observeRaw(actualRaw, actualStatus);
  const diffs: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(exp.acao, act.acao)) diffs.push(`ACAO corslint=${JSON.stringify(exp.acao)} real=${JSON.stringify(act.acao)}`);
  if (!same(exp.acac, act.acac)) diffs.push(`ACAC corslint=${JSON.stringify(exp.acac)} real=${JSON.stringify(act.acac)}`);
  if (exp.varyOrigin !== act.varyOrigin) diffs.push(`Vary: Origin corslint=${exp.varyOrigin} real=${act.varyOrigin}`);
  for (const k of ['allowMethods', 'allowHeaders', 'maxAge', 'exposeHeaders'] as const) {
    if (exp[k] !== act[k]) diffs.push(`${k} corslint=${exp[k] ?? '∅'} real=${act[k] ?? '∅'}`);
  }
  if (exp.status !== undefined && exp.status !== act.status) diffs.push(`status corslint=${exp.status} real=${act.status}`);
  return diffs;
}

/** Does a policy run for this request (its mounted paths and methods)? */
export function appliesTo(policy: Policy, path: string, method: string): boolean {
  const { paths, methods } = policy.scope;
  if (methods && !methods.includes(method)) return false;
  if (!paths) return true;
  return paths.some((p) => p === '*' || p === '/*' || p === path || (p.startsWith('/') && path.startsWith(p.endsWith('/') ? p : `${p}/`)));
}

/** Where to send requests so that this policy answers them. */
export function planFor(policy: Policy): RequestPlan {
  const literal = policy.scope.paths?.find((p) => /^\/[\w./-]*$/.test(p));
  const path = literal ?? '/';
  const methods = policy.scope.methods;
  const method = !methods || methods.includes('GET') ? 'GET' : (methods.find((m) => m !== 'OPTIONS') ?? 'GET');
  return { path, method, preflight: !methods || methods.includes('OPTIONS') };
}

export async function listen(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

export interface OracleTally {
  fixtures: number;
  requests: number;
  mismatches: string[];
  skipped: string[];
}

export function summaryLine(framework: string, version: string, t: OracleTally): string {
  return `oracle: ${framework} ${version} fixtures=${t.fixtures} requests=${t.requests} mismatches=${t.mismatches.length}`;
}

/** The summary, then one line per fixture left out (`label` says how: not run, not compared) with its reason. */
export function summaryWithSkips(framework: string, version: string, t: OracleTally, label: string): string {
  return summaryLine(framework, version, t) + (t.skipped.length ? `\n  ${label}: ${t.skipped.join(`\n  ${label}: `)}` : '');
}

// .ci/run sets this: there an oracle whose tool is missing is a failure, not a skip.
const ORACLES_REQUIRED = process.env.CORSLINT_REQUIRE_ORACLES === '1';

/**
 * The test that stands for an oracle that cannot run because `tool` is not
 * installed (`install` says how): a failure where oracles are required, a
 * printed skip elsewhere.
 */
export function missingToolTest(oracle: string, missing: boolean, tool: string, install: string): void {
  describe.runIf(missing)(`oracle: ${oracle} (${tool} not installed)`, () => {
    it(`needs ${tool}`, () => {
      if (ORACLES_REQUIRED) throw new Error(`${tool} is not installed (${install}); CORSLINT_REQUIRE_ORACLES=1 requires it`);
      console.log(`oracle: ${oracle} skipped: ${tool} is not installed`);
    });
  });
}

/** Extraction over the real files below `root`, with paths displayed relative to the repository. */
export function contextFor(root: string): ExtractContext {
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
