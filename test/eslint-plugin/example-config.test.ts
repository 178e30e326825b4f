import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';

/**
 * examples/eslint/eslint.config.js as a user runs it: the ESLint CLI loads it,
 * and it imports `corslint/eslint-plugin` through the package's `exports`
 * (the built dist/, as installed from npm).
 */
const EXAMPLE = path.join(REPO, 'examples/eslint');
const ESLINT = path.join(REPO, 'node_modules/eslint/bin/eslint.js');

function eslintStdin(code: string, filename: string) {
  const r = spawnSync(process.execPath, [ESLINT, '--config', 'eslint.config.js', '--format', 'json', '--stdin', '--stdin-filename', filename], {
    cwd: EXAMPLE,
    input: code,
    encoding: 'utf8',
  });
  return { code: r.status, results: r.stdout ? (JSON.parse(r.stdout) as { messages: { ruleId: string; severity: number; line: number }[] }[]) : [], stderr: r.stderr };
}

describe('examples/eslint/eslint.config.js', () => {
  it('the package exports the plugin (needs the build)', () => {
    expect(existsSync(path.join(REPO, 'dist/src/eslint-plugin/index.js'))).toBe(true);
  });

  it('reports cors({ origin: true, credentials: true }) as an error', () => {
    const r = eslintStdin("const cors = require('cors');\napp.use(cors({ origin: true, credentials: true }));\n", 'src/app.js');
    expect(r.code, r.stderr).toBe(1);
    expect(r.results[0]!.messages).toEqual([expect.objectContaining({ ruleId: 'corslint/credentialed-reflected-origin', severity: 2, line: 2 })]);
  });

  it('turns on untrusted-origin with the declared origins', () => {
    const r = eslintStdin("const cors = require('cors');\napp.use(cors({ origin: ['https://app.example.com', 'https://partner.example.net'] }));\n", 'src/app.js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.results[0]!.messages.map((m) => m.ruleId)).toEqual(['corslint/untrusted-origin']);
  });

  it('is quiet on an allowlist', () => {
    const r = eslintStdin("const cors = require('cors');\napp.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n", 'src/app.js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.results[0]!.messages).toEqual([]);
  });
});
