import { describe, expect, it } from 'vitest';
import type { CorsRequest, CorsResponse, EmittedHeader, Loc, OriginEntry, Policy } from '../../src/model/index.js';
import { headerValues, known, unknown } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';

/** Hand-written headers: what the code writes, including the headers it writes only inside its origin check. */

const L = (line: number): Loc => ({ file: 'app.js', line, column: 3, endLine: line, endColumn: 40 });
const EVIL = 'https://evil.example';
const TRUSTED = 'https://a.example.com';

function handler(entries: OriginEntry[], form: 'single' | 'list', headers: EmittedHeader[], credentials = false): Policy {
  return {
    framework: 'manual-headers',
    layer: 'app',
    scope: {},
    loc: L(2),
    origins: known(entries, L(2)),
    originForm: form,
    credentials: credentials ? known(true, L(3)) : known(false, L(2), true),
    methods: known<string[]>([], L(2), true),
    allowHeaders: known<string[]>([], L(2), true),
    exposeHeaders: known<string[]>([], L(2), true),
    maxAge: known<number | null>(null, L(2), true),
    headers,
    unknownOptions: [],
  };
}

function answer(p: Policy, origin: string, more: Partial<CorsRequest> = {}): CorsResponse {
  const r = evaluate(p, { origin, credentialed: true, preflight: false, ...more }).response;
  expect(r.known).toBe(true);
  return r;
}

const h = (name: string, value: string, line: number, more: Partial<EmittedHeader> = {}): EmittedHeader => ({ name, value: known(value, L(line)), loc: L(line), ...more });

describe('manual-headers semantics', () => {
  it('reflects an unguarded request Origin', () => {
    const p = handler([{ kind: 'reflect', loc: L(2) }], 'list', [h('access-control-allow-credentials', 'true', 3)], true);
    expect(headerValues(answer(p, EVIL), 'access-control-allow-origin')).toEqual([EVIL]);
    expect(headerValues(answer(p, EVIL), 'access-control-allow-credentials')).toEqual(['true']);
  });

  it('answers rejected origins with the value written for them on the other path', () => {
    const p = handler(
      [{ kind: 'exact', origin: TRUSTED, loc: L(1) }],
      'list',
      [h('access-control-allow-credentials', 'true', 3, { onlyIfOriginAllowed: true }), h('access-control-allow-origin', '*', 6, { unlessOriginAllowed: true })],
      true,
    );
    const evil = answer(p, EVIL);
    expect(headerValues(evil, 'access-control-allow-origin')).toEqual(['*']);
    expect(evil.known && evil.headers.find((x) => x.name === 'access-control-allow-origin')?.loc?.line).toBe(6);
    expect(headerValues(evil, 'access-control-allow-credentials')).toEqual([]);
    expect(headerValues(answer(p, TRUSTED), 'access-control-allow-origin')).toEqual([TRUSTED]);
  });

  it('leaves out a run-time value of a header that does not decide who reads the response', () => {
    const p = handler([{ kind: 'reflect', loc: L(2) }], 'list', [{ name: 'access-control-allow-headers', value: unknown('$requested', L(4)), loc: L(4) }]);
    const r = answer(p, EVIL);
    expect(headerValues(r, 'access-control-allow-origin')).toEqual([EVIL]);
    expect(headerValues(r, 'access-control-allow-headers')).toEqual([]);
  });

  it('sends guarded headers only for accepted origins', () => {
    const p = handler(
      [{ kind: 'exact', origin: TRUSTED, loc: L(1) }],
      'list',
      [h('access-control-allow-credentials', 'true', 3, { onlyIfOriginAllowed: true }), h('vary', 'Origin', 4, { onlyIfOriginAllowed: true }), h('access-control-expose-headers', 'X-Id', 5)],
      true,
    );
    const evil = answer(p, EVIL);
    expect(headerValues(evil, 'access-control-allow-origin')).toEqual([]);
    expect(headerValues(evil, 'access-control-allow-credentials')).toEqual([]);
    expect(headerValues(evil, 'vary')).toEqual([]);
    expect(headerValues(evil, 'access-control-expose-headers')).toEqual(['X-Id']);
    const ok = answer(p, TRUSTED);
    expect(headerValues(ok, 'access-control-allow-origin')).toEqual([TRUSTED]);
    expect(headerValues(ok, 'access-control-allow-credentials')).toEqual(['true']);
    expect(headerValues(ok, 'vary')).toEqual(['Origin']);
  });

  it('sends preflight-only and actual-only headers on the right requests', () => {
    const p = handler([{ kind: 'any', loc: L(2) }], 'single', [
      h('access-control-allow-methods', 'GET', 3, { onlyOnPreflight: true }),
      h('access-control-expose-headers', 'X-Id', 4, { notOnPreflight: true }),
    ]);
    const pre = answer(p, EVIL, { preflight: true });
    expect(headerValues(pre, 'access-control-allow-methods')).toEqual(['GET']);
    expect(headerValues(pre, 'access-control-expose-headers')).toEqual([]);
    const actual = answer(p, EVIL);
    expect(headerValues(actual, 'access-control-allow-methods')).toEqual([]);
    expect(headerValues(actual, 'access-control-expose-headers')).toEqual(['X-Id']);
    expect(headerValues(actual, 'access-control-allow-origin')).toEqual(['*']);
  });

  it('sends a fixed value whatever the Origin', () => {
    const p = handler([{ kind: 'exact', origin: 'undefined', loc: L(2) }], 'single', []);
    expect(headerValues(answer(p, EVIL), 'access-control-allow-origin')).toEqual(['undefined']);
  });

  it('has no answer when a written header value is unknown', () => {
    const p = handler([{ kind: 'any', loc: L(2) }], 'single', [{ name: 'vary', value: unknown('set conditionally', L(3)), loc: L(3) }]);
    expect(evaluate(p, { origin: EVIL, credentialed: false, preflight: false }).response.known).toBe(false);
  });
});
