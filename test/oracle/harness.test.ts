import { describe, expect, it } from 'vitest';
import type { Loc, Policy } from '../../src/model/index.js';
import { known } from '../../src/model/index.js';
import { generateProbes } from '../../src/probes/index.js';
import { DEFAULT_TRUSTED, appliesTo, buildRequests, compare, planFor, policyProbeOrigins, probeOrigins } from './harness.js';

const loc: Loc = { file: 'x', line: 1, column: 1, endLine: 1, endColumn: 1 };

/** The oracle is only as good as its comparison: it must see every difference. */
describe('oracle harness', () => {
  it('sends exactly the probes the origin rules reason about, around the written entries and the default trusted origin', () => {
    const entries = [{ kind: 'regex' as const, source: '^https:\\/\\/([a-z0-9-]+\\.)?example\\.com$', flags: '', flavor: 'js' as const, loc }];
    const origins = probeOrigins(entries);
    expect(origins).toEqual(generateProbes(entries, [DEFAULT_TRUSTED]).probes.map((p) => p.origin));
    for (const o of ['https://evil.example', 'null', 'https://example.com', 'https://example.com.evil.example', 'https://evilexample.com', 'http://example.com', 'https://example.com:444']) {
      expect(origins).toContain(o);
    }
    // A reflecting policy trusts nothing by name: the default trusted origin still gets its look-alikes.
    const reflect = probeOrigins([{ kind: 'reflect', loc }]);
    expect(reflect).toContain(DEFAULT_TRUSTED);
    expect(reflect).toContain('https://app.example.com.evil.example');
    // A unit's policies share one list, without repeats; unknown origins contribute their fallback.
    const policy = (origins: Policy['origins']) => ({ origins }) as Policy;
    const both = policyProbeOrigins([policy(known(entries, loc)), policy({ known: false, reason: 'env', loc, fallback: [{ kind: 'exact', origin: 'https://shop.example.org', loc }] })]);
    expect(new Set(both).size).toBe(both.length);
    expect(both).toContain('https://evilexample.com');
    expect(both).toContain('https://shop.example.org');
  });

  it('builds hostile, null, trusted and look-alike requests, with and without credentials and as preflights', () => {
    const reqs = buildRequests(['https://evil.example', 'null', 'https://app.example.com', 'https://app.example.com'], { path: '/x', method: 'GET', preflight: true });
    expect(reqs).toHaveLength(3 * 2 * 2);
    expect(reqs.filter((r) => r.preflight).every((r) => r.method === 'OPTIONS')).toBe(true);
    expect(new Set(reqs.map((r) => r.origin))).toContain('null');
    expect(buildRequests([], { path: '/', method: 'GET', preflight: false }).every((r) => !r.preflight)).toBe(true);
  });

  it('reports every difference in ACAO count and value, ACAC, Vary and preflight headers', () => {
    const expected = {
      known: true as const,
      status: 204,
      headers: [
        { name: 'access-control-allow-origin', value: 'https://a.example.com' },
        { name: 'vary', value: 'Origin' },
        { name: 'access-control-allow-methods', value: 'GET' },
      ],
    };
    const same = ['Access-Control-Allow-Origin', 'https://a.example.com', 'Vary', 'Origin, Access-Control-Request-Headers', 'Access-Control-Allow-Methods', 'GET'];
    expect(compare(expected, same, 204)).toEqual([]);
    const twice = ['Access-Control-Allow-Origin', 'https://a.example.com', 'Access-Control-Allow-Origin', 'https://a.example.com', 'Vary', 'Origin', 'Access-Control-Allow-Methods', 'GET'];
    expect(compare(expected, twice, 204)).toHaveLength(1);
    expect(compare(expected, ['Vary', 'Accept', 'Access-Control-Allow-Credentials', 'true'], 404)).toEqual([
      'ACAO corslint=["https://a.example.com"] real=[]',
      'ACAC corslint=[] real=["true"]',
      'Vary: Origin corslint=true real=false',
      'allowMethods corslint=GET real=∅',
      'status corslint=204 real=404',
    ]);
    expect(compare({ known: false, reason: 'x', loc: { file: 'a', line: 1, column: 1, endLine: 1, endColumn: 1 } }, same, 204)).toHaveLength(1);
  });

  it('sends requests where a policy is mounted', () => {
    const scoped = { scope: { paths: ['/private'], methods: ['GET', 'HEAD'] } } as Policy;
    expect(planFor(scoped)).toEqual({ path: '/private', method: 'GET', preflight: false });
    expect(appliesTo(scoped, '/private', 'GET')).toBe(true);
    expect(appliesTo(scoped, '/private', 'OPTIONS')).toBe(false);
    expect(appliesTo(scoped, '/public', 'GET')).toBe(false);
    const global = { scope: {} } as Policy;
    expect(planFor(global)).toEqual({ path: '/', method: 'GET', preflight: true });
    expect(appliesTo({ scope: { paths: ['/api'] } } as Policy, '/api/items', 'GET')).toBe(true);
  });
});
