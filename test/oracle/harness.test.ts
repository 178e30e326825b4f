import { describe, expect, it } from 'vitest';
import type { Policy } from '../../src/model/index.js';
import { appliesTo, buildRequests, compare, lookalikes, planFor, sampleFromRegex } from './harness.js';

/** The oracle is only as good as its comparison: it must see every difference. */
describe('oracle harness', () => {
  it('derives look-alike origins from a trusted one', () => {
    expect(lookalikes('https://app.example.com')).toEqual([
      'https://app.example.com.evil.example',
      'https://evilapp.example.com',
      'https://x.app.example.com',
      'https://appxexample.com',
      'http://app.example.com',
    ]);
    expect(lookalikes('not a url')).toEqual([]);
  });

  it('finds a string a written regex accepts', () => {
    expect(sampleFromRegex('^https:\\/\\/(app|admin)\\.example\\.com$')).toBe('https://app.example.com');
    expect(sampleFromRegex('^https:\\/\\/([a-z0-9-]+\\.)?example\\.com$')).toBe('https://example.com');
  });

  it('builds hostile, null, trusted and look-alike requests, with and without credentials and as preflights', () => {
    const reqs = buildRequests(['https://app.example.com'], { path: '/x', method: 'GET', preflight: true });
    expect(reqs).toHaveLength((2 + 1 + 5) * 2 * 2);
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
