import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'corslint-inspect-'));
  writeFileSync(path.join(dir, 'settings.py'), 'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOWED_ORIGINS = ["https://app.example.com", "https://partner.example.net"]\n');
  writeFileSync(path.join(dir, 'good.json'), JSON.stringify({ trustedOrigins: ['https://app.example.com'] }));
  writeFileSync(path.join(dir, 'bad-key.json'), JSON.stringify({ trustedOrigin: ['https://app.example.com'] }));
  writeFileSync(path.join(dir, 'bad-value.json'), JSON.stringify({ rules: { 'null-origin': 'warn' } }));
  writeFileSync(path.join(dir, 'broken.json'), '{');
});

describe('corslint --config', () => {
  it('applies the given file', () => {
    const r = runCli(['.', '--config', 'good.json', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout).findings;
    expect(f.map((x: { ruleId: string; line: number }) => `${x.line} ${x.ruleId}`)).toEqual(['3 untrusted-origin']);
  });

  it('stops with one line naming the key and exit 2', () => {
    for (const [file, msg] of [
      ['bad-key.json', 'corslint: bad-key.json: trustedOrigin: unknown key (did you mean "trustedOrigins"?)'],
      ['bad-value.json', 'corslint: bad-value.json: rules.null-origin: expected "error", "warning" or "off", got "warn"'],
      ['broken.json', 'corslint: broken.json: not valid JSON'],
      ['missing.json', 'corslint: missing.json: cannot read the configuration (ENOENT)'],
    ]) {
      const r = runCli(['.', '--config', file!], { cwd: dir });
      expect(r.code, file).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.startsWith(msg!), r.stderr).toBe(true);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('discovers corslint.config.json at the linted root', () => {
    const project = mkdtempSync(path.join(tmpdir(), 'corslint-discover-'));
    writeFileSync(path.join(project, 'settings.py'), 'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOWED_ORIGINS = ["http://localhost:3000"]\n');
    writeFileSync(path.join(project, 'corslint.config.json'), JSON.stringify({ rules: { 'dev-origin': 'error' } }));
    const r = runCli([project, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings).toMatchObject([{ ruleId: 'dev-origin', severity: 'error' }]);
  });
});

describe('corslint inspect', () => {
  it('prints each policy and its probe table', () => {
    const r = runCli(['inspect', 'settings.py'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Policy 1/1: django (app)');
    expect(r.stdout).toContain('settings.py:3:1');
    expect(r.stdout).toMatch(/trusted\s+https:\/\/partner\.example\.net\s+echo/);
    for (const l of r.stdout.split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);
  });

  it('prints JSON with --format json and honours --config', () => {
    const r = runCli(['inspect', '.', '--format', 'json', '--config', 'good.json'], { cwd: dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.version).toBe(1);
    expect(j.configFile).toBe(path.join(dir, 'good.json'));
    expect(j.policies[0].probes[0]).toMatchObject({ kind: 'evil', origin: 'https://evil.example', verdict: 'blocked' });
  });

  it('reports usage and configuration errors with exit 2', () => {
    expect(runCli(['inspect', '--format', 'xml'], { cwd: dir })).toMatchObject({ code: 2 });
    const missing = runCli(['inspect', 'nope'], { cwd: dir });
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('nope');
    expect(runCli(['inspect', '.', '--config', 'bad-key.json'], { cwd: dir }).stderr).toContain('trustedOrigin: unknown key');
  });

  it('is listed in --help', () => {
    expect(runCli(['--help']).stdout).toContain('inspect [paths...]');
  });
});
