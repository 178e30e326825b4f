import { describe, expect, it } from 'vitest';
import { extractFromProgram, parseProgram } from '../../src/extractors/express/index.js';
import type { OriginEntry, Policy } from '../../src/model/index.js';
import { evaluateCheck } from '../../src/probes/index.js';

/** Custom origin checks in Express code become OriginEntry `check`s the probes run through. */
const PRELUDE = "const express = require('express');\nconst cors = require('cors');\nconst app = express();\n";

function policyOf(src: string): Policy {
  const file = 'app.js';
  const r = extractFromProgram(parseProgram(PRELUDE + src, file), file, () => undefined, { text: PRELUDE + src });
  expect(r.policies).toHaveLength(1);
  return r.policies[0]!;
}

const entries = (p: Policy) => (p.origins.known ? p.origins.value.map(({ loc: _loc, ...rest }) => rest) : p.origins);
const originFn = (body: string) => policyOf(`app.use(cors({ origin: ${body}, credentials: true }));`);

describe('express: custom string checks', () => {
  it('reads startsWith / endsWith / includes on the Origin as checks', () => {
    expect(entries(originFn("(origin, cb) => cb(null, origin.endsWith('.example.com'))"))).toEqual([
      { kind: 'check', test: { op: 'endsWith', value: '.example.com' }, description: "origin.endsWith('.example.com')" },
    ]);
    expect(entries(originFn("(origin, cb) => cb(null, origin.startsWith('https://app.example.com'))"))).toEqual([
      { kind: 'check', test: { op: 'startsWith', value: 'https://app.example.com' }, description: "origin.startsWith('https://app.example.com')" },
    ]);
    expect(entries(originFn("(origin, cb) => cb(null, origin.includes('example.com'))"))).toEqual([
      { kind: 'check', test: { op: 'includes', value: 'example.com' }, description: "origin.includes('example.com')" },
    ]);
  });

  it('reads indexOf comparisons as substring or prefix tests', () => {
    const includes = (cond: string) => entries(originFn(`(origin, cb) => cb(null, ${cond})`));
    for (const cond of ["origin.indexOf('example.com') !== -1", "origin.indexOf('example.com') > -1", "origin.indexOf('example.com') >= 0", "-1 < origin.indexOf('example.com')"]) {
      expect(includes(cond), cond).toEqual([{ kind: 'check', test: { op: 'includes', value: 'example.com' }, description: cond }]);
    }
    expect(includes("origin.indexOf('https://app.example.com') === 0")).toEqual([
      { kind: 'check', test: { op: 'startsWith', value: 'https://app.example.com' }, description: "origin.indexOf('https://app.example.com') === 0" },
    ]);
  });

  it('combines checks with the exact origins of the same function', () => {
    const p = originFn("(origin, cb) => { if (origin === 'https://partner.example.net' || origin.endsWith('.example.com')) return cb(null, true); cb(new Error('no')); }");
    expect(entries(p)).toEqual([
      { kind: 'exact', origin: 'https://partner.example.net' },
      { kind: 'check', test: { op: 'endsWith', value: '.example.com' }, description: "origin.endsWith('.example.com')" },
    ]);
  });

  it('reads the guard around hand-written headers the same way', () => {
    const p = policyOf(
      "app.use((req, res, next) => {\n  const origin = req.headers.origin;\n  if (origin && origin.endsWith('example.com')) res.setHeader('Access-Control-Allow-Origin', origin);\n  next();\n});",
    );
    expect((p.origins.known ? p.origins.value : []).map((e: OriginEntry) => e.kind)).toEqual(['check']);
  });

  it('still gives up on what it cannot read', () => {
    const p = originFn("(origin, cb) => cb(null, origin.endsWith(suffixFromDb()))");
    expect(p.origins.known && p.origins.value[0]!.kind).toBe('predicate');
  });
});

describe('express: compound custom checks', () => {
  const test = (p: Policy) => {
    const es = p.origins.known ? p.origins.value : [];
    expect(es).toHaveLength(1);
    expect(es[0]!.kind).toBe('check');
    return es[0] as Extract<OriginEntry, { kind: 'check' }>;
  };
  const accepts = (e: Extract<OriginEntry, { kind: 'check' }>, origin: string) => evaluateCheck(e.test, origin);

  it('reads && as an and of the tests, in the order the code runs them', () => {
    const e = test(originFn("(origin, cb) => cb(null, origin.startsWith('https://') && origin.endsWith('.example.com'))"));
    expect(e.test).toEqual({ op: 'and', args: [{ op: 'startsWith', value: 'https://' }, { op: 'endsWith', value: '.example.com' }] });
    expect(e.description).toBe("origin.startsWith('https://') && origin.endsWith('.example.com')");
    expect(accepts(e, 'https://app.example.com')).toBe(true);
    expect(accepts(e, 'http://app.example.com')).toBe(false);
    expect(accepts(e, 'https://evilexample.com')).toBe(false);
  });

  it('reads ! and early returns as negations', () => {
    const blocked = test(originFn("(origin, cb) => cb(null, !origin.endsWith('.blocked.example'))"));
    expect(blocked.test).toEqual({ op: 'not', arg: { op: 'endsWith', value: '.blocked.example' } });
    const guarded = test(
      originFn("(origin, cb) => { if (!origin.startsWith('https://')) return cb(null, false); if (origin.endsWith('.example.com')) return cb(null, true); cb(null, false); }"),
    );
    expect(guarded.test).toEqual({ op: 'and', args: [{ op: 'startsWith', value: 'https://' }, { op: 'endsWith', value: '.example.com' }] });
  });

  it('factors a shared test back out of (a || b) && c', () => {
    const e = test(originFn("(origin, cb) => cb(null, (origin.endsWith('.a.example') || origin.endsWith('.b.example')) && origin.startsWith('https://'))"));
    expect(e.test).toEqual({
      op: 'and',
      args: [{ op: 'or', args: [{ op: 'endsWith', value: '.a.example' }, { op: 'endsWith', value: '.b.example' }] }, { op: 'startsWith', value: 'https://' }],
    });
    expect(e.description).toBe("(origin.endsWith('.a.example') || origin.endsWith('.b.example')) && origin.startsWith('https://')");
  });

  it('reads tests on the parts of new URL(origin), however the URL is named', () => {
    const inline = entries(originFn("(origin, cb) => cb(null, new URL(origin).hostname.endsWith('example.com'))"));
    expect(inline).toEqual([
      { kind: 'check', test: { op: 'endsWith', value: 'example.com', subject: 'hostname' }, description: "new URL(origin).hostname.endsWith('example.com')" },
    ]);
    const suggested = {
      op: 'and',
      args: [
        { op: 'equals', value: 'https:', subject: 'protocol' },
        { op: 'or', args: [{ op: 'equals', value: 'example.com', subject: 'hostname' }, { op: 'endsWith', value: '.example.com', subject: 'hostname' }] },
      ],
    };
    const destructured = test(
      originFn("(origin, cb) => { const { protocol, hostname } = new URL(origin); cb(null, protocol === 'https:' && (hostname === 'example.com' || hostname.endsWith('.example.com'))); }"),
    );
    expect(destructured.test).toEqual(suggested);
    const named = test(
      originFn("(origin, cb) => { const url = new URL(origin); if (url.protocol !== 'https:') return cb(null, false); cb(null, url.hostname === 'example.com' || url.hostname.endsWith('.example.com')); }"),
    );
    expect(named.test).toEqual(suggested);
    // `new URL('null')` throws in the callback: cors answers without CORS headers, and so does the check.
    expect(accepts(named, 'null')).toBe(false);
    expect(accepts(named, 'https://example.com')).toBe(true);
    expect(accepts(named, 'https://evilexample.com')).toBe(false);
    const listed = entries(originFn("(origin, cb) => cb(null, ['partner.example.net', 'shop.example.org'].includes(new URL(origin).hostname))"));
    expect(listed).toEqual([
      {
        kind: 'check',
        test: { op: 'oneOf', values: ['partner.example.net', 'shop.example.org'], subject: 'hostname' },
        description: "['partner.example.net', 'shop.example.org'].includes(new URL(origin).hostname)",
      },
    ]);
  });

  it('reads .toLowerCase() on the subject as a case-insensitive test', () => {
    expect(entries(originFn("(origin, cb) => cb(null, origin.toLowerCase().endsWith('.example.com'))"))).toEqual([
      { kind: 'check', test: { op: 'endsWith', value: '.example.com', ignoreCase: true }, description: "origin.toLowerCase().endsWith('.example.com')" },
    ]);
    const re = test(originFn("(origin, cb) => { const o = origin.toLowerCase(); cb(null, o.startsWith('https://') && /\\.example\\.com$/.test(o)); }"));
    expect(re.test).toEqual({ op: 'and', args: [{ op: 'startsWith', value: 'https://', ignoreCase: true }, { op: 'regex', source: '\\.example\\.com$', flags: '', ignoreCase: true }] });
    expect(accepts(re, 'HTTPS://APP.EXAMPLE.COM')).toBe(true);
  });

  it('keeps what it cannot read as an unknown part: decided wherever the rest decides', () => {
    const e = test(originFn("(origin, cb) => cb(null, origin.endsWith('.example.com') && isTrusted(origin))"));
    expect(e.test).toEqual({ op: 'and', args: [{ op: 'endsWith', value: '.example.com' }, { op: 'unknown', description: 'isTrusted(origin)' }] });
    expect(accepts(e, 'https://evil.example')).toBe(false);
    expect(accepts(e, 'https://app.example.com')).toBeUndefined();
  });

  it('reads compound guards around hand-written headers the same way', () => {
    const p = policyOf(
      "app.use((req, res, next) => {\n  const origin = req.headers.origin;\n  if (!origin || !origin.startsWith('https://')) return next();\n  const { hostname } = new URL(origin);\n  if (hostname === 'example.com' || hostname.endsWith('.example.com')) res.setHeader('Access-Control-Allow-Origin', origin);\n  if (req.method === 'OPTIONS') return res.sendStatus(204);\n  next();\n});",
    );
    const e = test(p);
    expect(e.test).toEqual({
      op: 'and',
      args: [
        { op: 'startsWith', value: 'https://' },
        { op: 'or', args: [{ op: 'equals', value: 'example.com', subject: 'hostname' }, { op: 'endsWith', value: '.example.com', subject: 'hostname' }] },
      ],
    });
    expect(e.loc.line).toBe(6);
  });
});

describe('express: new URL(origin) built in a statement', () => {
  const only = (p: Policy) => (p.origins.known ? p.origins.value : []);

  it('rejects an Origin that does not parse before any later test', () => {
    const p = originFn("(origin, cb) => { const { hostname } = new URL(origin); if (origin === 'null') return cb(null, true); cb(null, hostname.endsWith('.example.com')); }");
    const [e] = only(p);
    expect(e?.kind).toBe('check');
    const test = (e as Extract<OriginEntry, { kind: 'check' }>).test;
    expect(evaluateCheck(test, 'null')).toBe(false);
    expect(evaluateCheck(test, 'https://app.example.com')).toBe(true);
    expect(evaluateCheck(test, 'https://evil.example')).toBe(false);
  });

  it('follows a try/catch that rejects, and gives up on one that accepts', () => {
    const rejects = originFn("(origin, cb) => { try { new URL(origin); } catch { return cb(null, false); } cb(null, origin.endsWith('.example.com')); }");
    const [e] = only(rejects);
    expect(e?.kind).toBe('check');
    expect(evaluateCheck((e as Extract<OriginEntry, { kind: 'check' }>).test, 'null')).toBe(false);
    const accepts = originFn("(origin, cb) => { try { const { hostname } = new URL(origin); return cb(null, hostname.endsWith('.example.com')); } catch { return cb(null, true); } }");
    expect(only(accepts).map((x) => x.kind)).toEqual(['predicate']);
  });
});
