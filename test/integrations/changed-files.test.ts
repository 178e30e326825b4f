import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { extractors } from '../../src/extractors/index.js';
import type { Extractor } from '../../src/model/index.js';
import { REPO, fixtureUnits } from '../support/fixtures.js';

/**
 * pre-commit and lint-staged run `corslint <changed files>` from the
 * repository root. The files are linted alone, but everything they build on
 * must still be found: the project root is the working directory, and the
 * extractors read included / imported / manifest files from it.
 */

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'corslint-changed-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('linting the changed files only', () => {
  it('takes the working directory as the project root and display base', async () => {
    const dir = project({ 'a/one.spy': 'x', 'b/two.spy': 'y', 'b/other.txt': 'context' });
    const seen: { root: string; path: string; sibling: string | undefined }[] = [];
    const spy: Extractor = {
      name: 'spy',
      matchesPath: (p) => p.endsWith('.spy'),
      sniff: () => true,
      extract(file, ctx) {
        seen.push({ root: ctx.root, path: file.path, sibling: ctx.readFile(path.join(ctx.root, 'b/other.txt')) });
        return { policies: [] };
      },
    };
    const one = await lint(['a/one.spy'], { cwd: dir, extractors: [spy] });
    expect(one.root).toBe(dir);
    const both = await lint(['a/one.spy', 'b/two.spy'], { cwd: dir, extractors: [spy] });
    expect(both.root).toBe(dir);
    expect(seen).toEqual([
      { root: dir, path: 'a/one.spy', sibling: 'context' },
      { root: dir, path: 'a/one.spy', sibling: 'context' },
      { root: dir, path: 'b/two.spy', sibling: 'context' },
    ]);
    // A directory argument is its own project (`corslint services/api`).
    const sub = await lint(['b'], { cwd: dir, extractors: [spy] });
    expect(sub.root).toBe(path.join(dir, 'b'));
  });

  it('Django: a changed prod.py is checked with the base settings it star-imports', async () => {
    const dir = project({
      'proj/__init__.py': '',
      'proj/settings/__init__.py': '',
      'proj/settings/base.py':
        "INSTALLED_APPS = ['corsheaders']\nMIDDLEWARE = ['corsheaders.middleware.CorsMiddleware', 'django.middleware.common.CommonMiddleware']\nCORS_ALLOW_ALL_ORIGINS = True\n",
      'proj/settings/prod.py': 'from .base import *\n\nCORS_ALLOW_CREDENTIALS = True\n',
    });
    const { findings } = await lint(['proj/settings/prod.py'], { cwd: dir });
    const f = findings.find((x) => x.ruleId === 'credentialed-reflected-origin');
    expect(f, JSON.stringify(findings, null, 2)).toMatchObject({ file: 'proj/settings/base.py', line: 3 });
    expect(f!.related?.some((r) => r.file === 'proj/settings/prod.py' && r.line === 3)).toBe(true);
  });

  it('Laravel: a changed config/cors.php is read with the framework version from composer.json', async () => {
    // Laravel 11 merges its own defaults (allowed_origins ['*']) into a
    // config/cors.php that leaves the key out (RULES.md decision 7).
    const cors = "<?php\nreturn [\n    'paths' => ['api/*'],\n    'supports_credentials' => false,\n];\n";
    const l11 = project({ 'composer.json': '{"require": {"laravel/framework": "^11.0"}}', 'config/cors.php': cors });
    const l10 = project({ 'composer.json': '{"require": {"laravel/framework": "^10.0"}}', 'config/cors.php': cors });
    const ids = async (dir: string) => (await lint(['config/cors.php'], { cwd: dir })).findings.map((f) => f.ruleId);
    expect(await ids(l11)).toContain('wildcard-origin');
    expect(await ids(l10)).not.toContain('wildcard-origin');
  });

  it('reads corslint.config.json at the root when given single files', async () => {
    const dir = project({
      'corslint.config.json': JSON.stringify({ rules: { 'wildcard-origin': 'off' }, trustedOrigins: ['https://app.example.com'] }),
      'api/server.js': "const cors = require('cors');\napp.use(cors());\napp.use(cors({ origin: ['https://partner.example.net'] }));\n",
    });
    const result = await lint(['api/server.js'], { cwd: dir });
    expect(result.configFile).toBe(path.join(dir, 'corslint.config.json'));
    expect(result.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['3 untrusted-origin']);
  });

  it.runIf(extractors.some((e) => e.name === 'nginx'))('nginx: a changed server file is checked with the snippets it includes', async () => {
    const dir = project({
      'nginx/sites-enabled/app.conf': 'server {\n    listen 80;\n    location /api/ {\n        include snippets/cors.conf;\n    }\n}\n',
      'nginx/snippets/cors.conf':
        'add_header Access-Control-Allow-Origin $http_origin always;\nadd_header Access-Control-Allow-Credentials true always;\nadd_header Vary Origin always;\n',
    });
    const { findings } = await lint(['nginx/sites-enabled/app.conf'], { cwd: dir });
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toContain('nginx/snippets/cors.conf:1 credentialed-reflected-origin');
  });
});

/**
 * `.pre-commit-hooks.yaml` decides which staged files pre-commit passes on. It
 * must let through every file some extractor reads: checked with Python's `re`
 * (pre-commit's own matcher, `re.search`) over every fixture path.
 */
const PYTHON = ['/usr/bin/python3'].find((p) => existsSync(p));
const REQUIRED = process.env.CORSLINT_REQUIRE_ORACLES === '1';

describe.skipIf(!PYTHON && !REQUIRED)('.pre-commit-hooks.yaml files pattern', () => {
  function hookMatches(paths: string[]): boolean[] {
    const script = [
      'import json, re, sys, yaml',
      "hooks = yaml.safe_load(open(sys.argv[1]))",
      "hook = next(h for h in hooks if h['id'] == 'corslint')",
      "pattern = re.compile(hook['files'])",
      'print(json.dumps([bool(pattern.search(p)) for p in json.load(sys.stdin)]))',
    ].join('\n');
    const r = spawnSync(PYTHON ?? 'python3', ['-c', script, path.join(REPO, '.pre-commit-hooks.yaml')], { input: JSON.stringify(paths), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as boolean[];
  }

  it('declares the hook as the README shows it', () => {
    const r = spawnSync(
      PYTHON ?? 'python3',
      ['-c', "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", path.join(REPO, '.pre-commit-hooks.yaml')],
      { encoding: 'utf8' },
    );
    const [hook] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(hook).toMatchObject({ id: 'corslint', entry: 'corslint', language: 'node', require_serial: true });
  });

  // Deployment files (Dockerfile, compose, Procfile) only link layers the
  // other files configure: alone they can hold no finding, so pre-commit need
  // not pass them.
  const policyExtractors = extractors.filter((e) => e.name !== 'deploy');

  it('passes every file an extractor reads for CORS settings, and not the rest', () => {
    const candidates = [
      'server/app.js',
      'src/main.ts',
      'src/app.module.mts',
      'web/routes.jsx',
      'config/cors.php',
      'public/index.php',
      'proj/settings.py',
      'proj/settings/prod.py',
      'etc/nginx/nginx.conf',
      'deploy/nginx/conf.d/api.conf',
      'deploy/sites-available/example.com',
      'docker/nginx/default.conf.template',
      'ansible/templates/nginx.conf.j2',
      ...fixtureFiles(),
    ].filter((p) => policyExtractors.some((e) => e.matchesPath(p)));
    expect(candidates.length).toBeGreaterThan(10);
    const matched = hookMatches(candidates);
    expect(candidates.filter((_, i) => !matched[i])).toEqual([]);
    expect(hookMatches(['README.md', 'package.json', 'docs/rules/null-origin.md', 'image.png'])).toEqual([false, false, false, false]);
  });
});

function fixtureFiles(): string[] {
  return fixtureUnits().flatMap((u) => u.files);
}
