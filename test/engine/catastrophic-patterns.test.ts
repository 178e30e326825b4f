import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { CLI } from '../support/cli.js';

/**
 * The linter must never hang on a user's pattern. Each configuration below
 * writes patterns that backtrack catastrophically (`^(a+)+$`, `(x+x+)+y`,
 * nested alternations) next to origins and literals that make a
 * backtracking engine explore every split of a long run of `a`s or `x`s
 * (`https://aaaa…a.example.com` gives the probe `https://aaaa…a.example.com.evil.example`).
 * Every evaluation goes through the probes' linear-time matcher, so a full
 * lint() finishes. The time limit is only a hang guard, far above what a
 * lint of one file takes.
 */

const HANG_GUARD_MS = 10_000;
const RUN = 'a'.repeat(40);
const XS = 'x'.repeat(40);

const CONFIGS: Record<string, Record<string, string>> = {
  express: {
    'app.js': `const express = require('express');
const cors = require('cors');
const app = express();

app.use('/regex', cors({ origin: /^(a+)+$/ }));
app.use('/list', cors({ origin: ['https://${RUN}.example.com', /(x+x+)+y/, /^https:\\/\\/((a|aa)+|(b|bb)+)+\\.example\\.com$/] }));
app.use(
  '/function',
  cors({
    origin(origin, callback) {
      if (origin === '${RUN}!' || /^(a+)+$/.test(origin) || /^(a|aa)+$/.test(origin)) return callback(null, true);
      callback(null, false);
    },
    credentials: true,
  }),
);
app.use('/manual', (req, res, next) => {
  const origin = req.headers.origin;
  if (origin === '${XS}' || /(x+x+)+y/.test(origin) || origin.match(/^(a+)+$/)) res.setHeader('Access-Control-Allow-Origin', origin);
  next();
});
app.get('/split', (req, res) => res.json('${RUN}!'.split(/(a+)+$/)));

module.exports = app;
`,
  },
  laravel: {
    'config/cors.php': `<?php

return [
    'paths' => ['api/*', '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'],
    'allowed_origins' => ['https://${RUN}.example.com', 'https://*.${XS}.example.com'],
    'allowed_origins_patterns' => ['#^https://(a+)+$#', '/(x+x+)+y/', '#^https://((a|aa)+)+\\.evil$#i', '~^https://(a|a)*\\z~m'],
    'supports_credentials' => true,
];
`,
  },
  django: {
    'settings.py': `INSTALLED_APPS = ["corsheaders"]
MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]

CORS_ALLOWED_ORIGINS = ["https://${RUN}.example.com"]
CORS_ALLOWED_ORIGIN_REGEXES = [
    r"^https://(a+)+$",
    r"(x+x+)+y",
    r"^https://((a|aa)+)+\\.evil$",
    r"https://(a+)+\\.example\\.com",
]
CORS_URLS_REGEX = r"^/(a+)+$"
CORS_ALLOW_CREDENTIALS = True
`,
  },
  nginx: {
    'nginx.conf': `map $http_origin $cors_origin {
    default "";
    "https://${RUN}.example.com" $http_origin;
    "~^https://(a+)+$" $http_origin;
    "~(x+x+)+y" $http_origin;
    "~*^https://((a|aa)+)+\\.evil$" $http_origin;
}

server {
    listen 80;
    location /api/ {
        if ($http_origin ~* "^https://(a|aa)+(b|bb)+$") {
            add_header X-Debug-Origin $http_origin;
        }
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Vary Origin always;
        proxy_pass http://127.0.0.1:3000;
    }
}
`,
  },
};

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'corslint-catastrophic-'));
  for (const [fw, files] of Object.entries(CONFIGS)) {
    for (const [rel, text] of Object.entries(files)) {
      const abs = path.join(root, fw, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
  }
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('catastrophic patterns never hang the linter', () => {
  for (const fw of Object.keys(CONFIGS)) {
    it(`lint() of a ${fw} configuration finishes`, async () => {
      const started = performance.now();
      const result = await lint([path.join(root, fw)], { cwd: root, config: false });
      expect(performance.now() - started, 'hang guard').toBeLessThan(HANG_GUARD_MS);
      // The configuration was read (a policy came out of it) and nothing crashed into a parse error.
      expect(result.policies.length).toBeGreaterThan(0);
      expect(result.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
      // The patterns were evaluated, not skipped: the unanchored one lets a look-alike in.
      expect(result.findings.map((f) => f.ruleId)).toContain('origin-pattern-bypass');
    });
  }

  it('the command line finishes on all four (a hang here is killed, not waited for)', () => {
    const r = spawnSync(process.execPath, [CLI, '--format', 'json', root], { cwd: root, encoding: 'utf8', timeout: 4 * HANG_GUARD_MS, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.error, 'the CLI was killed by the hang guard').toBeUndefined();
    expect(r.signal).toBeNull();
    expect([0, 1], r.stderr).toContain(r.status);
    expect(r.stdout, r.stderr).not.toBe('');
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string }[]; stats: { policies: number } };
    expect(out.stats.policies).toBeGreaterThanOrEqual(4);
    expect(out.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
  });
});
