import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NginxProgram } from '../../src/extractors/nginx/program.js';
import { nginxExtractor } from '../../src/extractors/nginx/index.js';
import type { Directive } from '../../src/extractors/nginx/parser.js';
import { parseNginx, walk } from '../../src/extractors/nginx/parser.js';
import type { CorsRequest, CorsResponse, Policy } from '../../src/model/index.js';
import { originEntries } from '../../src/analysis/probes.js';
import { UnknownValueError } from '../../src/semantics/index.js';
import { programOf, runNginx } from '../../src/semantics/nginx.js';
import { toJsRegExp } from '../../src/probes/match.js';
import { compare, contextFor, listen, missingToolTest, probeOrigins, summaryWithSkips, type OracleTally } from './harness.js';

/**
 * The nginx oracle: every standalone fixture under fixtures/nginx runs in the
 * real nginx (loopback ports, a temporary prefix, upstreams replaced by a
 * local stub that answers with the status the request asks for). For each
 * serving unit corslint modelled, hostile, trusted and look-alike Origins are
 * sent as GET, as a preflight and as a request the backend fails (500, or 404
 * for static files), and the Access-Control-* and Vary headers nginx really
 * sends (every value, so duplicates count) must equal what the model answers.
 */

const REPO = path.resolve(import.meta.dirname, '../..');
const DIR = path.join(REPO, 'fixtures/nginx');
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find((p) => existsSync(p));

const version = (() => {
  if (!NGINX) return undefined;
  const r = spawnSync(NGINX, ['-v'], { encoding: 'utf8' });
  return /nginx\/([\d.]+)/.exec(`${r.stderr}${r.stdout}`)?.[1];
})();

const atLeast = (v: string, min: string) => {
  const a = v.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

/** Why a fixture cannot run in a stock nginx-light, or undefined. */
function notRunnable(text: string, name: string): string | undefined {
  if (/more_(set|clear)_headers/.test(text)) return 'needs the headers-more module';
  if (/_by_lua/.test(text)) return 'needs the lua module';
  if (/add_header_inherit/.test(text) && !atLeast(version ?? '0', '1.29.3')) return `add_header_inherit needs nginx >= 1.29.3 (have ${version})`;
  if (/\.(template|tpl|j2)$/.test(name)) return 'template placeholders';
  if (/expect:\s*parse-error/.test(text)) return 'does not parse (by design)';
  return undefined;
}

const ctx = contextFor(DIR);

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

interface Rewritten {
  conf: string;
  /** Port of each server block, by the server directive's line. */
  ports: Map<number, number>;
}

/**
 * The fixture as a runnable nginx.conf: loopback listen ports, every *_pass
 * sent to the stub, roots in the temporary prefix, writable temp paths, and
 * an http/events wrapper when the fixture has none.
 */
async function rewrite(text: string, file: string, prefix: string, stubPort: number): Promise<Rewritten> {
  const parsed = parseNginx(text, file);
  const lines = text.split('\n');
  const offsets: number[] = [];
  let acc = 0;
  for (const l of lines) {
    offsets.push(acc);
    acc += l.length + 1;
  }
  const off = (line: number, col: number) => offsets[line - 1]! + col - 1;
  const edits: { from: number; to: number; text: string }[] = [];
  const replace = (d: Directive, t: string) => edits.push({ from: off(d.loc.line, d.loc.column), to: off(d.loc.endLine, d.loc.endColumn), text: t });
  const ports = new Map<number, number>();
  for (const d of walk(parsed.directives)) {
    if (d.name === 'server' && d.block && !d.args.length) {
      const port = await freePort();
      ports.set(d.loc.line, port);
      const listens = d.block.filter((c) => c.name === 'listen');
      if (listens.length === 0) edits.push({ from: off(d.loc.endLine, d.loc.endColumn), to: off(d.loc.endLine, d.loc.endColumn), text: ` listen 127.0.0.1:${port};` });
      listens.forEach((l, i) => replace(l, i === 0 ? `listen 127.0.0.1:${port};` : ''));
    }
    if (/^(proxy|fastcgi|uwsgi|grpc|scgi)_pass$/.test(d.name)) replace(d, `proxy_pass http://127.0.0.1:${stubPort};`);
    if (/^(fastcgi|uwsgi|grpc|scgi)_hide_header$/.test(d.name)) replace(d, `proxy_hide_header ${d.args[0]!.raw};`);
    if (d.name === 'root') replace(d, `root ${path.join(prefix, 'html')};`);
    if (d.name === 'include' || d.name === 'user') replace(d, '');
  }
  edits.sort((a, b) => b.from - a.from);
  let conf = text;
  for (const e of edits) conf = conf.slice(0, e.from) + e.text + conf.slice(e.to);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `${k}_temp_path ${path.join(prefix, 'tmp', k)};`).join(' ');
  const extra = `access_log off; ${temp}`;
  const hasHttp = parsed.directives.some((d) => d.name === 'http' && d.block);
  if (hasHttp) conf = conf.replace(/(^|\n)(\s*)http\s*\{/, (m) => `${m} ${extra}`);
  else conf = `http { ${extra}\n${conf}\n}`;
  if (!parsed.directives.some((d) => d.name === 'events')) conf = `events {}\n${conf}`;
  return { conf, ports };
}

/** A request path the unit's location matches, or undefined (named locations). */
function pathFor(location: string | undefined): string | undefined {
  if (location === undefined) return '/__corslint_oracle_default';
  const m = /^(=|\^~|~\*?)?\s*(.*)$/.exec(location)!;
  const [mod, arg] = [m[1], m[2]!];
  if (arg.startsWith('@')) return undefined;
  if (mod === '=') return arg;
  if (mod === '~' || mod === '~*') {
    const re = toJsRegExp(arg, mod === '~*' ? 'i' : '', 'nginx');
    return ['/api/v1/oracle', '/oracle.php', '/index.php', '/api/oracle', '/oracle'].find((p) => re?.test(p));
  }
  return `${arg}${arg.endsWith('/') ? '' : '/'}oracle`;
}

function send(port: number, p: string, req: CorsRequest, extra: Record<string, string>): Promise<{ status: number; raw: string[] }> {
  const headers: Record<string, string> = { Origin: req.origin, ...extra };
  if (req.preflight) {
    headers['Access-Control-Request-Method'] = 'PUT';
    if (req.requestHeaders) headers['Access-Control-Request-Headers'] = req.requestHeaders;
  }
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, path: p, method: req.preflight ? 'OPTIONS' : 'GET', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, raw: res.rawHeaders }));
    });
    r.on('error', reject);
    r.end();
  });
}

/** Every value of each Access-Control-* and Vary header, in order, on both sides. */
function headerLists(names: string[], pairs: [string, string][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [n, v] of pairs) {
    const k = n.toLowerCase();
    if (k.startsWith('access-control-') || k === 'vary') (out[k] ??= []).push(v);
  }
  for (const n of names) out[n] ??= [];
  return out;
}

async function startNginx(prefix: string, ports: number[]): Promise<ChildProcess> {
  const child = spawn(NGINX!, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', `daemon off; master_process off; pid ${path.join(prefix, 'nginx.pid')}; error_log ${path.join(prefix, 'error.log')};`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    const ok = await Promise.all(
      ports.map(
        (p) =>
          new Promise<boolean>((r) => {
            const s = net.connect(p, '127.0.0.1');
            s.on('connect', () => (s.destroy(), r(true)));
            s.on('error', () => r(false));
          }),
      ),
    );
    if (ok.every(Boolean)) return child;
    await new Promise((r) => setTimeout(r, 30));
  }
  child.kill('SIGKILL');
  throw new Error(`nginx did not listen: ${stderr}`);
}

const tally: OracleTally = { fixtures: 0, requests: 0, mismatches: [], skipped: [] };

missingToolTest('nginx', !NGINX, 'nginx', 'apt-get install nginx-light');

describe.runIf(!!NGINX)('oracle: nginx', () => {
  const fixtures = readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .sort();

  afterAll(() => {
    console.log(summaryWithSkips('nginx', version ?? '?', tally, 'not run'));
  });

  for (const name of fixtures) {
    it(name, async () => {
      const abs = path.join(DIR, name);
      const text = readFileSync(abs, 'utf8');
      const why = notRunnable(text, name);
      if (why) {
        tally.skipped.push(`${name}: ${why}`);
        return;
      }
      const out = await nginxExtractor.extract({ path: ctx.displayPath(abs), absPath: abs, text }, ctx);
      const units = new Map<string, Policy>();
      for (const p of out.policies) units.set(`${p.loc.line}:${p.loc.column}`, p);
      expect(units.size).toBeGreaterThan(0);

      const prefix = mkdtempSync(path.join(os.tmpdir(), 'corslint-nginx-'));
      const stub = await listen((req, res) => {
        const status = Number(req.headers['x-oracle-status'] ?? 200);
        res.writeHead(status, { 'Content-Type': 'text/plain' });
        res.end('stub');
      });
      let child: ChildProcess | undefined;
      try {
        for (const d of ['html', 'tmp', ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `tmp/${k}`)]) mkdirSync(path.join(prefix, d), { recursive: true });
        const stubPort = Number(new URL(stub.url).port);
        const { conf, ports } = await rewrite(text, ctx.displayPath(abs), prefix, stubPort);
        writeFileSync(path.join(prefix, 'nginx.conf'), conf);
        const test = spawnSync(NGINX!, ['-t', '-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', `pid ${path.join(prefix, 'nginx.pid')}; error_log stderr;`], { encoding: 'utf8' });
        expect(test.status, `nginx -t rejected the rewritten ${name}:\n${test.stderr}\n${conf}`).toBe(0);

        const servers = [...ports.keys()].sort((a, b) => a - b);
        const serverPort = (line: number) => ports.get(servers.filter((s) => s <= line).pop() ?? servers[0]!)!;
        // Static locations answer from these files (the 404 variant asks for a missing one).
        const plans: { policy: Policy; program: NginxProgram; port: number; path: string }[] = [];
        for (const policy of units.values()) {
          const program = programOf(policy)!;
          const p = pathFor(policy.scope.location);
          if (!p) continue;
          plans.push({ policy, program: { ...program, forks: {} }, port: serverPort(policy.loc.line), path: p });
          mkdirSync(path.join(prefix, 'html', path.dirname(p)), { recursive: true });
          writeFileSync(path.join(prefix, 'html', p), 'file');
        }
        chmodSync(prefix, 0o755);
        child = await startNginx(prefix, [...ports.values()]);
        tally.fixtures++;

        for (const plan of plans) {
          const probes = probeOrigins(originEntries(plan.policy));
          // Map keys match case-insensitively, regexes as written: an upper-cased host tells them apart.
          const shouted = probes.filter((o) => o.startsWith('http')).map((o) => o.replace(/\/\/([^.]+)/, (_, h: string) => `//${h.toUpperCase()}`));
          const origins = [...new Set([...probes, ...shouted.slice(0, 2)])];
          for (const origin of origins) {
            for (const variant of ['ok', 'preflight', 'failed'] as const) {
              const preflight = variant === 'preflight';
              const base = plan.program.confs[plan.program.baseConf]!;
              const isStatic = base.handler.kind === 'static';
              // A missing file is how a static location fails; only a prefix location still matches `<path>.missing`.
              if (variant === 'failed' && isStatic && /^(=|~)/.test(plan.policy.scope.location ?? '')) continue;
              const reqPath = variant === 'failed' && isStatic ? `${plan.path}.missing` : plan.path;
              const req: CorsRequest = { origin, credentialed: false, preflight, method: preflight ? 'PUT' : 'GET', path: reqPath, requestHeaders: preflight ? 'content-type' : undefined };
              if (variant === 'failed') req.status = isStatic ? 404 : 500;
              const sentHeaders: Record<string, string> = variant === 'failed' && !isStatic ? { 'X-Oracle-Status': '500' } : {};
              let model: CorsResponse;
              try {
                const lower: Record<string, string> = { origin };
                for (const [k, v] of Object.entries(sentHeaders)) lower[k.toLowerCase()] = v;
                if (preflight) {
                  lower['access-control-request-method'] = 'PUT';
                  lower['access-control-request-headers'] = 'content-type';
                }
                model = runNginx(plan.program, req, undefined, { headers: lower });
              } catch (e) {
                if (!(e instanceof UnknownValueError)) throw e;
                tally.skipped.push(`${name} ${plan.path}: ${e.message}`);
                continue;
              }
              const real = await send(plan.port, reqPath, req, sentHeaders);
              tally.requests++;
              const pairs: [string, string][] = [];
              for (let i = 0; i + 1 < real.raw.length; i += 2) pairs.push([real.raw[i]!, real.raw[i + 1]!]);
              const modelPairs: [string, string][] = model.known ? model.headers.map((h) => [h.name, h.value]) : [];
              const names = [...new Set([...pairs, ...modelPairs].map(([n]) => n.toLowerCase()))];
              const diffs = compare(model, real.raw, real.status);
              const a = JSON.stringify(headerLists(names, modelPairs));
              const b = JSON.stringify(headerLists(names, pairs));
              if (a !== b) diffs.push(`headers corslint=${a} real=${b}`);
              if (diffs.length) tally.mismatches.push(`${name} ${variant} ${reqPath} Origin: ${origin}: ${diffs.join('; ')}`);
            }
          }
        }
      } finally {
        if (child && child.exitCode === null) {
          const exited = new Promise((r) => child!.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        await stub.close();
        rmSync(prefix, { recursive: true, force: true });
      }
      expect(tally.mismatches.filter((m) => m.startsWith(`${name} `))).toEqual([]);
    });
  }
});
