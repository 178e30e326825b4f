import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../src/extractors/express/index.js';
import { extractFastifyFromProgram, fastifyExtractor } from '../../src/extractors/fastify/index.js';
import type { OriginEntry, Policy, ProjectFact } from '../../src/model/index.js';
import { ParseError } from '../../src/model/index.js';
import { at, entries, memoryResolver, onlyPolicy } from '../support/js-extract.js';

/** Extract from one in-memory file (plus sibling modules by specifier). */
function run(src: string, opts: { file?: string; modules?: Record<string, string>; versions?: Record<string, string> } = {}): { policies: Policy[]; facts: ProjectFact[] } {
  const file = opts.file ?? 'app.js';
  const modules = opts.modules ?? {};
  const resolve = memoryResolver(modules);
  const r = extractFastifyFromProgram(parseProgram(src, file), file, resolve, { text: src, versionOf: (pkg) => opts.versions?.[pkg] });
  return { policies: r.policies, facts: r.facts ?? [] };
}

function one(src: string, opts: Parameters<typeof run>[1] = {}): Policy {
  return onlyPolicy(run(src, opts).policies);
}

const ESM = "import Fastify from 'fastify';\nimport cors from '@fastify/cors';\nconst app = Fastify();\n";

describe('fastify extractor: finding the plugin', () => {
  it('reads register(cors) with every default at the call', () => {
    const p = one(`${ESM}await app.register(cors);\n`);
    expect(p.framework).toBe('fastify');
    expect(at(p)).toBe('4:7');
    expect(p.origins).toEqual({ known: true, value: [{ kind: 'any', loc: p.loc }], loc: p.loc, isDefault: true });
    expect(p.originForm).toBe('single');
    expect(p.credentials).toMatchObject({ known: true, value: false, isDefault: true });
    expect(p.methods).toMatchObject({ known: true, value: ['GET', 'HEAD', 'POST'], isDefault: true });
    expect(p.allowHeaders).toMatchObject({ known: true, value: [], isDefault: true });
    expect(p.scope).toEqual({});
  });

  it.each([
    ["const cors = require('@fastify/cors');\nfastify.register(cors, { origin: true });", 'a required name'],
    ["fastify.register(require('@fastify/cors'), { origin: true });", 'require in place'],
    ["app.register(import('@fastify/cors'), { origin: true });", 'a dynamic import'],
    ["const c = await import('@fastify/cors');\napp.register(c.default, { origin: true });", 'the awaited namespace'],
    ["import { fastifyCors as fc } from '@fastify/cors';\napp.register(fc, { origin: true });", 'the named export'],
    ["import * as ns from '@fastify/cors';\napp.register(ns.default, { origin: true });", 'a namespace import'],
    ["const plugin = require('fastify-cors');\napp.register(plugin, { origin: true });", 'the package before v7'],
    ["import c from '@fastify/cors';\nexport default async function routes(fastify) { fastify.register(c, { origin: true }); }", 'inside a plugin'],
  ])('recognises %s (%s)', (src) => {
    const p = one(src);
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
  });

  it('records fastify-cors as the package', () => {
    const p = one("const plugin = require('fastify-cors');\napp.register(plugin);");
    expect(p.extra?.package).toMatchObject({ known: true, value: 'fastify-cors' });
  });

  it('ignores other plugins and a local function called cors', () => {
    expect(run("import helmet from '@fastify/helmet';\napp.register(helmet, { origin: true });").policies).toEqual([]);
    expect(run('function cors(app, opts, done) { done(); }\napp.register(cors, { origin: true });').policies).toEqual([]);
  });

  it('takes the version the project pins', () => {
    expect(one(`${ESM}app.register(cors);`, { versions: { '@fastify/cors': '10.0.1' } }).version).toBe('10.0.1');
  });

  it('throws ParseError for a file that does not parse', () => {
    expect(() => fastifyExtractor.extract({ path: 'a.js', absPath: '/x/a.js', text: "import cors from '@fastify/cors';\napp.register(cors, {" }, { root: '/x', readFile: () => undefined, displayPath: (p) => p })).toThrow(ParseError);
  });

  it('sniffs only files that name the plugin', () => {
    expect(fastifyExtractor.sniff("import cors from '@fastify/cors'")).toBe(true);
    expect(fastifyExtractor.sniff("import cors from 'cors'")).toBe(false);
  });
});

describe('fastify extractor: options', () => {
  it('reads origin forms as written', () => {
    expect(entries(one(`${ESM}app.register(cors, { origin: '*' });`).origins)).toEqual([{ kind: 'any' }]);
    const fixed = one(`${ESM}app.register(cors, { origin: 'https://a.example' });`);
    expect(entries(fixed.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example' }]);
    expect(fixed.originForm).toBe('single');
    const list = one(`${ESM}app.register(cors, { origin: ['https://a.example', /^https:\\/\\/b\\.example$/, '*'] });`);
    expect(entries(list.origins)).toEqual([
      { kind: 'exact', origin: 'https://a.example' },
      { kind: 'regex', source: '^https:\\/\\/b\\.example$', flags: '', flavor: 'js' },
      { kind: 'exact', origin: '*' },
    ]);
    expect(list.originForm).toBe('list');
  });

  it("treats origin: false as CORS off and other falsy values as the plugin's error", () => {
    const off = one(`${ESM}app.register(cors, { origin: false });`);
    expect(entries(off.origins)).toEqual([{ kind: 'none' }]);
    expect(off.extra?.originError).toBeUndefined();
    const empty = one(`${ESM}app.register(cors, { origin: '' });`);
    expect(empty.extra?.originError).toMatchObject({ known: true, value: 'string' });
    const undef = one(`${ESM}app.register(cors, { origin: undefined });`);
    expect(undef.extra?.originError).toMatchObject({ known: true, value: 'undefined' });
  });

  it('credentials is any truthy value', () => {
    expect(one(`${ESM}app.register(cors, { credentials: 'yes' });`).credentials).toMatchObject({ known: true, value: true });
    expect(one(`${ESM}app.register(cors, { credentials: 0 });`).credentials).toMatchObject({ known: true, value: false });
  });

  it('reads lists and records which were arrays (sent joined with ", ")', () => {
    const p = one(`${ESM}app.register(cors, { origin: 'https://a.example', methods: ['GET', 'PUT'], allowedHeaders: 'A,B', exposedHeaders: null, maxAge: 600 });`);
    expect(p.methods).toMatchObject({ known: true, value: ['GET', 'PUT'] });
    expect(p.allowHeaders).toMatchObject({ known: true, value: ['A', 'B'] });
    expect(p.exposeHeaders).toMatchObject({ known: true, value: [], isDefault: true });
    expect(p.maxAge).toMatchObject({ known: true, value: 600 });
    expect(p.extra?.arrayLists).toMatchObject({ known: true, value: ['methods'] });
  });

  it('reads the preflight switches and the hook', () => {
    const p = one(`${ESM}app.register(cors, { preflight: false, strictPreflight: false, preflightContinue: true, optionsSuccessStatus: 200, hook: 'preHandler' });`);
    expect(p.extra?.preflight).toMatchObject({ value: false });
    expect(p.extra?.strictPreflight).toMatchObject({ value: false });
    expect(p.extra?.preflightContinue).toMatchObject({ value: true });
    expect(p.extra?.optionsSuccessStatus).toMatchObject({ value: 200 });
    expect(p.extra?.hook).toMatchObject({ known: true, value: 'preHandler' });
    const bad = one(`${ESM}app.register(cors, { hook: 'onSend' });`);
    expect(bad.extra?.hook).toMatchObject({ known: false });
    expect((bad.extra?.hook as { reason: string }).reason).toMatch(/invalid hook 'onSend'/);
  });

  it('reports unknown keys with a suggestion, and accepts register options', () => {
    const p = one(`${ESM}app.register(cors, {\n  origins: ['https://a.example'],\n  headers: ['X'],\n  allowMethods: 'GET',\n  strictPreflght: true,\n  prefix: '/api',\n  logLevel: 'warn',\n});`);
    expect(p.unknownOptions.map((u) => [u.key, u.suggestion, at(u)])).toEqual([
      ['origins', 'origin', '5:3'],
      ['headers', 'allowedHeaders', '6:3'],
      ['allowMethods', 'methods', '7:3'],
      ['strictPreflght', 'strictPreflight', '8:3'],
    ]);
    expect(p.origins).toMatchObject({ isDefault: true });
  });

  it('follows variables, spreads and modules', () => {
    const p = one(`${ESM}import { base } from './base.js';\nconst opts = { ...base, credentials: true };\napp.register(cors, opts);`, {
      modules: { './base.js': "export const base = { origin: true, maxAge: 60 };\n" },
    });
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
    expect(p.origins.loc.file).toBe('base.js');
    expect(p.credentials).toMatchObject({ known: true, value: true });
    expect(p.maxAge).toMatchObject({ value: 60 });
  });

  it('keeps the written fallback of an environment origin', () => {
    const p = one(`${ESM}app.register(cors, { origin: process.env.CORS_ORIGIN || '*', credentials: true });`);
    expect(entries(p.origins)).toEqual({ unknown: 'process.env.CORS_ORIGIN', fallback: [{ kind: 'any' }], variable: 'CORS_ORIGIN' });
    const none = one(`${ESM}app.register(cors, { origin: process.env.CORS_ORIGIN });`);
    expect(none.origins).toMatchObject({ known: false });
    expect((none.origins as { fallback?: unknown }).fallback).toBeUndefined();
  });

  it('reads an options function by what it returns', () => {
    const p = one(`${ESM}app.register(cors, (instance) => ({ origin: 'https://a.example', credentials: true }));`);
    expect(entries(p.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example' }]);
    expect(p.credentials).toMatchObject({ value: true });
  });
});

describe('fastify extractor: origin functions', () => {
  it('a callback that always allows is reflection; the function marks Vary', () => {
    const p = one(`${ESM}app.register(cors, { origin: (origin, cb) => cb(null, true), credentials: true });`);
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
    expect(p.extra?.originFunction).toMatchObject({ value: true });
    expect(p.extra?.originIsFunction).toMatchObject({ value: true });
  });

  it('a callback after an allowlist check is that allowlist', () => {
    const p = one(`${ESM}const allowed = ['https://a.example', 'https://b.example'];\napp.register(cors, { origin: (origin, cb) => {\n  if (allowed.includes(origin)) { cb(null, true); return; }\n  cb(new Error('no'), false);\n} });`);
    expect(entries(p.origins)).toEqual([
      { kind: 'exact', origin: 'https://a.example' },
      { kind: 'exact', origin: 'https://b.example' },
    ]);
  });

  it('an async function is read through its returns', () => {
    const p = one(`${ESM}const ok = new Set(['https://a.example']);\napp.register(cors, { origin: async (origin) => ok.has(origin) });`);
    expect(entries(p.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example' }]);
    const all = one(`${ESM}app.register(cors, { origin: async (origin) => origin });`);
    expect(entries(all.origins)).toEqual([{ kind: 'reflect' }]);
  });

  it('an undecidable check is a predicate, never a guess', () => {
    const p = one(`${ESM}app.register(cors, { origin: async (origin) => await db.isAllowed(origin) });`);
    expect((p.origins as { value: OriginEntry[] }).value[0]!.kind).toBe('predicate');
  });
});

describe('fastify extractor: delegators', () => {
  it('register(cors, () => delegate) with the same options everywhere', () => {
    const p = one(`${ESM}app.register(cors, () => (req, callback) => {\n  callback(null, { origin: true, credentials: true });\n});`);
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
    expect(p.credentials).toMatchObject({ value: true });
    expect(p.extra?.dynamic).toMatchObject({ value: true });
  });

  it('the README pattern is an allowlist', () => {
    const p = one(
      `${ESM}const allowed = ['https://a.example'];\nconst delegate = (req, cb) => {\n  let o;\n  if (allowed.includes(req.headers.origin)) o = { origin: true, credentials: true };\n  else o = { origin: false };\n  cb(null, o);\n};\napp.register(cors, () => delegate);`,
    );
    expect(entries(p.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example' }]);
    expect(p.extra?.originFunction).toMatchObject({ value: true });
    expect(p.credentials).toMatchObject({ value: true });
  });

  it('the delegator option ignores the other options but hook', () => {
    const p = one(`${ESM}app.register(cors, { delegator: async () => ({ origin: 'https://a.example' }), credentials: true, hook: 'preHandler' });`);
    expect(entries(p.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example' }]);
    expect(p.credentials).toMatchObject({ value: false, isDefault: true });
    expect(p.extra?.hook).toMatchObject({ value: 'preHandler' });
  });

  it('a one-parameter delegator that returns no promise is unknown', () => {
    const p = one(`${ESM}app.register(cors, () => (req) => ({ origin: true }));`);
    expect(p.origins).toMatchObject({ known: false });
  });
});

describe('fastify extractor: listen facts', () => {
  it('reports the port of the instance that is started', () => {
    const { facts } = run(`${ESM}app.register(cors);\napp.listen({ port: Number(process.env.PORT) || 8080, host: '0.0.0.0' });`);
    expect(facts).toEqual([expect.objectContaining({ kind: 'listen', data: { port: 8080, variable: 'PORT', framework: 'fastify' } })]);
  });
});
