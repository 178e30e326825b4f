import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';

/**
 * The published hook, run by the real pre-commit (Debian package) the way a
 * user's repository runs it: pre-commit clones this repository, builds a node
 * environment from it (`language: node`: npm install, npm pack, npm install -g)
 * and runs `corslint <staged files>` from the user's repository root.
 */
const PRE_COMMIT = ['/usr/bin/pre-commit', ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'pre-commit'))].find((p) =>
  existsSync(p),
);
const REQUIRED = process.env.CORSLINT_REQUIRE_ORACLES === '1';
const INSTALL_TIMEOUT = 600_000;

const VULNERABLE = "const cors = require('cors');\nconst app = require('express')();\napp.use(cors({ origin: true, credentials: true }));\n";
const FIXED = "const cors = require('cors');\nconst app = require('express')();\napp.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n";

let tmp: string;
let hookRepo: string;
let hookRev: string;
/** Commands run with a private pre-commit cache and no user/system git config. */
let env: NodeJS.ProcessEnv;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: INSTALL_TIMEOUT });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function writeFiles(dir: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

/** A fresh git repository holding `files`, staged but not committed. */
function userRepo(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  return dir;
}

describe.skipIf(!PRE_COMMIT && !REQUIRED)('pre-commit hook', () => {
  beforeAll(() => {
    if (!PRE_COMMIT) throw new Error('pre-commit is not installed (apt-get install pre-commit); CORSLINT_REQUIRE_ORACLES=1 requires it');
    tmp = mkdtempSync(path.join(tmpdir(), 'corslint-pre-commit-'));
    env = {
      ...process.env,
      PRE_COMMIT_HOME: path.join(tmp, 'cache'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: path.join(tmp, 'gitconfig'),
      HOME: process.env.HOME ?? tmp,
      GIT_AUTHOR_NAME: 'corslint test',
      GIT_AUTHOR_EMAIL: 'test@corslint.invalid',
      GIT_COMMITTER_NAME: 'corslint test',
      GIT_COMMITTER_EMAIL: 'test@corslint.invalid',
      NO_COLOR: '1',
    };
    writeFileSync(path.join(tmp, 'gitconfig'), '');
    // The working tree may hold uncommitted work: pre-commit needs a commit,
    // so the hook repository is a snapshot of the files git would ship.
    hookRepo = path.join(tmp, 'corslint');
    mkdirSync(hookRepo);
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const rel of files) {
      const from = path.join(REPO, rel);
      if (!existsSync(from)) continue; // deleted but still tracked
      mkdirSync(path.dirname(path.join(hookRepo, rel)), { recursive: true });
      copyFileSync(from, path.join(hookRepo, rel));
    }
    git(hookRepo, 'init', '-q', '-b', 'main');
    git(hookRepo, 'add', '-A');
    git(hookRepo, 'commit', '-q', '-m', 'snapshot');
    hookRev = git(hookRepo, 'rev-parse', 'HEAD');
  }, 60_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it(
    'try-repo refuses a staged file that reflects any origin with credentials',
    () => {
      const repo = userRepo('try', { 'server/app.js': VULNERABLE, 'README.md': '# not linted\n' });
      const r = run(PRE_COMMIT!, ['try-repo', hookRepo, 'corslint', '--verbose'], repo);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(/corslint \(CORS settings\)\.+Failed/);
      expect(r.out).toContain('server/app.js');
      expect(r.out).toContain('credentialed-reflected-origin');
    },
    INSTALL_TIMEOUT,
  );

  describe('installed as a git hook', () => {
    let repo: string;
    beforeAll(() => {
      repo = userRepo('installed', {
        '.pre-commit-config.yaml': `repos:\n  - repo: ${hookRepo}\n    rev: ${hookRev}\n    hooks:\n      - id: corslint\n`,
        'server/app.js': VULNERABLE,
      });
      const r = run(PRE_COMMIT!, ['install'], repo);
      expect(r.code, r.out).toBe(0);
    });

    it(
      'refuses the commit, then accepts it once the allowlist is fixed',
      () => {
        const refused = run('git', ['commit', '-m', 'vulnerable'], repo);
        expect(refused.code, refused.out).not.toBe(0);
        expect(refused.out).toContain('credentialed-reflected-origin');
        expect(run('git', ['rev-parse', '--verify', '-q', 'HEAD'], repo).code).not.toBe(0);

        writeFileSync(path.join(repo, 'server/app.js'), FIXED);
        git(repo, 'add', '-A');
        const accepted = run('git', ['commit', '-m', 'fixed'], repo);
        expect(accepted.code, accepted.out).toBe(0);
        expect(accepted.out).toMatch(/corslint \(CORS settings\)\.+Passed/);
      },
      INSTALL_TIMEOUT,
    );

    it(
      'lints only the changed files but reads the files they build on (Django base settings)',
      () => {
        writeFiles(repo, {
          'proj/__init__.py': '',
          'proj/settings/__init__.py': '',
          'proj/settings/base.py':
            "INSTALLED_APPS = ['corsheaders']\nMIDDLEWARE = ['corsheaders.middleware.CorsMiddleware', 'django.middleware.common.CommonMiddleware']\nCORS_ALLOW_ALL_ORIGINS = True\n",
        });
        git(repo, 'add', '-A');
        git(repo, 'commit', '-q', '--no-verify', '-m', 'base settings, committed before the hook');

        // Only prod.py is staged; the problem needs base.py to be seen.
        writeFileSync(path.join(repo, 'proj/settings/prod.py'), 'from .base import *\n\nCORS_ALLOW_CREDENTIALS = True\n');
        git(repo, 'add', 'proj/settings/prod.py');
        const refused = run('git', ['commit', '-m', 'prod settings'], repo);
        expect(refused.code, refused.out).not.toBe(0);
        expect(refused.out).toContain('credentialed-reflected-origin');
        expect(refused.out).toContain('proj/settings/base.py');
      },
      INSTALL_TIMEOUT,
    );
  });
});

describe.runIf(!PRE_COMMIT && !REQUIRED)('pre-commit hook (skipped)', () => {
  it('is skipped: pre-commit is not installed (set CORSLINT_REQUIRE_ORACLES=1 to make this fail)', () => {
    expect(PRE_COMMIT).toBeUndefined();
  });
});
