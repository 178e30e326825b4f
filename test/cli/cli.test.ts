import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI, runCli } from '../support/cli.js';
import { REPO } from '../support/fixtures.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'corslint-cli-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(
    path.join(dir, 'src/app.js'),
    "const cors = require('cors');\nconst app = require('express')();\napp.use(cors({ origin: true, credentials: true }));\n",
  );
  writeFileSync(path.join(dir, 'src/public.js'), "import cors from 'cors';\nexport const mw = cors();\n");
  writeFileSync(path.join(dir, 'src/broken.js'), "import cors from 'cors';\napp.use(cors({ origin: [ }));\n");
  writeFileSync(path.join(dir, 'src/clean.js'), "import cors from 'cors';\napp.use(cors({ origin: ['https://app.example.com'] }));\n");
});

describe('corslint CLI', () => {
  it('reports findings in stylish format and exits 1 on errors', () => {
    const r = runCli(['src'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/app.js');
    expect(r.stdout).toContain('credentialed-reflected-origin');
    expect(r.stdout).toMatch(/✖ \d+ problems/);
  });

  it('prints the documented JSON shape', () => {
    const r = runCli(['src', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(1);
    expect(Object.keys(out.stats).sort()).toEqual(['durationMs', 'filesDiscovered', 'filesParsed', 'policies']);
    const ids = out.findings.map((f: { ruleId: string; file: string; line: number }) => `${f.file}:${f.line} ${f.ruleId}`);
    expect(ids).toEqual(['src/app.js:3 credentialed-reflected-origin', 'src/broken.js:2 parse-error', 'src/public.js:2 wildcard-origin']);
    const f = out.findings[0];
    for (const k of ['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'framework']) expect(f).toHaveProperty(k);
    expect(f.related[0]).toMatchObject({ file: 'src/app.js', line: 3, message: 'credentials enabled here' });
  });

  it('keeps linting other files after a parse error', () => {
    const r = runCli(['src', '--format', 'json'], { cwd: dir });
    const rules = JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId);
    expect(rules).toContain('parse-error');
    expect(rules).toContain('credentialed-reflected-origin');
  });

  it('exits 0 on a clean tree', () => {
    const r = runCli(['src/clean.js'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('exits 0 with warnings only, 1 when they exceed --max-warnings', () => {
    expect(runCli(['src/public.js'], { cwd: dir }).code).toBe(0);
    expect(runCli(['src/public.js', '--max-warnings', '0'], { cwd: dir }).code).toBe(1);
    expect(runCli(['src/public.js', '--max-warnings', '1'], { cwd: dir }).code).toBe(0);
  });

  it('--quiet hides warnings', () => {
    const r = runCli(['src/public.js', '--quiet'], { cwd: dir });
    expect(r.stdout).toBe('');
  });

  it('a missing path is one line on stderr and exit 2', () => {
    const r = runCli(['does-not-exist'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('does-not-exist');
  });

  it('an unknown flag is one line on stderr and exit 2', () => {
    const r = runCli(['--frobnicate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--frobnicate');
  });

  it('a bad --format or --max-warnings value exits 2', () => {
    expect(runCli(['--format', 'xml'], { cwd: dir }).code).toBe(2);
    expect(runCli(['--max-warnings', 'many'], { cwd: dir }).code).toBe(2);
  });

  it('a reader that closes the pipe early (`| head`) is not a crash', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" fixtures --format sarif | head -c 20`], { cwd: REPO, encoding: 'utf8' });
    expect(r.stdout).toHaveLength(20);
    expect(r.stderr).toBe('');
  });

  it('--version and --help exit 0', () => {
    const v = runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--format');
  });
});
