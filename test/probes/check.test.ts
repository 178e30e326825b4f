import { describe, expect, it } from 'vitest';
import type { OriginCheck, OriginEntry } from '../../src/model/index.js';
import { evaluateCheck, matchEntry } from '../../src/probes/index.js';

describe('custom origin checks', () => {
  const run = (test: OriginCheck, origin: string) => evaluateCheck(test, origin);

  it('evaluates the string tests Express origin functions use', () => {
    expect(run({ op: 'endsWith', value: 'example.com' }, 'https://evilexample.com')).toBe(true);
    expect(run({ op: 'endsWith', value: '.example.com' }, 'https://evilexample.com')).toBe(false);
    expect(run({ op: 'startsWith', value: 'https://app.example.com' }, 'https://app.example.com.evil.example')).toBe(true);
    expect(run({ op: 'includes', value: 'example.com' }, 'https://example.com.evil.example')).toBe(true);
    expect(run({ op: 'equals', value: 'https://a.com' }, 'https://a.com')).toBe(true);
    expect(run({ op: 'oneOf', values: ['https://a.com', 'https://b.com'] }, 'https://b.com')).toBe(true);
    expect(run({ op: 'regex', source: '^https://a\\.com$', flags: '' }, 'https://a.com')).toBe(true);
  });

  it('folds case when the code lower-cases the Origin', () => {
    expect(run({ op: 'equals', value: 'https://a.com', ignoreCase: true }, 'https://A.com')).toBe(true);
    expect(run({ op: 'equals', value: 'https://a.com' }, 'https://A.com')).toBe(false);
  });

  it('reads URL parts, and an Origin that is not a URL makes the check throw: rejected', () => {
    const host: OriginCheck = { op: 'endsWith', value: '.example.com', subject: 'hostname' };
    expect(run(host, 'https://app.example.com:8443')).toBe(true);
    expect(run(host, 'https://evilexample.com')).toBe(false);
    expect(run({ op: 'not', arg: host }, 'null')).toBe(false);
    expect(run({ op: 'equals', value: 'https:', subject: 'protocol' }, 'http://a.com')).toBe(false);
  });

  it('is three-valued around parts the adapter could not read', () => {
    const unknown: OriginCheck = { op: 'unknown', description: 'db.allows(origin)' };
    const eq: OriginCheck = { op: 'equals', value: 'https://a.com' };
    expect(run({ op: 'and', args: [eq, unknown] }, 'https://b.com')).toBe(false);
    expect(run({ op: 'and', args: [eq, unknown] }, 'https://a.com')).toBeUndefined();
    expect(run({ op: 'or', args: [eq, unknown] }, 'https://a.com')).toBe(true);
    expect(run({ op: 'or', args: [eq, unknown] }, 'https://b.com')).toBeUndefined();
    expect(run({ op: 'not', arg: unknown }, 'https://b.com')).toBeUndefined();
  });

  it('is what matchEntry runs for a check entry', () => {
    const loc = { file: 'a.js', line: 1, column: 1, endLine: 1, endColumn: 1 };
    const e: OriginEntry = { kind: 'check', test: { op: 'includes', value: 'example.com' }, description: "origin.includes('example.com')", loc };
    expect(matchEntry(e, 'https://example.com.evil.example')).toBe(true);
    expect(matchEntry({ kind: 'predicate', description: 'f(origin)', loc }, 'https://a.com')).toBeUndefined();
  });
});
