import { execFileSync, spawnSync } from 'node:child_process';
import type { CorsRequest, CorsResponse, OriginEntry } from '../../src/model/index.js';
import { generateProbes } from '../../src/probes/index.js';

/**
 * Shared by the Python oracles (Django, Flask, Starlette): Debian's Python (not a pyenv
 * one on PATH, which lacks the Debian packages) runs a driver that imports
 * the fixture module itself and sends it requests through the framework's
 * test client; the CORS headers are compared with corslint's answer.
 */

/** A clean environment: every variable a fixture reads is unset, so its fallbacks apply, as in corslint's fallback world. */
export const pyEnv = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };

/** The first Python that runs `probe` (which prints a version), with that version. */
export function findPython(probe: string): { python: string; version: string } | undefined {
  for (const cand of [process.env.CORSLINT_PYTHON, '/usr/bin/python3']) {
    if (!cand) continue;
    const r = spawnSync(cand, ['-c', probe], { encoding: 'utf8', env: pyEnv });
    if (r.status === 0) return { python: cand, version: r.stdout.trim() };
  }
  return undefined;
}

export function pythonCan(python: string, code: string): boolean {
  return spawnSync(python, ['-c', code], { encoding: 'utf8', env: pyEnv }).status === 0;
}

/** One request a driver sends (test/oracle/oracle_driver.py); for a preflight `method` is the Access-Control-Request-Method. */
export interface DriverRequest {
  origin: string;
  path: string;
  preflight: boolean;
  cookie: boolean;
  method: string;
  requestHeaders?: string;
  privateNetwork?: boolean;
}

/** The same request as corslint's semantics take it: credentialed when it carries the cookie. */
export function corsRequestOf(q: DriverRequest): CorsRequest {
  const req: CorsRequest = { origin: q.origin, credentialed: q.cookie, cookie: q.cookie, preflight: q.preflight, method: q.method, path: q.path };
  if (q.requestHeaders !== undefined) req.requestHeaders = q.requestHeaders;
  if (q.privateNetwork) req.privateNetwork = true;
  return req;
}

export interface DriverResponse {
  status: number;
  headers: [string, string][];
}

export function runDriver(python: string, driver: string, job: unknown, env: NodeJS.ProcessEnv = pyEnv): { error?: string; responses?: DriverResponse[] } {
  const stdout = execFileSync(python, [driver], { input: JSON.stringify(job), encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as { error?: string; responses?: DriverResponse[] };
}

/** The probes corslint derives for the entries, plus case variants of exact origins (comparisons differ in case handling). */
export function probeOrigins(entries: OriginEntry[]): string[] {
  const set = new Set(generateProbes(entries).probes.map((p) => p.origin));
  for (const e of entries) {
    if (e.kind !== 'exact' || !/^https?:\/\//.test(e.origin)) continue;
    set.add(e.origin.replace(/^https?/, (s) => s.toUpperCase()));
    set.add(e.origin.replace(/\/\/([^/]+)/, (_, h: string) => `//${h.toUpperCase()}`));
  }
  return [...set].slice(0, 40);
}

/** The headers compared (lower-case names); Vary only as "names Origin". */
const COMPARED = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
  'access-control-allow-private-network',
];

export interface Shape {
  status?: number;
  headers: Record<string, string[]>;
  varyOrigin: boolean;
}

export function shape(status: number | undefined, headers: { name: string; value: string }[]): Shape {
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

/** Differences between the real response and corslint's; the status only where corslint states one. */
export function differ(real: DriverResponse, ours: Extract<CorsResponse, { known: true }>): { theirs: Shape; mine: Shape } | undefined {
  const theirs = shape(real.status, real.headers.map(([name, value]) => ({ name, value })));
  const mine = shape(ours.status, ours.headers);
  if (mine.status === undefined) delete theirs.status;
  return JSON.stringify(theirs) === JSON.stringify(mine) ? undefined : { theirs, mine };
}

export function normalizeVersion(v: string): string {
  const parts = v.split('.').map((x) => parseInt(x, 10) || 0);
  while (parts.length < 3) parts.push(0);
  return parts.slice(0, 3).join('.');
}
