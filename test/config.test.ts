import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../rules/index.js';
import { ConfigError, effectiveSettings, loadConfig, validateConfig } from '../src/config/index.js';
import { lint } from '../src/engine/lint.js';
import { REPO } from './support/fixtures.js';

const RULES = allRules.map((r) => r.meta.id);
const schema = JSON.parse(readFileSync(path.join(REPO, 'schema/corslint.config.schema.json'), 'utf8'));
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
const schemaValid = ajv.compile(schema);

const problem = (raw: unknown) => {
  try {
    validateConfig(raw, 'corslint.config.json', RULES);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
};

const GOOD = [
  {},
  { $schema: './node_modules/corslint/schema/corslint.config.schema.json' },
  { trustedOrigins: ['https://app.example.com', 'https://*.example.com', 'http://localhost:3000', 'https://[::1]:8443'] },
  { rules: { 'null-origin': 'warning', 'wildcard-origin': 'off', 'dev-origin': 'error' } },
  { ignore: ['examples/**', 'vendor'] },
];

const BAD: [unknown, string][] = [
  [[], 'corslint.config.json: the configuration must be a JSON object'],
  [{ trustedOrigin: [] }, 'corslint.config.json: trustedOrigin: unknown key (did you mean "trustedOrigins"?) (allowed: trustedOrigins, rules, ignore)'],
  [{ trustedOrigins: 'https://a.com' }, 'corslint.config.json: trustedOrigins: expected an array of origin strings'],
  [{ trustedOrigins: ['example.com'] }, 'corslint.config.json: trustedOrigins[0]: "example.com" is not an http(s) origin: write it as https://example.com'],
  [{ trustedOrigins: ['https://a.com', 'https://a.com/'] }, 'corslint.config.json: trustedOrigins[1]: "https://a.com/" is not written as the browser sends it: use https://a.com'],
  [{ trustedOrigins: ['https://App.example.com'] }, 'corslint.config.json: trustedOrigins[0]: "https://App.example.com" is not written as the browser sends it: use https://app.example.com'],
  [{ trustedOrigins: ['https://*example.com'] }, 'corslint.config.json: trustedOrigins[0]: "https://*example.com" is not a valid wildcard: write it as https://*.example.com (one leading `*.`)'],
  [{ trustedOrigins: ['null'] }, 'corslint.config.json: trustedOrigins[0]: "null" is not an http(s) origin: write it as https://null'],
  [{ rules: { 'nul-origin': 'off' } }, 'corslint.config.json: rules.nul-origin: unknown rule (did you mean "null-origin"?)'],
  [{ rules: { 'null-origin': 'warn' } }, 'corslint.config.json: rules.null-origin: expected "error", "warning" or "off", got "warn"'],
  [{ rules: { 'null-origin': 2 } }, 'corslint.config.json: rules.null-origin: expected "error", "warning" or "off", got 2'],
  [{ rules: [] }, 'corslint.config.json: rules: expected an object of rule id → "error" | "warning" | "off"'],
  [{ ignore: ['ok', ''] }, 'corslint.config.json: ignore[1]: expected a non-empty glob string, got ""'],
];

describe('config validation', () => {
  for (const raw of GOOD) {
    it(`accepts ${JSON.stringify(raw)}`, () => {
      expect(problem(raw)).toBeUndefined();
      expect(schemaValid(raw), JSON.stringify(schemaValid.errors)).toBe(true);
    });
  }
  for (const [raw, message] of BAD) {
    it(`rejects ${JSON.stringify(raw)} with one line naming the key`, () => {
      expect(problem(raw)).toBe(message);
      expect(message).not.toContain('\n');
    });
  }

  it('the schema rejects what the validator rejects (except origin spelling, checked only by corslint)', () => {
    for (const [raw, message] of BAD) {
      if (/written as the browser sends it|write it as https:\/\/null/.test(message)) continue;
      expect(schemaValid(raw), JSON.stringify(raw)).toBe(false);
    }
  });

  it('the schema knows every rule id', () => {
    const ids: string[] = schema.properties.rules.propertyNames.enum;
    expect(RULES.filter((id) => !ids.includes(id))).toEqual([]);
  });
});

describe('config discovery', () => {
  const project = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corslint-config-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  };

  it('reads corslint.config.json at the root, else "corslint" in package.json, else nothing', () => {
    const a = project({ 'corslint.config.json': '{"trustedOrigins": ["https://a.com"]}', 'package.json': '{"corslint": {"ignore": ["x"]}}' });
    expect(loadConfig(a, RULES, undefined, a)).toMatchObject({ config: { trustedOrigins: ['https://a.com'] }, file: path.join(a, 'corslint.config.json') });
    const b = project({ 'package.json': '{"name": "x", "corslint": {"ignore": ["x"]}}' });
    expect(loadConfig(b, RULES, undefined, b)).toMatchObject({ config: { ignore: ['x'] }, file: path.join(b, 'package.json') });
    const c = project({ 'package.json': '{"name": "x"}' });
    expect(loadConfig(c, RULES, undefined, c)).toEqual({ config: {} });
  });

  it('names the package.json key in errors', () => {
    const d = project({ 'package.json': '{"corslint": {"rules": {"x": "off"}}}' });
    expect(() => loadConfig(d, RULES, undefined, d)).toThrow('package.json "corslint": rules.x: unknown rule');
  });

  it('reports unreadable and malformed files in one line', () => {
    const e = project({ 'corslint.config.json': '{"rules": ' });
    expect(() => loadConfig(e, RULES, undefined, e)).toThrow(/^corslint\.config\.json: not valid JSON \(/);
    expect(() => loadConfig(e, RULES, 'missing.json', e)).toThrow('missing.json: cannot read the configuration (ENOENT)');
  });

  it('--config overrides discovery; options win over the file and ignore globs add up', () => {
    const f = project({ 'corslint.config.json': '{"rules": {"null-origin": "off"}}', 'ci/strict.json': '{"rules": {"dev-origin": "error"}, "ignore": ["a"]}' });
    const s = effectiveSettings(f, f, { config: 'ci/strict.json', ignore: ['b'], rules: { 'dev-origin': 'warning' } }, RULES);
    expect(s).toMatchObject({ rules: { 'dev-origin': 'warning' }, ignore: ['a', 'b'], configFile: path.join(f, 'ci/strict.json') });
    expect(effectiveSettings(f, f, { config: false }, RULES)).toEqual({ rules: {}, ignore: [] });
  });

  it('lint() applies the project configuration', async () => {
    const dir = project({
      'corslint.config.json': JSON.stringify({ trustedOrigins: ['https://app.example.com'], rules: { 'dev-origin': 'error' }, ignore: ['skipped/**'] }),
      'config/cors.php': "<?php\nreturn [\n    'paths' => ['api/*'],\n    'allowed_origins' => ['https://app.example.com', 'https://other.example.com', 'http://localhost:3000'],\n];\n",
      'skipped/config/cors.php': "<?php\nreturn ['paths' => ['api/*'], 'allowed_origins' => ['null']];\n",
    });
    const r = await lint(['.'], { cwd: dir });
    expect(r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.severity}`)).toEqual([
      'config/cors.php:4 untrusted-origin warning',
      'config/cors.php:4 dev-origin error',
    ]);
    expect(r.configFile).toBe(path.join(dir, 'corslint.config.json'));
    await expect(lint(['.'], { cwd: dir, config: 'nope.json' })).rejects.toThrow(ConfigError);
  });
});
