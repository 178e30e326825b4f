import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'corslint-nested-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const app = (origins: string) => `const cors = require('cors');\nmodule.exports = cors({ origin: ${origins} });\n`;

describe('nested configuration files (monorepos)', () => {
  const files = {
    'corslint.config.json': JSON.stringify({ rules: { 'wildcard-origin': 'off' } }),
    'packages/api/corslint.config.json': JSON.stringify({ trustedOrigins: ['https://app.example.com'], ignore: ['legacy/'] }),
    'packages/api/server.js': app("['https://app.example.com', 'https://partner.example.org']"),
    'packages/api/legacy/old.js': app('true'),
    'packages/web/package.json': JSON.stringify({ name: 'web', corslint: { rules: { 'reflected-origin': 'off' } } }),
    'packages/web/server.js': app('true'),
    'packages/other/server.js': app("'*'"),
    'packages/other/reflect.js': app('true'),
  };

  it('applies the nearest configuration to each file, replacing the root one', async () => {
    const dir = repo(files);
    const { findings } = await lint(['.'], { cwd: dir });
    const got = findings.map((f) => `${f.file} ${f.ruleId} ${f.severity}`);
    expect(got).toEqual([
      // root config: wildcard-origin off, reflected-origin on
      'packages/other/reflect.js reflected-origin warning',
      // packages/api: trustedOrigins turns on untrusted-origin; its ignore hides legacy/
      'packages/api/server.js untrusted-origin warning',
      // packages/web: its own "corslint" key turns reflected-origin off (and, replacing the root config, wildcard-origin is on again)
    ].sort());
  });

  it('gives a package the same findings alone as inside the whole repository', async () => {
    const dir = repo(files);
    const whole = (await lint(['.'], { cwd: dir })).findings.filter((f) => f.file.startsWith('packages/api/'));
    const alone = (await lint(['packages/api'], { cwd: dir })).findings;
    expect(alone.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(whole.map((f) => `${f.file}:${f.line} ${f.ruleId}`));
  });

  it('an explicit --config governs every file', async () => {
    const dir = repo({ ...files, 'strict.json': JSON.stringify({ rules: {} }) });
    const { findings } = await lint(['.'], { cwd: dir, config: 'strict.json' });
    expect(findings.filter((f) => f.ruleId === 'untrusted-origin')).toEqual([]);
    expect(findings.some((f) => f.file === 'packages/web/server.js' && f.ruleId === 'reflected-origin')).toBe(true);
  });
});
