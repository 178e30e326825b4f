import { describe, expect, it } from 'vitest';
import type { OriginEntry, Policy, Val } from '../../src/model/index.js';
import { header, headerValues, known, unknown } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';
import type { Bare } from '../support/js-semantics.js';
import { CALL, EVIL, L, TRUSTED, acac, acao, answer, defaultPolicy, origin as originAt } from '../support/js-semantics.js';

/** SEMANTICS.md §2b (@koa/cors, kcors) over hand-built policies; the oracle checks 5.0.0 against the real middleware. */

const policy = (over: Partial<Policy> = {}) =>
  defaultPolicy('koa', ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH'], { extra: { originDefaulted: known(true, CALL, true) }, ...over });

const origin = (entries: Bare[], form: 'single' | 'list', more: Record<string, Val<unknown>> = {}, line = 2): Partial<Policy> => ({
  ...originAt(entries, form, line),
  extra: more,
});
const creds = { credentials: known(true, L(3)) };

const PREFLIGHT = { preflight: true, method: 'OPTIONS', requestHeaders: 'content-type' };

describe('koa semantics: the default origin by version', () => {
  it("5.x: '*', and Vary: Origin always", () => {
    const r = answer(policy(), EVIL);
    expect(acao(r)).toEqual(['*']);
    expect(headerValues(r, 'vary')).toEqual(['Origin']);
  });

  it('before 5.0.0 the default reflects', () => {
    expect(acao(answer(policy({ version: '4.0.0' }), EVIL))).toEqual([EVIL]);
    expect(acao(answer(policy({ version: '2.2.3' }), 'null'))).toEqual(['null']);
  });

  it('kcors reflects by default whatever its version', () => {
    const p = policy({ extra: { originDefaulted: known(true, CALL, true), package: known('kcors', CALL) } });
    expect(acao(answer(p, EVIL))).toEqual([EVIL]);
    expect(acao(answer({ ...p, version: '2.2.1' }, EVIL))).toEqual([EVIL]);
  });

  it("credentials turn the default '*' into the request Origin, at the credentials value", () => {
    const r = answer(policy(creds), EVIL);
    expect(acao(r)).toEqual([EVIL]);
    expect(acac(r)).toEqual(['true']);
    expect(header(r, 'access-control-allow-origin')?.loc).toEqual(L(3));
  });

  it("'*' with credentials was a literal '*' before 3.4.1, and in kcors", () => {
    const star = policy({ ...origin([{ kind: 'any' }], 'single'), ...creds });
    expect(acao(answer(star, EVIL))).toEqual([EVIL]);
    expect(acao(answer({ ...star, version: '3.4.0' }, EVIL))).toEqual(['*']);
    const kcors = { ...star, extra: { package: known('kcors', CALL) } };
    expect(acao(answer(kcors, EVIL))).toEqual(['*']);
    expect(acac(answer(kcors, EVIL))).toEqual(['true']);
    expect(acac(answer({ ...kcors, version: '1.3.3' }, EVIL))).toEqual([]);
  });

  it('an unset environment origin falls back to the default', () => {
    const p = policy({
      origins: unknown<OriginEntry[]>('process.env.CORS_ORIGIN', L(2), [{ kind: 'any', loc: L(2) }], 'CORS_ORIGIN'),
      extra: { originDefaulted: unknown('process.env.CORS_ORIGIN', L(2), true, 'CORS_ORIGIN') },
      ...creds,
    });
    const ev = evaluate(p, { origin: EVIL, credentialed: true, preflight: false });
    expect(ev.world).toBe('fallback');
    expect(ev.assumption).toBe('when CORS_ORIGIN is unset');
    expect(acao(ev.response)).toEqual([EVIL]);
  });
});

describe('koa semantics: written origins are sent, never matched', () => {
  it('a string goes to everyone', () => {
    const p = policy({ ...origin([{ kind: 'exact', origin: TRUSTED }], 'single'), ...creds });
    expect(acao(answer(p, EVIL))).toEqual([TRUSTED]);
    expect(acac(answer(p, EVIL))).toEqual(['true']);
  });

  it('an array gives one header per element', () => {
    const p = policy(origin([{ kind: 'exact', origin: TRUSTED }, { kind: 'exact', origin: '*' }], 'list'));
    expect(acao(answer(p, EVIL))).toEqual([TRUSTED, '*']);
  });

  it('a function: the Origin when accepted, only Vary otherwise', () => {
    const p = policy({ ...origin([{ kind: 'exact', origin: TRUSTED }], 'list', { originFunction: known(true, L(2)) }), ...creds });
    expect(acao(answer(p, TRUSTED))).toEqual([TRUSTED]);
    const refused = answer(p, EVIL);
    expect(refused.headers.map((h) => h.name)).toEqual(['vary']);
    expect(refused.status).toBeUndefined();
  });

  it('a predicate is unknown', () => {
    const p = policy(origin([{ kind: 'predicate', description: 'lookup(ctx)' }], 'list', { originFunction: known(true, L(2)) }));
    expect(evaluate(p, { origin: EVIL, credentialed: false, preflight: false }).response.known).toBe(false);
  });
});

describe('koa semantics: the other headers', () => {
  it('expose headers only on actual requests', () => {
    const p = policy({ exposeHeaders: known(['X-A', 'X-B'], L(5)) });
    expect(headerValues(answer(p, EVIL), 'access-control-expose-headers')).toEqual(['X-A,X-B']);
    expect(headerValues(answer(p, EVIL, PREFLIGHT), 'access-control-expose-headers')).toEqual([]);
  });

  it('preflight: methods, echoed headers without Vary, Max-Age unless 0, 204', () => {
    const r = answer(policy({ maxAge: known<number | null>(600, L(6)) }), EVIL, PREFLIGHT);
    expect(headerValues(r, 'access-control-allow-methods')).toEqual(['GET,HEAD,PUT,POST,DELETE,PATCH']);
    expect(headerValues(r, 'access-control-allow-headers')).toEqual(['content-type']);
    expect(headerValues(r, 'vary')).toEqual(['Origin']);
    expect(headerValues(r, 'access-control-max-age')).toEqual(['600']);
    expect(r.status).toBe(204);
    const none = answer(policy({ methods: known<string[]>([], L(5)), allowHeaders: known(['X-Token'], L(6)) }), EVIL, PREFLIGHT);
    expect(headerValues(none, 'access-control-allow-methods')).toEqual([]);
    expect(headerValues(none, 'access-control-allow-headers')).toEqual(['X-Token']);
  });

  it('Private Network Access when asked and enabled (3.3.0+)', () => {
    const p = policy({ extra: { originDefaulted: known(true, CALL, true), privateNetworkAccess: known(true, L(7)) } });
    expect(headerValues(answer(p, EVIL, { ...PREFLIGHT, privateNetwork: true }), 'access-control-allow-private-network')).toEqual(['true']);
    expect(headerValues(answer(p, EVIL, PREFLIGHT), 'access-control-allow-private-network')).toEqual([]);
    expect(headerValues(answer({ ...p, version: '3.2.0' }, EVIL, { ...PREFLIGHT, privateNetwork: true }), 'access-control-allow-private-network')).toEqual([]);
  });
});
