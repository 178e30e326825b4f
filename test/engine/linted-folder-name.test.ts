import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';

describe('the linted folder’s own name marks its files', () => {
  it('`corslint sites-enabled/` reads the extension-less site files in it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corslint-folder-'));
    mkdirSync(path.join(dir, 'sites-enabled'));
    writeFileSync(
      path.join(dir, 'sites-enabled/api'),
      'server {\n  location / {\n    add_header Access-Control-Allow-Origin $http_origin always;\n  }\n}\n',
    );
    const { findings } = await lint(['sites-enabled'], { cwd: dir });
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toContain('sites-enabled/api:3 reflected-origin');
  });

  it('`corslint config/` reads a Laravel config/cors.php', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corslint-folder-'));
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config/cors.php'), "<?php\nreturn [\n  'paths' => ['api/*'],\n  'allowed_origins' => ['*'],\n  'supports_credentials' => true,\n];\n");
    const { findings } = await lint(['config'], { cwd: dir });
    expect(findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toContain('config/cors.php:4 credentialed-reflected-origin');
  });
});
