import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { docsUrl } from '../../src/docs-url.js';
import { lint } from '../../src/engine/lint.js';
import { formatSarif } from '../../src/formatters/sarif.js';
import type { Finding } from '../../src/model/index.js';
import { packageInfo } from '../../src/package-info.js';
import { REPO } from '../support/fixtures.js';
import { sarifValidator } from '../support/sarif-schema.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF logs are checked as plain JSON */

const validate = sarifValidator();
let dir: string;

const APP = [
  "const cors = require('cors');",
  'const app = require("express")();',
  '',
  'app.use(cors({',
  '  origin: true,',
  '  credentials: true,',
  '}));',
  '',
].join('\n');

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: 'credentialed-reflected-origin',
    severity: 'error',
    message: 'Express `cors` echoes any Origin with credentials.',
    file: 'src/app.js',
    line: 5,
    column: 11,
    endLine: 5,
    endColumn: 15,
    ...over,
  };
}

const sample = (): Finding[] => [
  finding({ framework: 'express', related: [{ file: 'src/app.js', line: 6, column: 16, endLine: 6, endColumn: 20, message: 'credentials enabled here' }] }),
  finding({ ruleId: 'unknown-cors-option', line: 4, column: 9, endLine: 7, endColumn: 2, message: 'multi-line' }),
  finding({ ruleId: 'parse-error', file: 'my app/broken file.js', line: 1, column: 1, endLine: 1, endColumn: 1, message: 'could not parse' }),
  finding({ ruleId: 'not-a-registered-rule', severity: 'warning', file: 'src/app.js', message: 'from a rule the registry does not list' }),
];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'corslint-sarif-'));
  mkdirSync(path.join(dir, 'src'));
  mkdirSync(path.join(dir, 'my app'));
  writeFileSync(path.join(dir, 'src/app.js'), APP);
  writeFileSync(path.join(dir, 'my app/broken file.js'), 'app.use(cors({ origin: [ }));\n');
});

const sarif = (findings: Finding[], cwd = dir): any => JSON.parse(formatSarif(findings, { cwd }));

describe('--format sarif', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    const log = sarif(sample());
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.version).toBe('2.1.0');
  });

  it('validates with no findings', () => {
    expect(validate(sarif([]))).toBe(true);
  });

  it('the schema check is not vacuous: a broken log fails it', () => {
    const log = sarif(sample());
    log.runs[0].results[0].level = 'fatal';
    delete log.runs[0].tool.driver.name;
    expect(validate(log)).toBe(false);
    const messages = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(messages.some((m) => m.includes('/level'))).toBe(true);
    expect(messages.some((m) => m.includes("'name'"))).toBe(true);
  });

  it('describes the tool and every rule', () => {
    const driver = sarif([]).runs[0].tool.driver;
    expect(driver.name).toBe('corslint');
    expect(driver.version).toBe(packageInfo().version);
    expect(driver.informationUri).toMatch(/^https:\/\/github\.com\//);
    expect(driver.rules.map((r: any) => r.id)).toEqual(allRules.map((r) => r.meta.id));
    for (const [i, r] of driver.rules.entries()) {
      const meta = allRules[i]!.meta;
      expect(r.helpUri).toBe(docsUrl(meta.id));
      expect(r.fullDescription.text).toBe(meta.description);
      expect(r.shortDescription.text.length).toBeGreaterThan(0);
      expect(r.shortDescription.text.length).toBeLessThanOrEqual(meta.description.length);
      const level = meta.defaultSeverity === 'off' ? 'warning' : meta.defaultSeverity;
      expect(r.defaultConfiguration.level).toBe(level);
      expect(r.defaultConfiguration.enabled ?? true).toBe(meta.defaultSeverity !== 'off');
      if (meta.cwe) expect(r.properties.tags).toEqual(expect.arrayContaining(['security', `external/cwe/cwe-${meta.cwe}`]));
    }
    const reflected = driver.rules.find((r: any) => r.id === 'credentialed-reflected-origin');
    expect(reflected.shortDescription.text).toBe('Credentialed reflected origin');
    expect(reflected.properties.tags).toContain('external/cwe/cwe-942');
  });

  it('places results: rule index, level, relative URI under %SRCROOT%, region, related locations', () => {
    const log = sarif(sample());
    const run = log.runs[0];
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(pathToFileURL(dir).href + '/');
    const [reflected, multi, parse, unregistered] = run.results;
    expect(run.tool.driver.rules[reflected.ruleIndex].id).toBe('credentialed-reflected-origin');
    expect(reflected.level).toBe('error');
    expect(reflected.message.text).toBe('Express `cors` echoes any Origin with credentials.');
    expect(reflected.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/app.js', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5, startColumn: 11, endLine: 5, endColumn: 15 },
    });
    expect(reflected.relatedLocations).toEqual([
      {
        id: 1,
        message: { text: 'credentials enabled here' },
        physicalLocation: {
          artifactLocation: { uri: 'src/app.js', uriBaseId: '%SRCROOT%' },
          region: { startLine: 6, startColumn: 16, endLine: 6, endColumn: 20 },
        },
      },
    ]);
    expect(reflected.properties).toEqual({ framework: 'express' });
    expect(multi.locations[0].physicalLocation.region).toEqual({ startLine: 4, startColumn: 9, endLine: 7, endColumn: 2 });
    expect(parse.locations[0].physicalLocation.artifactLocation.uri).toBe('my%20app/broken%20file.js');
    expect(run.tool.driver.rules[parse.ruleIndex].id).toBe('parse-error');
    expect(unregistered.ruleIndex).toBeUndefined();
    expect(unregistered.level).toBe('warning');
  });

  describe('partialFingerprints', () => {
    const fp = (findings: Finding[], cwd = dir) => sarif(findings, cwd).runs[0].results.map((r: any) => r.partialFingerprints);

    it('survive edits elsewhere in the file (line numbers are not part of them)', () => {
      const before = fp([finding({})]);
      const moved = mkdtempSync(path.join(tmpdir(), 'corslint-sarif-moved-'));
      mkdirSync(path.join(moved, 'src'));
      writeFileSync(path.join(moved, 'src/app.js'), `// a comment added above\n\n\n${APP.replace('origin: true', '   origin:  true')}`);
      const after = fp([finding({ line: 8, endLine: 8, column: 14, endColumn: 18 })], moved);
      expect(after).toEqual(before);
      expect(Object.keys(before[0]).sort()).toEqual(['corslint/v1', 'primaryLocationLineHash']);
      expect(before[0].primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    });

    it('change when the flagged code, the rule or the file changes', () => {
      const base = fp([finding({})])[0]['corslint/v1'];
      const changed = mkdtempSync(path.join(tmpdir(), 'corslint-sarif-changed-'));
      mkdirSync(path.join(changed, 'src'));
      writeFileSync(path.join(changed, 'src/app.js'), APP.replace('origin: true', "origin: 'https://x.example'"));
      expect(fp([finding({})], changed)[0]['corslint/v1']).not.toBe(base);
      expect(fp([finding({ ruleId: 'reflected-origin' })])[0]['corslint/v1']).not.toBe(base);
      expect(fp([finding({ file: 'my app/broken file.js', line: 1, endLine: 1 })])[0]['corslint/v1']).not.toBe(base);
    });

    it('tell identical findings apart by occurrence and are identical across runs', () => {
      const twice = [finding({}), finding({ column: 20, endColumn: 22 })];
      const [a, b] = fp(twice);
      expect(a['corslint/v1']).not.toBe(b['corslint/v1']);
      expect(b.primaryLocationLineHash).toMatch(/:2$/);
      expect(fp(twice)).toEqual([a, b]);
    });
  });

  it('a real lint run of the fixtures gives a valid log with one result per finding', async () => {
    const result = await lint(['fixtures'], { cwd: REPO });
    const log = sarif(result.findings, REPO);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
    expect(log.runs[0].results).toHaveLength(result.findings.length);
    const uris = new Set(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri));
    for (const u of uris) expect(u).toMatch(/^fixtures\//);
  });
});
