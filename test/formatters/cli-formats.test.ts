import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { sarifValidator } from '../support/sarif-schema.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF logs are checked as plain JSON */

/** The built binary end to end: `--format sarif` and `--format github` over a real project. */
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'corslint-cli-formats-'));
  mkdirSync(path.join(dir, 'proj'));
  writeFileSync(
    path.join(dir, 'proj/settings.py'),
    [
      "INSTALLED_APPS = ['corsheaders']",
      "MIDDLEWARE = ['corsheaders.middleware.CorsMiddleware']",
      'CORS_ALLOW_ALL_ORIGINS = True',
      'CORS_ALLOW_CREDENTIALS = True',
      '',
    ].join('\n'),
  );
});

describe('CLI output formats', () => {
  it('--format sarif writes a valid SARIF log and keeps the exit code', () => {
    const r = runCli(['--format', 'sarif'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const results = log.runs[0].results.map((x: any) => `${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region.startLine} ${x.ruleId}`);
    expect(results).toContain('proj/settings.py:3 credentialed-reflected-origin');
    const first = log.runs[0].results.find((x: any) => x.ruleId === 'credentialed-reflected-origin');
    expect(first.relatedLocations[0].physicalLocation.region.startLine).toBe(4);
  });

  it('--format github writes workflow commands', () => {
    const r = runCli(['--format', 'github'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.every((l) => /^::(error|warning) file=/.test(l))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^::error file=proj\/settings\.py,line=3,endLine=3,col=1,endColumn=\d+,title=corslint credentialed-reflected-origin::/));
  });

  it('lists both in --help', () => {
    const r = runCli(['--help'], { cwd: dir });
    expect(r.stdout).toMatch(/"sarif"/);
    expect(r.stdout).toMatch(/"github"/);
  });
});
