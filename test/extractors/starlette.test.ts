import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { starletteExtractor } from '../../src/extractors/starlette/index.js';
import { starletteForFastapi } from '../../src/extractors/starlette/version.js';
import type { OriginEntry, Policy, Val } from '../../src/model/index.js';
import { starletteExtra } from '../../src/semantics/starlette.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function project(files: Record<string, string>): Promise<{ policies: Policy[]; findings: { ruleId: string; line: number }[] }> {
  const root = mkdtempSync(path.join(tmpdir(), 'corslint-starlette-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  const r = await lint([root], { cwd: root });
  return { policies: r.policies.filter((p) => p.framework === 'starlette'), findings: r.findings.map((f) => ({ ruleId: f.ruleId, line: f.line })) };
}

const HEAD = 'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\n';

async function one(body: string, extra: Record<string, string> = {}): Promise<Policy> {
  const { policies } = await project({ 'main.py': HEAD + body, ...extra });
  expect(policies).toHaveLength(1);
  return policies[0]!;
}

const value = <T>(v: Val<T>): T => {
  if (!v.known) throw new Error(`unknown: ${v.reason}`);
  return v.value;
};
const describeEntry = (e: OriginEntry) =>
  e.kind === 'exact' ? `exact ${e.origin}` : e.kind === 'regex' ? `regex ${e.source} ${e.flavor}` : e.kind;

describe('starlette extractor: candidates', () => {
  it('reads .py files that mention CORSMiddleware', () => {
    expect(starletteExtractor.matchesPath('app/main.py')).toBe(true);
    expect(starletteExtractor.matchesPath('app/main.js')).toBe(false);
    expect(starletteExtractor.sniff('app.add_middleware(CORSMiddleware)')).toBe(true);
    expect(starletteExtractor.sniff('from flask_cors import CORS')).toBe(false);
  });

  it('reports a syntax error as parse-error', async () => {
    const { findings } = await project({ 'main.py': `${HEAD}app.add_middleware(CORSMiddleware, allow_origins=[\n` });
    expect(findings.map((f) => f.ruleId)).toContain('parse-error');
  });
});

describe('starlette extractor: calls', () => {
  it('reads add_middleware keywords, each origin with its own location', async () => {
    const p = await one('app.add_middleware(\n    CORSMiddleware,\n    allow_origins=["https://a.example.com", "*"],\n    allow_credentials=True,\n    max_age=60,\n)\n');
    expect(value(p.origins).map(describeEntry)).toEqual(['exact https://a.example.com', 'any']);
    expect(value(p.origins).map((e) => [e.loc.line, e.loc.column])).toEqual([
      [6, 20],
      [6, 45],
    ]);
    expect(value(p.credentials)).toBe(true);
    expect(value(p.maxAge)).toBe(60);
    expect(p.loc.line).toBe(4);
  });

  it('reads Middleware(CORSMiddleware, ...) inside FastAPI(middleware=[...]) and Starlette imports', async () => {
    const { policies } = await project({
      'main.py':
        'from starlette.applications import Starlette\nfrom starlette.middleware import Middleware\nfrom starlette.middleware.cors import CORSMiddleware as Cors\n' +
        'app = Starlette(middleware=[Middleware(Cors, allow_origin_regex=r"https://.*\\.example\\.com")])\n',
    });
    expect(policies.map((p) => value(p.origins).map(describeEntry))).toEqual([['regex https://.*\\.example\\.com python-fullmatch']]);
  });

  it('reads CORSMiddleware(app, ...) wrapping an ASGI app, also through a module import', async () => {
    const { policies } = await project({
      'main.py': 'import starlette.middleware.cors\nfrom starlette.applications import Starlette\ninner = Starlette()\napp = starlette.middleware.cors.CORSMiddleware(inner, ["https://a.example.com"])\n',
    });
    expect(policies.map((p) => value(p.origins).map(describeEntry))).toEqual([['exact https://a.example.com']]);
  });

  it('spreads **kwargs from a dict; an unknown dict leaves every option unknown with the default as fallback', async () => {
    const known1 = await one('opts = dict(allow_origins=["*"], allow_credentials=True)\napp.add_middleware(CORSMiddleware, **opts)\n');
    expect(value(known1.origins).map(describeEntry)).toEqual(['any']);
    expect(value(known1.credentials)).toBe(true);
    const opaque = await one('import json, os\nopts = json.loads(os.environ["CORS"])\napp.add_middleware(CORSMiddleware, **opts)\n');
    expect(opaque.origins.known).toBe(false);
    expect(!opaque.origins.known && opaque.origins.fallback).toEqual(undefined);
  });

  it('skips a call with a keyword CORSMiddleware does not take (the app fails with TypeError)', async () => {
    const { policies } = await project({ 'main.py': `${HEAD}app.add_middleware(CORSMiddleware, allow_origin=["*"])\n` });
    expect(policies).toEqual([]);
  });

  it('keeps allow_origins given as one string whole, for substring matching', async () => {
    const p = await one('app.add_middleware(CORSMiddleware, allow_origins="https://a.example.com,https://b.example.com")\n');
    expect(value(p.origins).map(describeEntry)).toEqual(['exact https://a.example.com,https://b.example.com']);
    expect(value(starletteExtra(p).originsString!)).toBe(true);
  });

  it('reads a call inside an application factory with its local variables', async () => {
    const p = await one('def create_app():\n    a = FastAPI()\n    origins = ["https://x.example.com"]\n    a.add_middleware(CORSMiddleware, allow_origins=origins)\n    return a\n');
    expect(value(p.origins).map(describeEntry)).toEqual(['exact https://x.example.com']);
  });
});

describe('starlette extractor: settings and environment', () => {
  it('reads a pydantic BaseSettings field as unknown with the class default, named by env_prefix', async () => {
    const p = await one(
      'from pydantic_settings import BaseSettings, SettingsConfigDict\n' +
        'class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix="APP_")\n    CORS_ORIGINS: list[str] = ["https://a.example.com"]\n' +
        'settings = Settings()\napp.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS)\n',
    );
    expect(p.origins.known).toBe(false);
    if (p.origins.known) return;
    expect(p.origins.variable).toBe('APP_CORS_ORIGINS');
    expect(p.origins.fallback?.map(describeEntry)).toEqual(['exact https://a.example.com']);
    expect(p.origins.fallback?.[0]?.loc.line).toBe(7);
  });

  it('follows a cached settings getter and a settings module of the repository', async () => {
    const p = await one('from config import get_settings\nsettings = get_settings()\napp.add_middleware(CORSMiddleware, allow_origins=settings.origins, allow_credentials=True)\n', {
      'config.py':
        'from functools import lru_cache\nfrom pydantic import BaseSettings\nclass Settings(BaseSettings):\n    origins: list = ["*"]\n    class Config:\n        env_prefix = "API_"\n' +
        '@lru_cache\ndef get_settings():\n    return Settings()\n',
    });
    expect(!p.origins.known && p.origins.variable).toBe('API_origins');
    expect(!p.origins.known && p.origins.fallback?.map(describeEntry)).toEqual(['any']);
  });

  it('makes a call under an undecided condition unknown: none when the fallback skips the branch', async () => {
    const p = await one('import os\nif os.getenv("ENV") == "dev":\n    app.add_middleware(CORSMiddleware, allow_origins=["*"])\n');
    expect(!p.origins.known && p.origins.fallback?.map((e) => e.kind)).toEqual(['none']);
    const taken = await one('import os\nif os.getenv("ENV", "dev") == "dev":\n    app.add_middleware(CORSMiddleware, allow_origins=["*"])\n');
    expect(!taken.origins.known && taken.origins.fallback?.map((e) => e.kind)).toEqual(['any']);
  });
});

describe('starlette extractor: versions', () => {
  it('applies allow_origin_regex with re.match for Starlette < 0.13.1, from requirements or FastAPI pins', async () => {
    const body = 'app.add_middleware(CORSMiddleware, allow_origin_regex="https://a")\n';
    const flavor = (p: Policy) => (value(p.origins)[0] as Extract<OriginEntry, { kind: 'regex' }>).flavor;
    expect(flavor(await one(body))).toBe('python-fullmatch');
    expect(flavor(await one(body, { 'requirements.txt': 'starlette==0.12.9\n' }))).toBe('python-match');
    const old = await one(body, { 'requirements.txt': 'fastapi>=0.45,<0.50\n' });
    expect([old.version, flavor(old)]).toEqual(['0.12.9', 'python-match']);
    expect((await one(body, { 'poetry.lock': '[[package]]\nname = "starlette"\nversion = "0.27.0"\n' })).version).toBe('0.27.0');
  });

  it('maps FastAPI releases to the Starlette they require where CORS behaves differently', () => {
    expect(starletteForFastapi('0.49.2')).toBe('0.12.9');
    expect(starletteForFastapi('0.55.0')).toBe('0.13.2');
    expect(starletteForFastapi('0.68.0')).toBe('0.14.2');
    expect(starletteForFastapi('0.115.0')).toBeUndefined();
  });
});

