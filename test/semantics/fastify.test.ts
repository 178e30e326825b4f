import { describe, expect, it } from 'vitest';
import type { Policy, Val } from '../../src/model/index.js';
import { header, headerValues, known, unknown } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';
import { EVIL, L, TRUSTED, acac, acao, answer, defaultPolicy, origin, varyOrigin } from '../support/js-semantics.js';

/** SEMANTICS.md §2a (@fastify/cors) over hand-built policies; the oracle checks the same against the real plugin. */

const creds = { credentials: known(true, L(3)) };
const extra = (e: Record<string, unknown>): Partial<Policy> => ({ extra: Object.fromEntries(Object.entries(e).map(([k, v]) => [k, known(v, L(4)) as Val<unknown>])) });

const policy = (over: Partial<Policy> = {}) => defaultPolicy('fastify', ['GET', 'HEAD', 'POST'], over);
const PREFLIGHT = { preflight: true, method: 'OPTIONS', requestHeaders: 'content-type' };

describe('fastify semantics: origin', () => {
  it("default '*', no Vary for a string option (≥ 9)", () => {
    const r = answer(policy(), EVIL);
    expect(acao(r)).toEqual(['*']);
    expect(varyOrigin(r)).toBe(false);
  });

  it("'*' with credentials is a literal '*' plus ACAC, reported at the credentials when the origin is a default", () => {
    const r = answer(policy(creds), EVIL);
    expect(acao(r)).toEqual(['*']);
    expect(acac(r)).toEqual(['true']);
    expect(header(r, 'access-control-allow-origin')?.loc).toEqual(L(3));
  });

  it('true reflects every Origin, null included, with Vary', () => {
    const p = policy({ ...origin([{ kind: 'reflect' }], 'list'), ...creds });
    expect(acao(answer(p, EVIL))).toEqual([EVIL]);
    expect(acao(answer(p, 'null'))).toEqual(['null']);
    expect(varyOrigin(answer(p, EVIL))).toBe(true);
  });

  it('a list matches with === and RegExp.test; a miss still gets ACAC', () => {
    const p = policy({ ...origin([{ kind: 'exact', origin: TRUSTED }, { kind: 'regex', source: '^https:\\/\\/b\\.example$', flags: '', flavor: 'js' }], 'list'), ...creds });
    expect(acao(answer(p, TRUSTED))).toEqual([TRUSTED]);
    expect(acao(answer(p, 'https://b.example'))).toEqual(['https://b.example']);
    const miss = answer(p, EVIL);
    expect(acao(miss)).toEqual([]);
    expect(acac(miss)).toEqual(['true']);
  });

  it("an array holding '*' is '*' since 8.2.1, a plain string before", () => {
    const list = origin([{ kind: 'exact', origin: TRUSTED }, { kind: 'exact', origin: '*' }], 'list');
    const now = answer(policy(list), EVIL);
    expect(acao(now)).toEqual(['*']);
    expect(varyOrigin(now)).toBe(false);
    expect(acao(answer(policy({ ...list, version: '8.2.0' }), EVIL))).toEqual([]);
  });

  it('Vary: Origin on every response before 9.0.0', () => {
    expect(varyOrigin(answer(policy({ version: '8.5.0' }), EVIL))).toBe(true);
    expect(varyOrigin(answer(policy({ version: '9.0.0' }), EVIL))).toBe(false);
  });

  it('a refused Origin got the literal `false` before 6.0.0', () => {
    const p = policy({ ...origin([{ kind: 'exact', origin: TRUSTED }], 'list'), version: '5.2.0' });
    expect(acao(answer(p, EVIL))).toEqual(['false']);
  });

  it('origin: false sends nothing and OPTIONS is 404', () => {
    const p = policy({ ...origin([{ kind: 'none' }], 'single'), ...creds });
    const r = answer(p, EVIL);
    expect(r.headers).toEqual([]);
    expect(answer(p, EVIL, PREFLIGHT).status).toBe(404);
  });

  it('a falsy origin option fails every request (500), Vary only for a non-string', () => {
    const undef = answer(policy({ ...origin([{ kind: 'none' }], 'single'), ...extra({ originError: 'undefined' }) }), EVIL);
    expect(undef.status).toBe(500);
    expect(acao(undef)).toEqual([]);
    expect(varyOrigin(undef)).toBe(true);
    expect(varyOrigin(answer(policy({ ...origin([{ kind: 'none' }], 'single'), ...extra({ originError: 'string' }) }), EVIL))).toBe(false);
  });

  it('a function that refuses sends only Vary: no ACAO, no ACAC', () => {
    const p = policy({ ...origin([{ kind: 'exact', origin: TRUSTED }], 'list'), ...creds, ...extra({ originFunction: true, originIsFunction: true }) });
    const r = answer(p, EVIL);
    expect(r.headers.map((h) => h.name)).toEqual(['vary']);
    expect(acao(answer(p, TRUSTED))).toEqual([TRUSTED]);
  });

  it('a function calling back a fixed value still sends Vary', () => {
    const p = policy({ ...origin([{ kind: 'exact', origin: TRUSTED }], 'single'), ...extra({ originIsFunction: true }) });
    const r = answer(p, EVIL);
    expect(acao(r)).toEqual([TRUSTED]);
    expect(varyOrigin(r)).toBe(true);
  });

  it('delegated options always send Vary (9.0.1)', () => {
    const p = policy({ ...origin([{ kind: 'exact', origin: TRUSTED }], 'single'), ...extra({ dynamic: true }) });
    expect(varyOrigin(answer(p, EVIL))).toBe(true);
    expect(varyOrigin(answer({ ...p, version: '9.0.0' }, EVIL))).toBe(false);
  });

  it('a predicate is unknown', () => {
    const p = policy(origin([{ kind: 'predicate', description: 'isAllowed(origin)' }], 'list'));
    expect(evaluate(p, { origin: EVIL, credentialed: false, preflight: false }).response.known).toBe(false);
  });
});

describe('fastify semantics: preflight', () => {
  it('default methods by version, echoed headers with Vary, 204', () => {
    const r = answer(policy(), EVIL, PREFLIGHT);
    expect(headerValues(r, 'access-control-allow-methods')).toEqual(['GET,HEAD,POST']);
    expect(headerValues(r, 'access-control-allow-headers')).toEqual(['content-type']);
    expect(headerValues(r, 'vary')).toContain('Access-Control-Request-Headers');
    expect(r.status).toBe(204);
    expect(headerValues(answer(policy({ version: '10.1.0' }), EVIL, PREFLIGHT), 'access-control-allow-methods')).toEqual(['GET,HEAD,PUT,PATCH,POST,DELETE']);
  });

  it("arrays are joined with ', ', strings sent as written", () => {
    const p = policy({
      methods: known(['GET', 'PUT'], L(5)),
      allowHeaders: known(['A', 'B'], L(6)),
      exposeHeaders: known(['X-A', ' X-B'], L(7)),
      maxAge: known<number | null>(0, L(8)),
      ...extra({ arrayLists: ['methods', 'allowedHeaders'] }),
    });
    const r = answer(p, EVIL, PREFLIGHT);
    expect(headerValues(r, 'access-control-allow-methods')).toEqual(['GET, PUT']);
    expect(headerValues(r, 'access-control-allow-headers')).toEqual(['A, B']);
    expect(headerValues(r, 'access-control-expose-headers')).toEqual(['X-A, X-B']);
    expect(headerValues(r, 'access-control-max-age')).toEqual(['0']);
  });

  it('preflightContinue leaves the status to the route; optionsSuccessStatus sets it', () => {
    expect(answer(policy(extra({ preflightContinue: true })), EVIL, PREFLIGHT).status).toBeUndefined();
    expect(answer(policy(extra({ optionsSuccessStatus: 200 })), EVIL, PREFLIGHT).status).toBe(200);
  });

  it('preflight: false answers OPTIONS like any request', () => {
    const r = answer(policy(extra({ preflight: false })), EVIL, PREFLIGHT);
    expect(acao(r)).toEqual(['*']);
    expect(headerValues(r, 'access-control-allow-methods')).toEqual([]);
    expect(r.status).toBeUndefined();
  });

  it('an invalid hook (the plugin does not register) has no answer', () => {
    const p = policy({ extra: { hook: unknown("invalid hook 'onSend'", L(4)) } });
    expect(evaluate(p, { origin: EVIL, credentialed: false, preflight: false }).response.known).toBe(false);
  });
});
