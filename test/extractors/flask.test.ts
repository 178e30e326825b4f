import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { flaskExtractor } from '../../src/extractors/flask/index.js';
import type { OriginEntry, Policy, Val } from '../../src/model/index.js';
import { flaskExtra } from '../../src/semantics/flask.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function project(files: Record<string, string>): Promise<{ policies: Policy[]; findings: { ruleId: string; line: number; file: string }[] }> {
  const root = mkdtempSync(path.join(tmpdir(), 'corslint-flask-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  const r = await lint([root], { cwd: root });
  return { policies: r.policies.filter((p) => p.framework === 'flask'), findings: r.findings.map((f) => ({ ruleId: f.ruleId, line: f.line, file: f.file })) };
}

const HEAD = 'from flask import Flask\nfrom flask_cors import CORS, cross_origin\napp = Flask(__name__)\n';

async function policiesOf(body: string, extra: Record<string, string> = {}): Promise<Policy[]> {
  return (await project({ 'app.py': HEAD + body, ...extra })).policies;
}

async function one(body: string, extra: Record<string, string> = {}): Promise<Policy> {
  const policies = await policiesOf(body, extra);
  expect(policies).toHaveLength(1);
  return policies[0]!;
}

const value = <T>(v: Val<T>): T => {
  if (!v.known) throw new Error(`unknown: ${v.reason}`);
  return v.value;
};
const entry = (e: OriginEntry) => (e.kind === 'exact' ? `exact ${e.origin}` : e.kind === 'regex' ? `regex ${e.source} /${e.flags}` : e.kind);

describe('flask extractor: candidates', () => {
  it('reads .py files that mention flask_cors, CORS( or init_app', () => {
    expect(flaskExtractor.matchesPath('app/__init__.py')).toBe(true);
    expect(flaskExtractor.sniff('from flask_cors import CORS')).toBe(true);
    expect(flaskExtractor.sniff('cors.init_app(app)')).toBe(true);
    expect(flaskExtractor.sniff('from flask import Flask')).toBe(false);
  });

  it('reports syntax errors of Flask-CORS modules only, not of any module calling some init_app', async () => {
    const { findings } = await project({
      'cors_setup.py': 'from flask_cors import CORS\nCORS(app, origins=[\n',
      'py2_ext.py': 'print "legacy"\ndb.init_app(app)\n',
    });
    expect(findings.map((f) => [f.ruleId, f.file.split('/').pop()])).toEqual([['parse-error', 'cors_setup.py']]);
  });
});

describe('flask extractor: CORS(app, ...)', () => {
  it('takes the default origins at the call, or at the credentials value when that is written', async () => {
    const plain = await one('CORS(app)\n');
    expect(value(plain.origins).map(entry)).toEqual(['any']);
    expect(value(plain.origins)[0]!.loc.line).toBe(4);
    expect(plain.origins.known && plain.origins.isDefault).toBe(true);
    const creds = await one('CORS(\n    app,\n    supports_credentials=True,\n)\n');
    expect(value(creds.origins)[0]!.loc.line).toBe(6);
    expect(value(creds.credentials)).toBe(true);
  });

  it("classifies origins the way Flask-CORS does: '*' and '.*' allow all, regex characters make a pattern", async () => {
    const p = await one('import re\nCORS(app, origins=["*", ".*", "https://a.example.com", r"https://.*\\.example\\.com", re.compile("^https://b$")])\n');
    expect(value(p.origins).map(entry)).toEqual(['any', 'any', 'exact https://a.example.com', 'regex https://.*\\.example\\.com /i', 'regex ^https://b$ /']);
    const single = await one('CORS(app, origins="https://a.example.com")\n');
    expect(value(single.origins).map(entry)).toEqual(['exact https://a.example.com']);
  });

  it('makes one policy per resource, each with its path pattern and its own options over the shared ones', async () => {
    const ps = await policiesOf('CORS(app, resources={r"/api/*": {"origins": "https://a.example.com"}, "/public/*": {}}, supports_credentials=True, send_wildcard=True)\n');
    expect(ps.map((p) => [p.scope.urlRegex, value(p.origins).map(entry), value(p.credentials)])).toEqual([
      ['/api/*', ['exact https://a.example.com'], true],
      ['/public/*', ['any'], true],
    ]);
    expect(value(flaskExtra(ps[1]!).sendWildcard!)).toBe(true);
    const list = await policiesOf('CORS(app, resources=["/a/*", "*"])\n');
    expect(list.map((p) => p.scope.urlRegex)).toEqual(['/a/*', undefined]);
  });

  it('reports options Flask-CORS does not know, with the option meant', async () => {
    const p = await one('CORS(app, origin="https://a.example.com", allow_credentials=True, resources={"/x": {"orgins": "*"}})\n');
    expect(p.unknownOptions.map((o) => [o.key, o.suggestion])).toEqual([
      ['origin', 'origins'],
      ['allow_credentials', 'supports_credentials'],
      ['orgins', 'origins'],
    ]);
  });

  it('converts a timedelta max_age to seconds', async () => {
    const p = await one('from datetime import timedelta\nCORS(app, max_age=timedelta(hours=2))\n');
    expect(value(p.maxAge)).toBe(7200);
  });

  it('keeps an environment-driven origin list unknown with its fallback', async () => {
    const p = await one('import os\nCORS(app, origins=os.environ.get("ORIGINS", "https://a.example.com").split(","))\n');
    expect(!p.origins.known && [p.origins.variable, p.origins.fallback?.map(entry)]).toEqual(['ORIGINS', ['exact https://a.example.com']]);
  });
});

describe('flask extractor: app.config', () => {
  it('reads CORS_* keys set before CORS(app), under their option names', async () => {
    const p = await one('app.config["CORS_ORIGINS"] = ["https://a.example.com"]\napp.config.update(CORS_SUPPORTS_CREDENTIALS=True, CORS_MAX_AGE=60)\nCORS(app)\napp.config["CORS_ORIGINS"] = "*"\n');
    expect(value(p.origins).map(entry)).toEqual(['exact https://a.example.com']);
    expect(value(p.credentials)).toBe(true);
    expect(value(p.maxAge)).toBe(60);
  });

  it('reads from_object with a class, a dotted name of a repository module, and from_pyfile', async () => {
    const cls = await one('class Config:\n    CORS_ORIGINS = ["https://a.example.com"]\n    cors_ignored = "*"\napp.config.from_object(Config)\nCORS(app)\n');
    expect(value(cls.origins).map(entry)).toEqual(['exact https://a.example.com']);
    const dotted = await one('app.config.from_object("settings.Production")\nCORS(app)\n', {
      'settings.py': 'class Base:\n    CORS_SUPPORTS_CREDENTIALS = True\nclass Production(Base):\n    CORS_ORIGINS = "https://b.example.com"\n',
    });
    expect([value(dotted.origins).map(entry), value(dotted.credentials)]).toEqual([['exact https://b.example.com'], true]);
    const pyfile = await one('app.config.from_pyfile("app.cfg")\nCORS(app)\n', { 'app.cfg': 'CORS_ORIGINS = ["https://c.example.com"]\n' });
    expect(value(pyfile.origins).map(entry)).toEqual(['exact https://c.example.com']);
  });

  it('makes options a source it cannot read may set unknown, falling back to what was set before', async () => {
    const p = await one('app.config["CORS_ORIGINS"] = "https://a.example.com"\napp.config.from_envvar("APP_SETTINGS")\nCORS(app)\n');
    expect(!p.origins.known && p.origins.fallback?.map(entry)).toEqual(['exact https://a.example.com']);
    expect(!p.credentials.known && p.credentials.fallback).toBe(false);
  });

  it('reports CORS_* keys Flask-CORS does not read, unless the code reads them itself', async () => {
    const typo = await one('app.config["CORS_ALLOW_CREDENTIALS"] = True\napp.config["CORS_ORIGIN"] = "x"\nCORS(app)\n');
    expect(typo.unknownOptions.map((o) => [o.key, o.suggestion, o.loc.line])).toEqual([
      ['CORS_ALLOW_CREDENTIALS', 'CORS_SUPPORTS_CREDENTIALS', 4],
      ['CORS_ORIGIN', 'CORS_ORIGINS', 5],
    ]);
    const helper = await one('app.config["CORS_ALLOWED"] = ["https://a.example.com"]\nCORS(app, origins=app.config["CORS_ALLOWED"])\n');
    expect(helper.unknownOptions).toEqual([]);
  });

  it('treats the config of an app made elsewhere as a source that may set any key', async () => {
    const { policies } = await project({ 'ext.py': 'from flask_cors import CORS\ndef register_extensions(app):\n    CORS(app)\n' });
    const p = policies[0]!;
    expect(!p.origins.known && [p.origins.variable, p.origins.fallback?.map(entry)]).toEqual(['CORS_* in app.config', ['any']]);
  });

  it('reads no app.config for a blueprint', async () => {
    const p = await one('from flask import Blueprint\napp.config["CORS_ORIGINS"] = "https://a.example.com"\nbp = Blueprint("api", __name__)\nCORS(bp)\n');
    expect(value(p.origins).map(entry)).toEqual(['any']);
  });
});

describe('flask extractor: init_app and @cross_origin', () => {
  it('merges the CORS() object options with init_app keywords and the app config of the factory', async () => {
    const p = await one(
      'cors = CORS(origins="https://a.example.com")\ndef create_app():\n    app = Flask(__name__)\n    app.config["CORS_SUPPORTS_CREDENTIALS"] = True\n    cors.init_app(app, max_age=10)\n    return app\n',
    );
    expect([value(p.origins).map(entry), value(p.credentials), value(p.maxAge)]).toEqual([['exact https://a.example.com'], true, 10]);
  });

  it('follows a CORS object imported from an extensions module', async () => {
    const { policies } = await project({
      'extensions.py': 'from flask_cors import CORS\ncors = CORS(supports_credentials=True)\n',
      'factory.py': 'from flask import Flask\nfrom extensions import cors\ndef create_app():\n    app = Flask(__name__)\n    cors.init_app(app)\n    return app\n',
    });
    expect(policies.map((p) => [p.loc.file, value(p.credentials)])).toEqual([['factory.py', true]]);
  });

  it('scopes @cross_origin to the route it decorates, and ignores it when it sits above the route decorator', async () => {
    const ps = await policiesOf(
      '@app.route("/a", methods=["GET", "POST"])\n@cross_origin(supports_credentials=True)\ndef a():\n    return "a"\n' +
        '@app.post("/b")\n@cross_origin(automatic_options=False)\ndef b():\n    return "b"\n' +
        '@cross_origin()\n@app.route("/c")\ndef c():\n    return "c"\n' +
        'app.config["CORS_ORIGINS"] = "https://late.example.com"\n',
    );
    expect(ps.map((p) => [p.scope.paths, p.scope.methods])).toEqual([
      [['/a'], ['GET', 'POST', 'HEAD', 'OPTIONS']],
      [['/b'], ['POST']],
    ]);
    // The decorator reads current_app.config on each request: the config as the module leaves it.
    expect(value(ps[0]!.origins).map(entry)).toEqual(['exact https://late.example.com']);
  });

  it('reads the Flask-CORS version from the project', async () => {
    const p = await one('CORS(app)\n', { 'requirements.txt': 'Flask-Cors>=4.0.1\n' });
    expect(p.version).toBe('4.0.1');
  });
});
