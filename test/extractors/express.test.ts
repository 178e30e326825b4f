import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expressExtractor, extractFromProgram, parseProgram, resolveRelative } from '../../src/extractors/express/index.js';
import type { EmittedHeader, Policy, ProjectFact } from '../../src/model/index.js';
import { ParseError } from '../../src/model/index.js';
import { at, entries, memoryResolver, onlyPolicy } from '../support/js-extract.js';

/** Extract from one in-memory file (plus optional sibling modules, by specifier). */
function run(src: string, file = 'app.js', modules: Record<string, string> = {}): { policies: Policy[]; facts: ProjectFact[] } {
  const resolve = memoryResolver(modules);
  const r = extractFromProgram(parseProgram(src, file), file, resolve, { text: src });
  return { policies: r.policies, facts: r.facts ?? [] };
}

function one(src: string, file = 'app.js', modules: Record<string, string> = {}): Policy {
  return onlyPolicy(run(src, file, modules).policies);
}

const PRELUDE = "const express = require('express');\nconst cors = require('cors');\nconst app = express();\n";

describe('express extractor: cors() calls', () => {
  it('fills every default with isDefault at the call', () => {
    const p = one(`${PRELUDE}app.use(cors());\n`);
    expect(p.framework).toBe('express');
    expect(p.loc).toMatchObject({ file: 'app.js', line: 4, column: 9, endLine: 4, endColumn: 15 });
    expect(p.origins).toEqual({ known: true, value: [{ kind: 'any', loc: p.loc }], loc: p.loc, isDefault: true });
    expect(p.originForm).toBe('single');
    expect(p.credentials).toEqual({ known: true, value: false, loc: p.loc, isDefault: true });
    expect(p.methods).toMatchObject({ known: true, value: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'], isDefault: true });
    expect(p.allowHeaders).toMatchObject({ known: true, value: [], isDefault: true });
    expect(p.exposeHeaders).toMatchObject({ known: true, value: [], isDefault: true });
    expect(p.maxAge).toMatchObject({ known: true, value: null, isDefault: true });
    expect(p.unknownOptions).toEqual([]);
    expect(p.scope).toEqual({});
  });

  it('reads origin: true with credentials, each value at its own location', () => {
    const p = one(`${PRELUDE}app.use(cors({\n  origin: true,\n  credentials: true,\n}));\n`);
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
    expect(p.originForm).toBe('list');
    expect(at(p.origins)).toBe('5:11');
    expect(p.origins.known && at(p.origins.value[0]!)).toBe('5:11');
    expect(p.credentials).toMatchObject({ known: true, value: true });
    expect(at(p.credentials)).toBe('6:16');
  });

  it('tells a string origin (single) from lists, regexes and false', () => {
    const origin = (o: string) => one(`${PRELUDE}app.use(cors({ origin: ${o} }));`);
    expect(entries(origin("'https://app.example.com'").origins)).toEqual([{ kind: 'exact', origin: 'https://app.example.com' }]);
    expect(origin("'https://app.example.com'").originForm).toBe('single');
    expect(entries(origin("'*'").origins)).toEqual([{ kind: 'any' }]);
    expect(origin("'*'").originForm).toBe('single');
    expect(entries(origin('false').origins)).toEqual([{ kind: 'none' }]);
    expect(entries(origin('undefined').origins)).toEqual([{ kind: 'none' }]);
    // '*' inside an array is a plain string compared with ===.
    expect(entries(origin("['*']").origins)).toEqual([{ kind: 'exact', origin: '*' }]);
    expect(origin("['*']").originForm).toBe('list');
    expect(entries(origin('[]').origins)).toEqual([]);
    expect(entries(origin("[/^https:\\/\\/a\\.example\\.com$/i, 'https://b.example.com', true]").origins)).toEqual([
      { kind: 'regex', source: '^https:\\/\\/a\\.example\\.com$', flags: 'i', flavor: 'js' },
      { kind: 'exact', origin: 'https://b.example.com' },
      { kind: 'reflect' },
    ]);
  });

  it("models the regex new RegExp('...') really builds (string escapes already applied)", () => {
    // In source: '^https://app\.example\.com$' — '\.' is just '.' in a JS string.
    const lost = one(`${PRELUDE}app.use(cors({ origin: new RegExp('^https://app\\.example\\.com$') }));`);
    expect(entries(lost.origins)).toEqual([{ kind: 'regex', source: '^https://app.example.com$', flags: '', flavor: 'js' }]);
    const kept = one(`${PRELUDE}const re = new RegExp('^https://app\\\\.example\\\\.com$', 'i');\napp.use(cors({ origin: re }));`);
    expect(entries(kept.origins)).toEqual([{ kind: 'regex', source: '^https://app\\.example\\.com$', flags: 'i', flavor: 'js' }]);
  });

  it('reports unknown options at the key, with a suggestion', () => {
    const p = one(`${PRELUDE}app.use(cors({ origins: ['https://a.example.com'], credential: true, allowHeaders: ['X'], exposeHeaders: ['Y'], method: 'GET', zzz: 1 }));`);
    expect(p.unknownOptions.map((u) => [u.key, u.suggestion, at(u)])).toEqual([
      ['origins', 'origin', '4:16'],
      ['credential', 'credentials', '4:52'],
      ['allowHeaders', 'allowedHeaders', '4:70'],
      ['exposeHeaders', 'exposedHeaders', '4:91'],
      ['method', 'methods', '4:113'],
      ['zzz', undefined, '4:128'],
    ]);
    // The misspelled keys are ignored: the defaults apply.
    expect(p.origins).toMatchObject({ known: true, isDefault: true });
    expect(p.credentials).toMatchObject({ known: true, value: false, isDefault: true });
  });

  it('reads every known option', () => {
    const p = one(
      `${PRELUDE}app.use(cors({ origin: 'https://a.example.com', methods: 'GET,POST', headers: ['Content-Type'], exposedHeaders: 'X-Id', maxAge: 0, preflightContinue: true, optionsSuccessStatus: 200 }));`,
    );
    expect(p.methods).toMatchObject({ known: true, value: ['GET', 'POST'] });
    // `headers` is the alias of allowedHeaders.
    expect(p.allowHeaders).toMatchObject({ known: true, value: ['Content-Type'] });
    expect(p.allowHeaders.known && p.allowHeaders.isDefault).toBeFalsy();
    expect(p.exposeHeaders).toMatchObject({ known: true, value: ['X-Id'] });
    expect(p.maxAge).toMatchObject({ known: true, value: 0 });
    expect(p.extra?.preflightContinue).toMatchObject({ known: true, value: true });
    expect(p.extra?.optionsSuccessStatus).toMatchObject({ known: true, value: 200 });
    expect(p.unknownOptions).toEqual([]);
  });

  it('follows const/let, spread and Object.assign', () => {
    const p = one(`${PRELUDE}const base = { origin: true, maxAge: 600 };\nlet opts = { ...base, credentials: true };\napp.use(cors(opts));`);
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
    expect(at(p.origins)).toBe('4:24');
    expect(p.credentials).toMatchObject({ known: true, value: true });
    expect(p.maxAge).toMatchObject({ known: true, value: 600 });
    const q = one(`${PRELUDE}const o = Object.assign({}, { origin: 'https://a.example.com' }, { credentials: true });\napp.use(cors(o));`);
    expect(entries(q.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example.com' }]);
    expect(q.credentials).toMatchObject({ known: true, value: true });
    // A later key overrides the spread one; an unknown spread after it hides it.
    const r = one(`${PRELUDE}app.use(cors({ origin: true, ...req.body }));`);
    expect(r.origins.known).toBe(false);
  });

  it('does not trust a value that is reassigned or mutated later', () => {
    const p = one(`${PRELUDE}let o = 'https://a.example.com';\nif (x) o = true;\napp.use(cors({ origin: o }));`);
    expect(p.origins.known).toBe(false);
    const q = one(`${PRELUDE}const opts = { origin: 'https://a.example.com' };\nopts.origin = true;\napp.use(cors(opts));`);
    expect(q.origins.known).toBe(false);
  });

  it('binds cors under any local name', () => {
    const forms = [
      "import allow from 'cors';\nexport default allow({ origin: true });",
      "import * as allow from 'cors';\nexport default allow({ origin: true });",
      "import { default as allow } from 'cors';\nexport default allow({ origin: true });",
      "const allow = require('cors');\nmodule.exports = allow({ origin: true });",
      "module.exports = require('cors')({ origin: true });",
      "const { default: allow } = { default: require('cors') };\nmodule.exports = allow({ origin: true });",
    ];
    for (const f of forms) expect(entries(one(f).origins), f).toEqual([{ kind: 'reflect' }]);
    expect(entries(one("import cors = require('cors');\nexport default cors({ origin: true });", 'app.ts').origins)).toEqual([{ kind: 'reflect' }]);
    // A local function that happens to be called cors is not the package.
    expect(run('function cors(o) { return o; }\ncors({ origin: true });').policies).toEqual([]);
  });
});

describe('express extractor: environment values', () => {
  it('keeps process.env unknown, with the written fallback', () => {
    const o = (expr: string) => one(`${PRELUDE}app.use(cors({ origin: ${expr}, credentials: true }));`);
    expect(entries(o('process.env.CORS_ORIGIN').origins)).toEqual({ unknown: 'process.env.CORS_ORIGIN', fallback: undefined, variable: 'CORS_ORIGIN' });
    expect(entries(o("process.env.CORS_ORIGIN || '*'").origins)).toEqual({ unknown: 'process.env.CORS_ORIGIN', fallback: [{ kind: 'any' }], variable: 'CORS_ORIGIN' });
    expect(o("process.env.CORS_ORIGIN || '*'").originForm).toBe('single');
    expect(entries(o('process.env.CORS_ORIGIN ?? true').origins)).toEqual({ unknown: 'process.env.CORS_ORIGIN', fallback: [{ kind: 'reflect' }], variable: 'CORS_ORIGIN' });
    expect(o('process.env.CORS_ORIGIN ?? true').originForm).toBe('list');
    expect(entries(o("process.env['ORIGIN'] || 'https://a.example.com'").origins)).toMatchObject({ fallback: [{ kind: 'exact', origin: 'https://a.example.com' }], variable: 'ORIGIN' });
  });

  it('treats .split of an env value as an unknown list (fallback only when one is written)', () => {
    const o = (expr: string) => one(`${PRELUDE}app.use(cors({ origin: ${expr} }));`).origins;
    expect(entries(o("process.env.ORIGINS.split(',')"))).toEqual({ unknown: 'process.env.ORIGINS', fallback: undefined, variable: 'ORIGINS' });
    expect(entries(o("(process.env.ORIGINS || 'https://a.example.com,https://b.example.com').split(',').map((s) => s.trim())"))).toMatchObject({
      fallback: [
        { kind: 'exact', origin: 'https://a.example.com' },
        { kind: 'exact', origin: 'https://b.example.com' },
      ],
    });
    expect(entries(o("process.env.ORIGINS?.split(',') ?? ['https://a.example.com']"))).toMatchObject({ fallback: [{ kind: 'exact', origin: 'https://a.example.com' }] });
  });

  it('computes what a comparison with an env value gives when it is unset', () => {
    const p = one(`${PRELUDE}const { CORS_CREDENTIALS } = process.env;\napp.use(cors({ origin: 'https://a.example.com', credentials: CORS_CREDENTIALS === 'true' }));`);
    expect(p.credentials).toMatchObject({ known: false, fallback: false, variable: 'CORS_CREDENTIALS' });
    const q = one(`${PRELUDE}app.use(cors({ origin: process.env.NODE_ENV === 'production' ? ['https://a.example.com'] : true }));`);
    expect(entries(q.origins)).toMatchObject({ fallback: [{ kind: 'reflect' }], variable: 'NODE_ENV' });
  });
});

describe('express extractor: options from other modules', () => {
  it('reads module.exports, exports.x and ES module exports of relative modules', () => {
    const cjs = one("const cors = require('cors');\nconst opts = require('./cors');\nmodule.exports = cors(opts);", 'app.js', {
      './cors': "module.exports = {\n  origin: true,\n  credentials: true,\n};",
    });
    expect(entries(cjs.origins)).toEqual([{ kind: 'reflect' }]);
    expect(cjs.origins.loc).toMatchObject({ file: 'cors', line: 2, column: 11 });
    const prop = one("const cors = require('cors');\nconst { corsOptions } = require('./cfg');\nmodule.exports = cors(corsOptions);", 'app.js', {
      './cfg': "exports.corsOptions = { origin: '*' };\nexports.port = 1;",
    });
    expect(entries(prop.origins)).toEqual([{ kind: 'any' }]);
    const esm = one("import cors from 'cors';\nimport { corsOptions } from './cfg';\nexport default cors(corsOptions);", 'app.js', {
      './cfg': "import list from './list';\nexport const corsOptions = { origin: list, credentials: true };",
      './list': "export default ['https://a.example.com'];",
    });
    expect(entries(esm.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example.com' }]);
    expect(esm.origins.known && esm.origins.value[0]!.loc.file).toBe('list');
    const reexport = one("import cors from 'cors';\nimport * as cfg from './index';\nexport default cors(cfg.options);", 'app.js', {
      './index': "export { corsOptions as options } from './cfg';",
      './cfg': 'export const corsOptions = { origin: false };',
    });
    expect(entries(reexport.origins)).toEqual([{ kind: 'none' }]);
  });

  it('leaves options from packages or missing files unknown', () => {
    const p = one("const cors = require('cors');\nconst config = require('config');\nmodule.exports = cors(config.get('cors'));");
    expect(p.origins.known).toBe(false);
    expect(p.credentials.known).toBe(false);
    const q = one("const cors = require('cors');\nmodule.exports = cors(require('./missing'));");
    expect(q.origins.known).toBe(false);
  });

  it('resolves specifiers like Node and TypeScript', () => {
    const files = new Set(['/r/config/cors.ts', '/r/lib/index.js', '/r/a.cjs']);
    const exists = (p: string) => files.has(p);
    expect(resolveRelative('/r/app.js', './config/cors', exists)).toBe('/r/config/cors.ts');
    expect(resolveRelative('/r/app.js', './config/cors.js', exists)).toBe('/r/config/cors.ts');
    expect(resolveRelative('/r/app.js', './lib', exists)).toBe('/r/lib/index.js');
    expect(resolveRelative('/r/app.js', './a.cjs', exists)).toBe('/r/a.cjs');
    expect(resolveRelative('/r/app.js', 'cors', exists)).toBeUndefined();
  });
});

describe('express extractor: origin functions and delegates', () => {
  const fn = (body: string, pre = '') => one(`${PRELUDE}${pre}app.use(cors({ origin: ${body}, credentials: true }));`);

  it('calls every-path-allows reflection', () => {
    expect(entries(fn('(origin, cb) => cb(null, true)').origins)).toEqual([{ kind: 'reflect' }]);
    expect(entries(fn('function (origin, callback) { callback(null, origin); }').origins)).toEqual([{ kind: 'reflect' }]);
    expect(entries(fn('(o, cb) => { if (!o) return cb(null, true); cb(null, true); }').origins)).toEqual([{ kind: 'reflect' }]);
  });

  it('reads membership tests and comparisons as the allowlist they encode', () => {
    const pre = "const allowed = ['https://a.example.com', 'https://b.example.com'];\n";
    const cases = [
      "(origin, cb) => { if (!origin || allowed.indexOf(origin) !== -1) cb(null, true); else cb(new Error('no')); }",
      '(origin, cb) => cb(null, allowed.includes(origin))',
      "(origin, cb) => { if (allowed.indexOf(origin) === -1) return cb(new Error('no'), false); return cb(null, true); }",
      '(origin, cb) => cb(null, new Set(allowed).has(origin) ? origin : false)',
      "(origin, cb) => { if (origin === 'https://a.example.com' || 'https://b.example.com' === origin) { cb(null, true) } else { cb(null, false) } }",
      "(origin, cb) => { switch (origin) { case 'https://a.example.com': case 'https://b.example.com': return cb(null, true); default: return cb(null, false); } }",
      '(origin, cb) => { let ok = false; if (allowed.some((o) => o === origin)) ok = true; cb(null, ok); }',
    ];
    for (const c of cases) {
      const p = fn(c, pre);
      expect(entries(p.origins), c).toEqual([
        { kind: 'exact', origin: 'https://a.example.com' },
        { kind: 'exact', origin: 'https://b.example.com' },
      ]);
      expect(p.extra?.originFunction, c).toMatchObject({ known: true, value: true });
    }
    // The entries point at the literals of the list.
    const p = fn(cases[1]!, pre);
    expect(p.origins.known && p.origins.value.map(at)).toEqual(['4:18', '4:43']);
  });

  it('reads regex tests as regex entries', () => {
    const p = fn('(origin, cb) => cb(null, /^https:\\/\\/([a-z]+\\.)?example\\.com$/.test(origin))');
    expect(entries(p.origins)).toEqual([{ kind: 'regex', source: '^https:\\/\\/([a-z]+\\.)?example\\.com$', flags: '', flavor: 'js' }]);
    const q = fn("(origin, cb) => { if (origin && (origin.match(/\\.example\\.com$/) || origin === 'https://x.org')) cb(null, true); else cb(null, false); }");
    expect(entries(q.origins)).toEqual([
      { kind: 'exact', origin: 'https://x.org' },
      { kind: 'regex', source: '\\.example\\.com$', flags: '', flavor: 'js' },
    ]);
  });

  it('gives up with a predicate for anything else, never a guess', () => {
    const helper = fn("(origin, cb) => cb(null, isTrusted(origin))", "import { isTrusted } from 'auth-lib';\n");
    expect(entries(helper.origins)).toEqual([{ kind: 'predicate', description: 'isTrusted(origin)' }]);
    const db = fn('async (origin, cb) => { const ok = await db.isAllowed(origin); cb(null, ok); }');
    expect(db.origins.known && db.origins.value[0]!.kind).toBe('predicate');
    const passed = fn('(origin, cb) => check(origin, cb)');
    expect(passed.origins.known && passed.origins.value[0]!.kind).toBe('predicate');
    const loop = fn("(origin, cb) => { for (const o of list) { if (o === origin) return cb(null, true); } cb(new Error('x')); }");
    expect(loop.origins.known && loop.origins.value[0]!.kind).toBe('predicate');
  });

  it('reads a blocklist as the negated check it is', () => {
    const blocklist = fn("(origin, cb) => cb(null, origin !== 'https://blocked.example')");
    expect(entries(blocklist.origins)).toEqual([
      { kind: 'check', test: { op: 'not', arg: { op: 'equals', value: 'https://blocked.example' } }, description: "origin !== 'https://blocked.example'" },
    ]);
  });

  it('resolves a check that depends on the environment through its unset value', () => {
    const p = fn("(origin, cb) => { if (process.env.NODE_ENV !== 'production') return cb(null, true); cb(null, ['https://a.example.com'].includes(origin)); }");
    expect(entries(p.origins)).toMatchObject({ fallback: [{ kind: 'reflect' }], variable: 'NODE_ENV' });
  });

  it('reads a constant options delegate as its options', () => {
    const p = one(`${PRELUDE}app.use(cors((req, callback) => callback(null, { origin: true, credentials: true })));`);
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
    expect(p.credentials).toMatchObject({ known: true, value: true });
    const d = one(`${PRELUDE}app.use(cors((req, cb) => cb(null)));`);
    expect(d.origins).toMatchObject({ known: true, isDefault: true });
  });

  it("reads the README delegate (origin: true only for listed origins) as that allowlist", () => {
    const p = one(
      `${PRELUDE}const allowlist = ['https://a.example.com'];\nfunction delegate(req, callback) {\n  let corsOptions;\n  if (allowlist.indexOf(req.header('Origin')) !== -1) corsOptions = { origin: true, credentials: true };\n  else corsOptions = { origin: false };\n  callback(null, corsOptions);\n}\napp.use(cors(delegate));`,
    );
    expect(entries(p.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example.com' }]);
    expect(p.credentials).toMatchObject({ known: true, value: true });
    expect(p.extra?.originFunction).toMatchObject({ known: true, value: true });
  });
});

describe('express extractor: scope', () => {
  it('records the route path and methods of per-route middleware', () => {
    const { policies } = run(
      `${PRELUDE}app.get('/x', cors(), h);\nconst mw = cors({ origin: true });\napp.options('*', mw);\napp.use(mw);\napp.route('/r').post(cors({ origin: false }), h);\napp.use('/api', cors());\nexport const unused = cors();`,
    );
    expect(policies.map((p) => p.scope)).toEqual([
      { paths: ['/x'], methods: ['GET', 'HEAD'] },
      {},
      { paths: ['/r'], methods: ['POST'] },
      { paths: ['/api'] },
      {},
    ]);
  });
});

describe('express extractor: hand-written headers', () => {
  const header = (p: Policy, name: string): EmittedHeader | undefined => p.headers.find((h) => h.name === name);

  it('reflects an unguarded request Origin, located at the ACAO call', () => {
    const p = one(
      "app.use((req, res, next) => {\n  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n  res.setHeader('Access-Control-Allow-Credentials', 'true');\n  next();\n});",
    );
    expect(p.framework).toBe('manual-headers');
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
    expect(p.loc).toMatchObject({ line: 2, column: 3, endLine: 2, endColumn: 67 });
    expect(p.credentials).toMatchObject({ known: true, value: true, loc: { line: 3 } });
    expect(p.headers.map((h) => h.name)).toEqual(['access-control-allow-origin', 'access-control-allow-credentials']);
  });

  it('reads every way to name the Origin, and header names in any case', () => {
    const forms = ["req.get('Origin')", "req.header('origin')", "req.headers['origin']", 'origin'];
    for (const f of forms) {
      const p = one(`app.use((req, res, next) => {\n  const { origin } = req.headers;\n  res.set('access-control-allow-origin', ${f});\n  next();\n});`);
      expect(entries(p.origins), f).toEqual([{ kind: 'reflect' }]);
    }
  });

  it('is not reflection for req.header.origin (a property of a function)', () => {
    const viaHeader = one("app.use((req, res, next) => { res.header('Access-Control-Allow-Origin', req.header.origin); next(); });");
    // Express writes String(undefined).
    expect(entries(viaHeader.origins)).toEqual([{ kind: 'exact', origin: 'undefined' }]);
    expect(viaHeader.originForm).toBe('single');
    const capital = one("app.use((req, res, next) => { res.header('Access-Control-Allow-Origin', req.headers.Origin); next(); });");
    expect(entries(capital.origins)).toEqual([{ kind: 'exact', origin: 'undefined' }]);
    // Node's setHeader throws on undefined: no answer to model.
    const thrown = one("app.use((req, res, next) => { res.setHeader('Access-Control-Allow-Origin', req.header.origin); next(); });");
    expect(thrown.origins.known && thrown.origins.value[0]!.kind).toBe('predicate');
  });

  it('reads a guard as the allowlist, and what is written inside it', () => {
    const p = one(
      "const allowed = ['https://a.example.com'];\napp.use((req, res, next) => {\n  const origin = req.headers.origin;\n  if (allowed.includes(origin)) {\n    res.setHeader('Access-Control-Allow-Origin', origin);\n    res.setHeader('Access-Control-Allow-Credentials', 'true');\n    res.vary('Origin');\n  }\n  if (req.method === 'OPTIONS') {\n    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');\n    return res.sendStatus(204);\n  }\n  res.setHeader('Access-Control-Expose-Headers', 'X-Id');\n  next();\n});",
    );
    expect(entries(p.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example.com' }]);
    expect(p.originForm).toBe('list');
    expect(header(p, 'access-control-allow-credentials')).toMatchObject({ value: { known: true, value: 'true' }, onlyIfOriginAllowed: true });
    expect(header(p, 'access-control-allow-credentials')?.onlyOnPreflight).toBeUndefined();
    expect(header(p, 'vary')).toMatchObject({ value: { known: true, value: 'Origin' }, onlyIfOriginAllowed: true, append: true });
    expect(header(p, 'access-control-allow-methods')).toMatchObject({ value: { known: true, value: 'GET, POST' }, onlyOnPreflight: true });
    // Written after the early return for OPTIONS: actual requests only.
    expect(header(p, 'access-control-expose-headers')).toMatchObject({ value: { known: true, value: 'X-Id' }, notOnPreflight: true });
    expect(header(p, 'access-control-expose-headers')?.onlyIfOriginAllowed).toBeUndefined();
    expect(p.methods).toMatchObject({ known: true, value: ['GET', 'POST'] });
    expect(p.exposeHeaders).toMatchObject({ known: true, value: ['X-Id'] });
  });

  it('reads literal comparisons and ternaries as guards', () => {
    const eq = one(
      "app.get('/d', (req, res) => {\n  if (req.headers.origin === 'https://a.example.com') res.header('Access-Control-Allow-Origin', req.headers.origin);\n  res.json({});\n});",
    );
    expect(entries(eq.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example.com' }]);
    expect(eq.scope).toEqual({ paths: ['/d'], methods: ['GET', 'HEAD'] });
    const fixedInGuard = one(
      "app.use((req, res, next) => { if (req.get('origin') === 'https://a.example.com') res.set('Access-Control-Allow-Origin', 'https://a.example.com'); next(); });",
    );
    expect(entries(fixedInGuard.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example.com' }]);
    const ternary = one(
      "const ok = ['https://a.example.com'];\napp.use((req, res, next) => { const o = req.headers.origin; res.setHeader('Access-Control-Allow-Origin', ok.includes(o) ? o : ''); next(); });",
    );
    expect(entries(ternary.origins)).toEqual([
      { kind: 'predicate', description: 'a custom origin check' },
    ]);
  });

  it('reads object forms: res.set({...}) and writeHead', () => {
    const set = one("app.use((req, res, next) => { res.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Max-Age': '600' }); next(); });");
    expect(entries(set.origins)).toEqual([{ kind: 'any' }]);
    expect(set.originForm).toBe('single');
    expect(set.maxAge).toMatchObject({ known: true, value: 600 });
    const wh = one(
      "const h = { 'access-control-allow-origin': 'https://a.example.com', 'Access-Control-Allow-Credentials': 'true' };\nhttp.createServer((req, res) => { res.writeHead(200, 'OK', h); res.end(); });",
    );
    expect(entries(wh.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example.com' }]);
    expect(wh.credentials).toMatchObject({ known: true, value: true });
  });

  it('emits one policy per handler and none for handlers without CORS headers', () => {
    const { policies } = run(
      "app.use((req, res, next) => { res.setHeader('X-Frame-Options', 'DENY'); next(); });\napp.get('/a', (req, res) => { res.setHeader('Access-Control-Allow-Origin', '*'); res.end(); });\napp.get('/b', (req, res) => { res.append('Access-Control-Allow-Methods', 'GET'); res.end(); });",
    );
    expect(policies.map((p) => [p.framework, p.loc.line])).toEqual([
      ['manual-headers', 2],
      ['manual-headers', 3],
    ]);
    expect(policies[1]!.origins).toMatchObject({ known: true, value: [] });
  });
});

describe('express extractor: listen facts', () => {
  it('records the port, or the fallback of PORT', () => {
    const { facts } = run(`${PRELUDE}app.listen(3000);\nconst server = require('http').createServer(app);\nserver.listen(process.env.PORT || 8080);\nrouter.listen(1);`);
    expect(facts.map((f) => [f.kind, f.data])).toEqual([
      ['listen', { port: 3000, framework: 'express' }],
      ['listen', { port: 8080, framework: 'express', variable: 'PORT' }],
    ]);
  });
});

describe('express extractor: parsing', () => {
  it('throws ParseError at the location of a syntax error', () => {
    let err: unknown;
    try {
      run("const cors = require('cors');\nconst o = { origin: true,, };\n");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).loc).toMatchObject({ file: 'app.js', line: 2, column: 26 });
  });

  it('parses TypeScript (with and without JSX) and JSX', () => {
    expect(entries(one("import cors from 'cors';\nconst o = <any>{ origin: true };\nexport default cors(o as any);", 'a.ts').origins)).toEqual([{ kind: 'reflect' }]);
    expect(entries(one("import cors from 'cors';\nconst el = <div />;\nexport default cors({ origin: true } satisfies object);", 'a.tsx').origins)).toEqual([{ kind: 'reflect' }]);
    expect(entries(one("import cors from 'cors';\nconst el = <div>{x}</div>;\nexport default cors({ origin: true });", 'a.jsx').origins)).toEqual([{ kind: 'reflect' }]);
  });

  it('sniffs cheaply and skips declaration files', () => {
    expect(expressExtractor.sniff("const c = require('CORS')")).toBe(true);
    expect(expressExtractor.sniff("res.setHeader('Access-Control-Allow-Origin', '*')")).toBe(true);
    expect(expressExtractor.sniff('const x = 1;')).toBe(false);
    expect(expressExtractor.matchesPath('src/app.mts')).toBe(true);
    expect(expressExtractor.matchesPath('types/cors.d.ts')).toBe(false);
    expect(expressExtractor.matchesPath('README.md')).toBe(false);
  });

  it('never throws on real-world code (express, cors and vitest sources)', () => {
    const root = path.resolve(import.meta.dirname, '../../node_modules');
    const dirs = ['express/lib', 'express/lib/router', 'cors/lib', 'body-parser/lib', 'vitest/dist'];
    let n = 0;
    for (const d of dirs) {
      let names: string[];
      try {
        names = readdirSync(path.join(root, d));
      } catch {
        continue;
      }
      for (const name of names.filter((f) => /\.(c|m)?js$/.test(f)).slice(0, 40)) {
        const file = path.join(root, d, name);
        const text = readFileSync(file, 'utf8');
        let program;
        try {
          program = parseProgram(text, file);
        } catch {
          continue;
        }
        expect(() => extractFromProgram(program, file, () => undefined, { text })).not.toThrow();
        n++;
      }
    }
    expect(n).toBeGreaterThan(10);
  });
});

describe('express extractor on ESLint’s own AST', () => {
  it('gives the same policies for an espree Program (with parent links)', async () => {
    const { Linter } = await import('eslint');
    const src = `${PRELUDE}const allowed = ['https://a.example.com'];\napp.use(cors({ origin: (o, cb) => cb(null, allowed.includes(o)), credentials: true }));\napp.use((req, res, next) => { res.setHeader('Access-Control-Allow-Origin', req.headers.origin); next(); });\n`;
    let program: unknown;
    const linter = new Linter({ configType: 'flat' });
    linter.verify(src, [
      {
        languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
        plugins: { t: { rules: { grab: { create: () => ({ Program: (node) => void (program = node) }) } } } },
        rules: { 't/grab': 'error' },
      },
    ]);
    expect(program).toBeDefined();
    const viaEslint = extractFromProgram(program as Parameters<typeof extractFromProgram>[0], 'app.js', () => undefined, { text: src });
    const viaBabel = run(src);
    const shape = (ps: Policy[]) => ps.map((p) => ({ fw: p.framework, origins: entries(p.origins), cred: p.credentials, loc: p.loc, scope: p.scope }));
    expect(shape(viaEslint.policies)).toEqual(shape(viaBabel.policies));
    expect(viaEslint.policies).toHaveLength(2);
  });
});

describe('express extractor: request headers are not answers', () => {
  it('ignores CORS headers put on a fetch request, keeps them on a Response', () => {
    expect(run("const h = new Headers();\nh.set('Access-Control-Allow-Origin', '*');\nfetch('/api', { headers: h });").policies).toEqual([]);
    const server = run("export default { fetch() { const h = new Headers();\nh.set('Access-Control-Allow-Origin', '*');\nreturn new Response('ok', { headers: h }); } };").policies;
    expect(server.map((p) => entries(p.origins))).toEqual([[{ kind: 'any' }]]);
  });
});
