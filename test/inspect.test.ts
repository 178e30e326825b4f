import { describe, expect, it } from 'vitest';
import { describeResult, formatInspectJson, formatInspectText, inspect } from '../src/inspect/index.js';
import { lint } from '../src/engine/lint.js';
import { REPO } from './support/fixtures.js';

// eslint-disable-next-line no-control-regex -- ANSI colour codes
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('inspect', () => {
  it('describes a policy: where, what it trusts, and how it answers each probe', async () => {
    const r = await inspect(['fixtures/django/origin-unanchored-regex.py'], { cwd: REPO });
    expect(r.policies).toHaveLength(1);
    const p = r.policies[0]!;
    expect(p).toMatchObject({ framework: 'django', layer: 'app', file: 'fixtures/django/origin-unanchored-regex.py' });
    expect(p.origins.entries).toEqual([{ kind: 'regex', text: "'^https://\\w+\\.example\\.com'", file: p.file, line: 7, column: 5 }]);
    expect(p.credentials).toMatchObject({ known: true, value: true, default: false, line: 9 });
    const row = (kind: string) => p.probes.find((x) => x.kind === kind)!;
    expect(row('evil')).toMatchObject({ origin: 'https://evil.example', acao: null, verdict: 'blocked', attack: false });
    expect(row('suffix')).toMatchObject({
      origin: 'https://app.example.com.evil.example',
      from: 'https://app.example.com',
      acao: 'https://app.example.com.evil.example',
      acac: true,
      verdict: 'reads-with-cookies',
      attack: true,
    });
    // Same registrable domain: accepted, but not an attack.
    expect(row('port')).toMatchObject({ verdict: 'reads-with-cookies', attack: false, attacker: false });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['origin-pattern-bypass']);
  });

  it('lists unknown values with their reason and fallback', async () => {
    const r = await inspect(['fixtures/laravel/origin-env-local-fallback/config/cors.php'], { cwd: REPO });
    const p = r.policies[0]!;
    expect(p.origins).toMatchObject({ known: false, reason: "env('SPA_URL')", fallback: ["'https://app.example.com'", "'http://localhost:5173'"] });
    expect(p.unknowns).toEqual([
      { what: 'origins', reason: "env('SPA_URL')", fallback: ["'https://app.example.com'", "'http://localhost:5173'"], file: p.file, line: 6 },
    ]);
    const text = strip(formatInspectText(r, { color: false }));
    expect(text.replace(/\s+/g, ' ')).toContain("unknown origins: env('SPA_URL') (line 6); fallback 'https://app.example.com', 'http://localhost:5173'");
  });

  it('prints a probe table readable at 80 columns, marking attacks', async () => {
    const r = await inspect(['fixtures/laravel/origin-unanchored-pattern/config/cors.php'], { cwd: REPO });
    const text = formatInspectText(r, { color: false });
    const lines = text.split('\n');
    const table = lines.slice(lines.findIndex((l) => l.includes('probe') && l.includes('ACAO')));
    expect(table[0]).toMatch(/^\s+probe\s+origin\s+ACAO\s+ACAC\s+Vary$/);
    for (const l of lines.filter((x) => !x.startsWith('  at ') && !x.includes('fixtures/'))) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(text).toMatch(/^!! prefix\s+https:\/\/evilexample\.com\s+echo\s+true/m);
    expect(text).toMatch(/^ {3}evil\s+https:\/\/evil\.example\s+-/m);
  });

  it('says so when there is no policy', async () => {
    const r = describeResult(await lint(['README.md'], { cwd: REPO }));
    expect(formatInspectText(r, { color: false })).toBe('No CORS policy found.\n');
  });

  it('emits the documented JSON shape', async () => {
    const r = await inspect(['fixtures/laravel/origin-untrusted'], { cwd: REPO });
    const j = JSON.parse(formatInspectJson(r));
    expect(Object.keys(j)).toEqual(['version', 'root', 'configFile', 'trustedOrigins', 'policies', 'findings']);
    expect(j.version).toBe(1);
    expect(j.trustedOrigins).toEqual(['https://app.example.com', 'https://*.example.org']);
    const p = j.policies[0];
    for (const k of ['framework', 'layer', 'file', 'line', 'column', 'scope', 'originForm', 'origins', 'credentials', 'methods', 'allowHeaders', 'exposeHeaders', 'maxAge', 'headers', 'unknownOptions', 'unknowns', 'probes']) {
      expect(p, k).toHaveProperty(k);
    }
    for (const probe of p.probes) {
      expect(Object.keys(probe)).toEqual(expect.arrayContaining(['kind', 'origin', 'attacker', 'acao', 'acac', 'vary', 'verdict', 'attack']));
      expect(['reads-with-cookies', 'reads', 'public', 'blocked', 'unknown']).toContain(probe.verdict);
    }
    expect(p.probes.find((x: { origin: string }) => x.origin === 'https://app.example.org')).toMatchObject({ kind: 'trusted', verdict: 'blocked' });
    expect(j.findings.every((f: { ruleId: string }) => f.ruleId === 'untrusted-origin')).toBe(true);
  });
});
