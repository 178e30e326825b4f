import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, inspect, lint, loadConfig } from '../../src/index.js';
import { REPO } from '../support/fixtures.js';

/** What a tool gets from `import … from 'corslint'`: lint, inspect and the configuration loader. */
describe('public API', () => {
  const project = path.join(REPO, 'fixtures/express/origin-untrusted');

  it('inspect() returns the documented JSON view: policies with their probe tables', async () => {
    const result = await inspect([project], { cwd: REPO });
    expect(result.version).toBe(1);
    expect(result.configFile).toBe(path.join(project, 'corslint.config.json'));
    expect(result.trustedOrigins).toEqual(['https://app.example.com', 'https://*.example.org']);
    expect(result.policies.length).toBeGreaterThan(0);
    const probes = result.policies.flatMap((p) => p.probes);
    expect(probes.some((p) => p.origin === 'https://evil.example')).toBe(true);
    // The same findings lint() reports.
    const linted = await lint([project], { cwd: REPO });
    expect(result.findings.map((f) => f.ruleId)).toEqual(linted.findings.map((f) => f.ruleId));
  });

  it('loadConfig() finds and validates the configuration lint() uses', () => {
    expect(loadConfig(project)).toEqual({
      config: { trustedOrigins: ['https://app.example.com', 'https://*.example.org'] },
      file: path.join(project, 'corslint.config.json'),
    });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'corslint-api-'));
    try {
      expect(loadConfig(dir)).toEqual({ config: {} });
      writeFileSync(path.join(dir, 'ci.json'), JSON.stringify({ rules: { 'wildcard-origin': 'off' } }));
      expect(loadConfig(dir, { config: 'ci.json', cwd: dir }).config).toEqual({ rules: { 'wildcard-origin': 'off' } });
      writeFileSync(path.join(dir, 'corslint.config.json'), JSON.stringify({ trustedOrigin: [] }));
      expect(() => loadConfig(dir)).toThrow(ConfigError);
      expect(() => loadConfig(dir)).toThrow(/trustedOrigin/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
