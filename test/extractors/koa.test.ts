import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/extractors/express/index.js';
import { extractKoaFromProgram, koaExtractor } from '../../src/extractors/koa/index.js';
import type { OriginEntry, Policy, ProjectFact } from '../../src/model/index.js';
import { at, entries, memoryResolver, onlyPolicy } from '../support/js-extract.js';

function run(src: string, opts: { modules?: Record<string, string>; versions?: Record<string, string> } = {}): { policies: Policy[]; facts: ProjectFact[] } {
  const modules = opts.modules ?? {};
  const resolve = memoryResolver(modules);
  const r = extractKoaFromProgram(parseProgram(src, 'app.js'), 'app.js', resolve, { text: src, versionOf: (pkg) => opts.versions?.[pkg] });
  return { policies: r.policies, facts: r.facts ?? [] };
}

function one(src: string, opts: Parameters<typeof run>[1] = {}): Policy {
  return onlyPolicy(run(src, opts).policies);
}

const ESM = "import Koa from 'koa';\nimport cors from '@koa/cors';\nconst app = new Koa();\n";

describe('koa extractor: finding the middleware', () => {
  it('reads cors() with every default at the call, the origin marked as defaulted', () => {
    const p = one(`${ESM}app.use(cors());\n`);
    expect(p.framework).toBe('koa');
    expect(at(p)).toBe('4:9');
    expect(p.origins).toEqual({ known: true, value: [{ kind: 'any', loc: p.loc }], loc: p.loc, isDefault: true });
    expect(p.extra?.originDefaulted).toMatchObject({ known: true, value: true });
    expect(p.methods).toMatchObject({ value: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH'], isDefault: true });
    expect(p.allowHeaders).toMatchObject({ value: [], isDefault: true });
    expect(p.scope).toEqual({});
  });

  it.each([
    ["const cors = require('@koa/cors');\napp.use(cors({ credentials: true }));"],
    ["app.use(require('@koa/cors')({ credentials: true }));"],
    ["import * as c from '@koa/cors';\napp.use(c.default({ credentials: true }));"],
    ["const kcors = require('kcors');\napp.use(kcors({ credentials: true }));"],
  ])('recognises %s', (src) => {
    expect(one(src).credentials).toMatchObject({ known: true, value: true });
  });

  it('records kcors and the pinned version', () => {
    const p = one("const cors = require('kcors');\napp.use(cors());", { versions: { kcors: '2.2.1' } });
    expect(p.extra?.package).toMatchObject({ value: 'kcors' });
    expect(p.version).toBe('2.2.1');
  });

  it('scopes a router-mounted middleware to its route', () => {
    const p = one(`${ESM}router.get('/api/x', cors(), handler);`);
    expect(p.scope).toEqual({ paths: ['/api/x'], methods: ['GET', 'HEAD'] });
  });

  it('ignores the Express cors package', () => {
    expect(run("const cors = require('cors');\napp.use(cors());").policies).toEqual([]);
    expect(koaExtractor.sniff("require('cors')")).toBe(false);
    expect(koaExtractor.sniff("require('@koa/cors')")).toBe(true);
  });
});

describe('koa extractor: origin values', () => {
  it("'*' and strings are sent as they are", () => {
    expect(entries(one(`${ESM}app.use(cors({ origin: '*' }));`).origins)).toEqual([{ kind: 'any' }]);
    const p = one(`${ESM}app.use(cors({ origin: 'https://a.example' }));`);
    expect(entries(p.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example' }]);
    expect(p.originForm).toBe('single');
  });

  it('a falsy origin falls back to the default, reported at the value', () => {
    const p = one(`${ESM}app.use(cors({\n  origin: false,\n}));`);
    expect(entries(p.origins)).toEqual([{ kind: 'any' }]);
    expect(p.origins).toMatchObject({ known: true });
    expect(p.origins.known && p.origins.isDefault).toBeFalsy();
    expect(at(p.origins)).toBe('5:11');
    expect(p.extra?.originDefaulted).toMatchObject({ known: true, value: true });
  });

  it('true, a RegExp and arrays are literal values Koa stringifies', () => {
    expect(entries(one(`${ESM}app.use(cors({ origin: true }));`).origins)).toEqual([{ kind: 'exact', origin: 'true' }]);
    expect(entries(one(`${ESM}app.use(cors({ origin: /a\\.example$/ }));`).origins)).toEqual([{ kind: 'exact', origin: '/a\\.example$/' }]);
    const list = one(`${ESM}app.use(cors({ origin: ['https://a.example', '*'] }));`);
    expect(entries(list.origins)).toEqual([
      { kind: 'exact', origin: 'https://a.example' },
      { kind: 'exact', origin: '*' },
    ]);
    expect(list.originForm).toBe('list');
    expect(list.extra?.originFunction).toBeUndefined();
  });

  it('an unset environment origin falls back to the default', () => {
    const p = one(`${ESM}app.use(cors({ origin: process.env.CORS_ORIGIN, credentials: true }));`);
    expect(entries(p.origins)).toEqual({ unknown: 'process.env.CORS_ORIGIN', fallback: [{ kind: 'any' }], variable: 'CORS_ORIGIN' });
    expect(p.extra?.originDefaulted).toMatchObject({ known: false, fallback: true, variable: 'CORS_ORIGIN' });
    const fixed = one(`${ESM}app.use(cors({ origin: process.env.CORS_ORIGIN || 'https://a.example' }));`);
    expect(entries(fixed.origins)).toMatchObject({ fallback: [{ kind: 'exact', origin: 'https://a.example' }] });
  });
});

describe('koa extractor: origin functions', () => {
  it.each([
    ["(ctx) => ctx.get('Origin')"],
    ['(ctx) => ctx.request.header.origin'],
    ['(ctx) => ctx.header.origin'],
    ['(ctx) => ctx.headers.origin'],
    ["(ctx) => ctx.request.get('origin')"],
    ['function (ctx) { const { origin } = ctx.request.header; return origin; }'],
    ["async (ctx) => { const o = ctx.get('Origin'); return o; }"],
  ])('%s reflects', (fn) => {
    const p = one(`${ESM}app.use(cors({ origin: ${fn} }));`);
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
    expect(p.extra?.originFunction).toMatchObject({ value: true });
  });

  it('ctx.origin is the server, not the request: no reflection', () => {
    const p = one(`${ESM}app.use(cors({ origin: (ctx) => ctx.origin }));`);
    expect((p.origins as { value: OriginEntry[] }).value[0]!.kind).toBe('predicate');
  });

  it('returning the Origin only after a check is that allowlist', () => {
    const src = `${ESM}const ok = ['https://a.example', 'https://b.example'];\napp.use(cors({ origin(ctx) {\n  const o = ctx.get('Origin');\n  if (!ok.includes(o)) return false;\n  return o;\n} }));`;
    expect(entries(one(src).origins)).toEqual([
      { kind: 'exact', origin: 'https://a.example' },
      { kind: 'exact', origin: 'https://b.example' },
    ]);
    const and = one(`${ESM}const ok = ['https://a.example'];\napp.use(cors({ origin: (ctx) => ok.includes(ctx.get('Origin')) && ctx.get('Origin') }));`);
    expect(entries(and.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example' }]);
  });

  it('a regex check is that regex entry', () => {
    const p = one(`${ESM}app.use(cors({ origin: (ctx) => /^https:\\/\\/a\\.example$/.test(ctx.get('Origin')) ? ctx.get('Origin') : '' }));`);
    expect(entries(p.origins)).toEqual([{ kind: 'regex', source: '^https:\\/\\/a\\.example$', flags: '', flavor: 'js' }]);
  });

  it("a function that always returns '*' or a fixed value is that value", () => {
    expect(entries(one(`${ESM}app.use(cors({ origin: () => '*' }));`).origins)).toEqual([{ kind: 'any' }]);
    const fixed = one(`${ESM}app.use(cors({ origin: () => 'https://a.example' }));`);
    expect(entries(fixed.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example' }]);
    expect(fixed.originForm).toBe('single');
    expect(entries(one(`${ESM}app.use(cors({ origin: () => true }));`).origins)).toEqual([{ kind: 'exact', origin: 'true' }]);
  });

  it('a fixed fallback for other origins is not an allowlist (predicate)', () => {
    const p = one(`${ESM}const ok = ['https://a.example'];\napp.use(cors({ origin: (ctx) => ok.includes(ctx.get('Origin')) ? ctx.get('Origin') : ok[0] }));`);
    expect((p.origins as { value: OriginEntry[] }).value[0]!.kind).toBe('predicate');
  });
});

describe('koa extractor: other options', () => {
  it('reads the Koa names, Koa-style falsy values', () => {
    const p = one(`${ESM}app.use(cors({ origin: 'https://a.example', allowMethods: ['GET', 'POST'], allowHeaders: [], exposeHeaders: 'X-A,X-B', maxAge: 0, keepHeadersOnError: false, secureContext: true, privateNetworkAccess: true }));`);
    expect(p.methods).toMatchObject({ known: true, value: ['GET', 'POST'] });
    expect(p.allowHeaders).toMatchObject({ known: true, value: [], isDefault: true });
    expect(p.exposeHeaders).toMatchObject({ value: ['X-A', 'X-B'] });
    expect(p.maxAge).toMatchObject({ value: null });
    expect(p.extra?.keepHeadersOnError).toMatchObject({ value: false });
    expect(p.extra?.secureContext).toMatchObject({ value: true });
    expect(p.extra?.privateNetworkAccess).toMatchObject({ value: true });
    expect(p.unknownOptions).toEqual([]);
  });

  it('allowMethods written as undefined sends no Allow-Methods', () => {
    expect(one(`${ESM}app.use(cors({ allowMethods: undefined }));`).methods).toMatchObject({ known: true, value: [] });
  });

  it('credentials: a function that always returns true is true; one that checks the request is unknown', () => {
    expect(one(`${ESM}app.use(cors({ credentials: () => true }));`).credentials).toMatchObject({ known: true, value: true });
    expect(one(`${ESM}app.use(cors({ credentials: (ctx) => ctx.path.startsWith('/api') }));`).credentials).toMatchObject({ known: false });
  });

  it('reports Express spellings with the Koa name', () => {
    const p = one(`${ESM}app.use(cors({ methods: 'GET', allowedHeaders: ['A'], exposedHeaders: ['B'], origins: '*', credential: true }));`);
    expect(p.unknownOptions.map((u) => [u.key, u.suggestion])).toEqual([
      ['methods', 'allowMethods'],
      ['allowedHeaders', 'allowHeaders'],
      ['exposedHeaders', 'exposeHeaders'],
      ['origins', 'origin'],
      ['credential', 'credentials'],
    ]);
  });

  it('follows options from another module', () => {
    const p = one("import cors from '@koa/cors';\nimport opts from './cors.js';\napp.use(cors(opts));", { modules: { './cors.js': "export default { origin: '*', credentials: true };" } });
    expect(entries(p.origins)).toEqual([{ kind: 'any' }]);
    expect(p.origins.loc.file).toBe('cors.js');
  });

  it('reports the port a Koa app listens on', () => {
    const { facts } = run(`${ESM}app.use(cors());\napp.listen(process.env.PORT || 3000);`);
    expect(facts).toEqual([expect.objectContaining({ kind: 'listen', data: { port: 3000, variable: 'PORT', framework: 'koa' } })]);
  });
});
