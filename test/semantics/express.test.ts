import { describe, expect, it } from 'vitest';
import type { OriginEntry, Policy } from '../../src/model/index.js';
import { header, headerValues, known, unknown } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';
import type { Bare } from '../support/js-semantics.js';
import { CALL, EVIL, L, acac, acao, answer, defaultPolicy, origin, varyOrigin } from '../support/js-semantics.js';

/** SEMANTICS.md §1 (expressjs/cors 2.8.6) over hand-built policies. */

const withCredentials = { credentials: known(true, L(3)) };

const policy = (over: Partial<Policy> = {}) => defaultPolicy('express', ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'], over);

describe('express semantics (SEMANTICS.md §1 table)', () => {
  it("default / '*' → literal *, no Vary, no ACAC", () => {
    const def = answer(policy(), EVIL);
    expect(acao(def)).toEqual(['*']);
    expect(varyOrigin(def)).toBe(false);
    expect(acac(def)).toEqual([]);
    const star = answer(policy(origin([{ kind: 'any' }], 'single')), EVIL);
    expect(acao(star)).toEqual(['*']);
  });

  it("'*' with credentials → * and ACAC true (the browser rejects it)", () => {
    const r = answer(policy({ ...origin([{ kind: 'any' }], 'single'), ...withCredentials }), EVIL);
    expect(acao(r)).toEqual(['*']);
    expect(acac(r)).toEqual(['true']);
  });

  it('true with credentials → the request Origin (also null) and ACAC, with Vary', () => {
    const p = policy({ ...origin([{ kind: 'reflect' }], 'list'), ...withCredentials });
    for (const o of [EVIL, 'null']) {
      const r = answer(p, o);
      expect(acao(r)).toEqual([o]);
      expect(acac(r)).toEqual(['true']);
      expect(varyOrigin(r)).toBe(true);
    }
  });

  it('an unanchored regex is tested with .test(): a suffix look-alike passes', () => {
    const p = policy(origin([{ kind: 'regex', source: 'example\\.com', flags: '', flavor: 'js' }], 'list'));
    expect(acao(answer(p, EVIL))).toEqual([]);
    expect(acao(answer(p, 'https://example.com.evil.net'))).toEqual(['https://example.com.evil.net']);
    expect(varyOrigin(answer(p, EVIL))).toBe(true);
  });

  it('a /g regex is modelled as matching every time (the real one alternates)', () => {
    const p = policy(origin([{ kind: 'regex', source: '^https://a\\.example\\.com$', flags: 'g', flavor: 'js' }], 'list'));
    expect(acao(answer(p, 'https://a.example.com'))).toEqual(['https://a.example.com']);
    expect(acao(answer(p, 'https://a.example.com'))).toEqual(['https://a.example.com']);
  });

  it('a list with credentials → no ACAO for a stranger, but ACAC true anyway', () => {
    const p = policy({ ...origin([{ kind: 'exact', origin: 'https://a.com' }], 'list'), ...withCredentials });
    const r = answer(p, EVIL);
    expect(acao(r)).toEqual([]);
    expect(acac(r)).toEqual(['true']);
    expect(varyOrigin(r)).toBe(true);
    expect(acao(answer(p, 'https://a.com'))).toEqual(['https://a.com']);
    // Case-sensitive ===.
    expect(acao(answer(p, 'https://A.com'))).toEqual([]);
  });

  it('a string origin is sent as is, with Vary', () => {
    const r = answer(policy(origin([{ kind: 'exact', origin: 'https://a.com' }], 'single')), EVIL);
    expect(acao(r)).toEqual(['https://a.com']);
    expect(varyOrigin(r)).toBe(true);
  });

  it("['*'] → no ACAO: '*' is not special inside an array", () => {
    for (const e of [{ kind: 'exact', origin: '*' }, { kind: 'any' }] as Bare[]) {
      const r = answer(policy(origin([e], 'list')), EVIL);
      expect(acao(r)).toEqual([]);
    }
  });

  it('origin: false (or a falsy value) → no CORS headers at all, credentials or not', () => {
    const r = answer(policy({ ...origin([{ kind: 'none' }], 'single'), ...withCredentials }), EVIL);
    expect(r.headers).toEqual([]);
    expect(answer(policy({ ...origin([{ kind: 'none' }], 'single'), ...withCredentials }), EVIL, { preflight: true }).headers).toEqual([]);
  });

  it('an empty list is truthy: nothing matches, Vary and ACAC are still sent', () => {
    const r = answer(policy({ ...origin([], 'list'), ...withCredentials }), EVIL);
    expect(acao(r)).toEqual([]);
    expect(varyOrigin(r)).toBe(true);
    expect(acac(r)).toEqual(['true']);
  });

  it('an origin function that rejects sends nothing; one that accepts echoes with ACAC', () => {
    const p = policy({
      ...origin([{ kind: 'exact', origin: 'https://a.com' }], 'list'),
      ...withCredentials,
      extra: { originFunction: known(true, L(2)) },
    });
    expect(answer(p, EVIL).headers).toEqual([]);
    expect(answer(p, EVIL, { preflight: true })).toEqual({ known: true, headers: [] });
    const ok = answer(p, 'https://a.com');
    expect(acao(ok)).toEqual(['https://a.com']);
    expect(acac(ok)).toEqual(['true']);
  });
});

describe('express semantics: preflight and other headers', () => {
  it('answers any OPTIONS with 204 and the default methods, echoing the requested headers', () => {
    const r = answer(policy(), EVIL, { preflight: true, requestHeaders: 'content-type,x-a' });
    expect(r.status).toBe(204);
    expect(headerValues(r, 'access-control-allow-methods')).toEqual(['GET,HEAD,PUT,PATCH,POST,DELETE']);
    expect(headerValues(r, 'access-control-allow-headers')).toEqual(['content-type,x-a']);
    expect(headerValues(r, 'vary')).toEqual(['Access-Control-Request-Headers']);
    expect(headerValues(r, 'access-control-max-age')).toEqual([]);
  });

  it('sends the written lists, and maxAge 0', () => {
    const p = policy({
      methods: known(['GET', ' POST'], L(4)),
      allowHeaders: known(['Content-Type'], L(5)),
      exposeHeaders: known(['X-Id', 'X-Total'], L(6)),
      maxAge: known<number | null>(0, L(7)),
    });
    const pre = answer(p, EVIL, { preflight: true, requestHeaders: 'x-other' });
    expect(headerValues(pre, 'access-control-allow-methods')).toEqual(['GET, POST']);
    expect(headerValues(pre, 'access-control-allow-headers')).toEqual(['Content-Type']);
    expect(headerValues(pre, 'access-control-max-age')).toEqual(['0']);
    expect(headerValues(pre, 'vary')).toEqual([]);
    const actual = answer(p, EVIL);
    expect(headerValues(actual, 'access-control-expose-headers')).toEqual(['X-Id,X-Total']);
    expect(headerValues(actual, 'access-control-allow-methods')).toEqual([]);
    expect(actual.status).toBeUndefined();
  });

  it('takes the preflight status from optionsSuccessStatus, none with preflightContinue', () => {
    expect(answer(policy({ extra: { optionsSuccessStatus: known(200, L(8)) } }), EVIL, { preflight: true }).status).toBe(200);
    expect(answer(policy({ extra: { preflightContinue: known(true, L(8)) } }), EVIL, { preflight: true }).status).toBeUndefined();
  });
});

describe('express semantics: where the answer comes from', () => {
  it('puts a default origin at the credentials value, or at the call when both are defaults', () => {
    expect(header(answer(policy(), EVIL), 'access-control-allow-origin')?.loc).toEqual(CALL);
    expect(header(answer(policy(withCredentials), EVIL), 'access-control-allow-origin')?.loc).toEqual(L(3));
    const written = answer(policy({ ...origin([{ kind: 'reflect' }], 'list', 9) }), EVIL);
    expect(header(written, 'access-control-allow-origin')?.loc).toEqual(L(9));
    expect(header(answer(policy(withCredentials), EVIL), 'access-control-allow-credentials')?.loc).toEqual(L(3));
  });

  it('uses the written fallback of an unknown value, and says so', () => {
    const p = policy({ origins: unknown<OriginEntry[]>('process.env.CORS_ORIGIN', L(2), [{ kind: 'any', loc: L(2) }], 'CORS_ORIGIN') });
    const ev = evaluate(p, { origin: EVIL, credentialed: false, preflight: false });
    expect(ev.world).toBe('fallback');
    expect(ev.assumption).toBe('when CORS_ORIGIN is unset');
    expect(acao(ev.response)).toEqual(['*']);
  });

  it('has no answer for an unknown value without fallback, or a custom check', () => {
    const env = policy({ origins: unknown<OriginEntry[]>('process.env.CORS_ORIGIN', L(2), undefined, 'CORS_ORIGIN') });
    expect(evaluate(env, { origin: EVIL, credentialed: false, preflight: false }).response.known).toBe(false);
    const pred = policy(origin([{ kind: 'predicate', description: 'isTrusted(origin)' }], 'list'));
    const r = evaluate(pred, { origin: EVIL, credentialed: false, preflight: false }).response;
    expect(r).toMatchObject({ known: false, reason: 'isTrusted(origin)' });
  });
});
