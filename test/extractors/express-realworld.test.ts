import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextResolver, extractFromProgram, parseProgram } from '../../src/extractors/express/index.js';
import { aliasTargets, stripJsonc } from '../../src/extractors/express/tsconfig-paths.js';
import type { ExtractContext, Policy, ProjectFact } from '../../src/model/index.js';
import { ParseError } from '../../src/model/index.js';
import { at, entries, memoryResolver } from '../support/js-extract.js';

function run(src: string, file = 'main.ts', modules: Record<string, string> = {}): { policies: Policy[]; facts: ProjectFact[] } {
  const resolve = memoryResolver(modules);
  const r = extractFromProgram(parseProgram(src, file), file, resolve, { text: src });
  return { policies: r.policies, facts: r.facts ?? [] };
}

const NEST = "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n";

describe('parsing decorators', () => {
  it('parses TypeScript experimental decorators, parameter decorators included', () => {
    const src = "@Controller('x')\nexport class A {\n  constructor(@Inject('k') private readonly k: string) {}\n  @Get() get(@Query() q: unknown) { return q; }\n}\n";
    expect(parseProgram(src, 'a.controller.ts').body).toHaveLength(1);
  });

  it('parses standard decorators after export and auto-accessors', () => {
    expect(parseProgram('export @sealed class B { @observed accessor n = 1; }\n', 'b.ts').body).toHaveLength(1);
  });

  it('still reports the first parse error of a broken file', () => {
    expect(() => parseProgram('@dec class {', 'c.ts')).toThrow(ParseError);
  });
});

describe('NestJS: enableCors and create({ cors })', () => {
  it('reads app.enableCors(options) on the application NestFactory.create gives, as cors(options) everywhere', () => {
    const { policies } = run(`${NEST}async function boot() {\n  const app = await NestFactory.create(AppModule);\n  app.enableCors({ origin: true, credentials: true });\n}\n`);
    expect(policies).toHaveLength(1);
    const p = policies[0]!;
    expect(p.framework).toBe('nestjs');
    expect(p.scope).toEqual({});
    expect(entries(p.origins)).toEqual([{ kind: 'reflect' }]);
    expect(p.credentials).toMatchObject({ known: true, value: true });
    expect(at(p)).toBe('5:3');
  });

  it('reads enableCors() with no options as the cors defaults at the call', () => {
    const p = run(`${NEST}const app = await NestFactory.create<NestExpressApplication>(AppModule);\napp.enableCors();\n`).policies[0]!;
    expect(p.origins).toMatchObject({ known: true, isDefault: true });
    expect(entries(p.origins)).toEqual([{ kind: 'any' }]);
    expect(at(p.origins)).toBe('4:1');
  });

  it('reads the cors application option: true and functions mean the defaults, objects are options, falsy means none', () => {
    const create = (opts: string) => run(`${NEST}const app = await NestFactory.create(AppModule, ${opts});\n`).policies;
    const t = create('{ cors: true }');
    expect(t).toHaveLength(1);
    expect(entries(t[0]!.origins)).toEqual([{ kind: 'any' }]);
    expect(at(t[0]!)).toBe('3:57'); // the `true` that turns the defaults on
    expect(entries(create('{ cors: (req, cb) => cb(null, { origin: false }) }')[0]!.origins)).toEqual([{ kind: 'any' }]);
    const obj = create("{ cors: { origin: ['https://a.example.com'], credentials: true } }")[0]!;
    expect(entries(obj.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example.com' }]);
    expect(obj.credentials).toMatchObject({ known: true, value: true });
    expect(create('{ cors: false }')).toEqual([]);
    expect(create('{ logger: false }')).toEqual([]);
    // An adapter first, the options after it.
    expect(create('new ExpressAdapter(server), { cors: true }')).toHaveLength(1);
  });

  it('leaves Fastify applications alone (their enableCors is @fastify/cors)', () => {
    const fastify = [
      `${NEST}const app = await NestFactory.create(AppModule, new FastifyAdapter(), { cors: true });\napp.enableCors({ origin: true });\n`,
      `${NEST}const adapter = new FastifyAdapter({ logger: true });\nconst app = await NestFactory.create(AppModule, adapter);\napp.enableCors({ origin: true });\n`,
      `${NEST}const app = await NestFactory.create<NestFastifyApplication>(AppModule);\napp.enableCors({ origin: true });\n`,
      "import type { NestFastifyApplication } from '@nestjs/platform-fastify';\nexport function setup(app: NestFastifyApplication) { app.enableCors({ origin: true }); }\n",
    ];
    for (const src of fastify) expect(run(src).policies).toEqual([]);
  });

  it('reads enableCors on an application received as a parameter in a NestJS module, not elsewhere', () => {
    const helper = "export function setupCors(app: INestApplication) {\n  app.enableCors({ origin: '*', credentials: true });\n}\n";
    const inNest = run(`import { INestApplication } from '@nestjs/common';\n${helper}`).policies;
    expect(inNest).toHaveLength(1);
    expect(inNest[0]!.framework).toBe('nestjs');
    expect(run(helper).policies).toEqual([]);
    // A known value that is not a Nest application is not one either.
    expect(run("import { Injectable } from '@nestjs/common';\nconst client = { enableCors() {} };\nclient.enableCors({ origin: true });\n").policies).toEqual([]);
  });

  it('reads compiled CommonJS output', () => {
    const src = 'const core_1 = require("@nestjs/core");\nconst app_module_1 = require("./app.module");\nasync function bootstrap() {\n    const app = await core_1.NestFactory.create(app_module_1.AppModule);\n    app.enableCors({ origin: true, credentials: true });\n    await app.listen(4000);\n}\n';
    const { policies, facts } = run(src, 'dist/main.js');
    expect(policies.map((p) => p.framework)).toEqual(['nestjs']);
    expect(facts.map((f) => f.data)).toEqual([{ port: 4000, framework: 'nestjs' }]);
  });
});

describe('options returned by a function of the repository', () => {
  const PRE = "const cors = require('cors');\nconst app = require('express')();\n";

  it('evaluates arrow and block bodies, through conditions it can decide', () => {
    const p = run(`${PRE}const opts = () => ({ origin: ['https://a.example.com'], credentials: true });\napp.use(cors(opts()));\n`, 'app.js').policies[0]!;
    expect(entries(p.origins)).toEqual([{ kind: 'exact', origin: 'https://a.example.com' }]);
    const q = run(`${PRE}const DEBUG = false;\nfunction opts() {\n  const list = ['https://b.example.com'];\n  if (DEBUG) return { origin: true };\n  return { origin: list };\n}\napp.use(cors(opts()));\n`, 'app.js').policies[0]!;
    expect(entries(q.origins)).toEqual([{ kind: 'exact', origin: 'https://b.example.com' }]);
  });

  it('makes a result chosen by an environment variable unknown, with the unset world as the fallback', () => {
    const src = `${PRE}function opts() {\n  if (!process.env.ORIGINS) {\n    return { origin: true, credentials: true };\n  }\n  return { origin: process.env.ORIGINS.split(','), credentials: true };\n}\napp.use(cors(opts()));\n`;
    const p = run(src, 'app.js').policies[0]!;
    expect(p.origins.known).toBe(false);
    expect(entries(p.origins)).toMatchObject({ fallback: [{ kind: 'reflect' }], variable: 'ORIGINS' });
    // Headers left out stay "echo the request's" in that world.
    expect(p.allowHeaders).toMatchObject({ known: false, fallback: [], fallbackIsDefault: true });
  });

  it('gives up on what it cannot follow: async functions, loops, throws, recursion, parameters', () => {
    const origin = (fn: string, call = 'opts()') => entries(run(`${PRE}${fn}\napp.use(cors(${call}));\n`, 'app.js').policies[0]!.origins);
    expect(origin('async function opts() { return { origin: true }; }')).toMatchObject({ unknown: 'awaited value' });
    expect(origin('function opts() { for (;;) { break; } return { origin: true }; }')).toMatchObject({ unknown: 'ForStatement in the function' });
    expect(origin("function opts() { throw new Error('x'); }")).toMatchObject({ unknown: 'throws' });
    expect(origin('function opts() { return opts(); }')).toMatchObject({ unknown: 'recursive call' });
    expect(origin('function opts(o) { return { origin: o }; }', 'opts(true)')).toMatchObject({ unknown: 'parameter o' });
  });
});

describe('tsconfig path aliases', () => {
  const root = path.resolve('/repo');
  const files: Record<string, string> = {
    '/repo/tsconfig.base.json': '{\n  // aliases\n  "compilerOptions": { "baseUrl": "./src", "paths": { "@lib/*": ["lib/*"], "@cfg": ["config/index"], "@/*": ["*"], }, },\n}\n',
    '/repo/tsconfig.json': '{ "extends": "./tsconfig.base.json", "compilerOptions": { "strict": true } }',
    '/repo/src/lib/cors.ts': "export default { origin: true, credentials: true };\n",
    '/repo/src/config/index.ts': "export const origins = ['https://a.example.com'];\n",
    '/repo/src/main.ts': '',
    '/repo/other/tsconfig.json': '{ "compilerOptions": { "paths": { "~/*": ["./src/*"] } } }',
    '/repo/other/src/opts.ts': 'export const x = 1;\n',
  };
  const readFile = (abs: string) => files[abs];

  it('strips comments and trailing commas, not string contents', () => {
    expect(JSON.parse(stripJsonc('{ "a": "x//y", /* c */ "b": [1, 2,], }'))).toEqual({ a: 'x//y', b: [1, 2] });
  });

  it('maps specifiers through paths (longest prefix, exact patterns), then baseUrl, inside the root only', () => {
    const cache = new Map();
    const from = '/repo/src/main.ts';
    expect(aliasTargets(from, '@lib/cors', root, readFile, cache)[0]).toBe('/repo/src/lib/cors');
    expect(aliasTargets(from, '@cfg', root, readFile, cache)[0]).toBe('/repo/src/config/index');
    expect(aliasTargets(from, 'config/index', root, readFile, cache)).toEqual(['/repo/src/config/index']);
    expect(aliasTargets(from, '../../../etc/passwd', root, readFile, cache)).toEqual([]);
    // Without baseUrl, paths are relative to the tsconfig that declares them.
    expect(aliasTargets('/repo/other/src/a.ts', '~/opts', root, readFile, cache)).toEqual(['/repo/other/src/opts']);
  });

  it('lets the extractor read options imported through an alias, and keeps packages unknown', () => {
    const ctx: ExtractContext = { root, readFile, displayPath: (abs) => path.relative(root, abs) };
    const resolve = contextResolver(ctx);
    expect(resolve('/repo/src/main.ts', '@lib/cors')?.file).toBe('src/lib/cors.ts');
    expect(resolve('/repo/src/main.ts', 'cors-config-package')).toBeUndefined();
    const src = "import express from 'express';\nimport cors from 'cors';\nimport opts from '@lib/cors';\nconst app = express();\napp.use(cors(opts));\n";
    const { policies } = extractFromProgram(parseProgram(src, 'src/main.ts'), 'src/main.ts', resolve, { id: '/repo/src/main.ts' });
    expect(entries(policies[0]!.origins)).toEqual([{ kind: 'reflect' }]);
  });
});

describe('hand-written headers: the Origin turned into a string', () => {
  it('reads `${req.headers.origin}` and String(origin) as the request Origin, not other templates', () => {
    const pre = "const app = require('express')();\n";
    const origin = (value: string) => entries(run(`${pre}app.use((req, res, next) => {\n  res.header('Access-Control-Allow-Origin', ${value});\n  next();\n});\n`, 'app.js').policies[0]!.origins);
    expect(origin('`${req.headers.origin}`')).toEqual([{ kind: 'reflect' }]);
    expect(origin("String(req.get('origin'))")).toEqual([{ kind: 'reflect' }]);
    expect(origin('`https://${req.headers.host}`')).not.toEqual([{ kind: 'reflect' }]);
  });
});
