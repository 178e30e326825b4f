import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { isJsSourcePath, looksGenerated } from '../../src/extractors/js-middleware/source-files.js';

const reflect = "const cors = require('cors');\nmodule.exports = cors({ origin: true, credentials: true });\n";

describe('generated JavaScript is not linted', () => {
  it('passes over minified, bundled and declaration files by name', () => {
    expect(isJsSourcePath('src/server.ts')).toBe(true);
    expect(isJsSourcePath('server.mjs')).toBe(true);
    for (const p of ['public/js/app.min.js', 'dist-x/vendor.bundle.js', 'static/js/main.3f2a.chunk.js', 'types/index.d.ts', 'README.md']) {
      expect(isJsSourcePath(p), p).toBe(false);
    }
  });

  it('recognises bundles and minified code by content', () => {
    expect(looksGenerated(reflect)).toBe(false);
    expect(looksGenerated(`/******/ (() => { // webpackBootstrap\n${reflect}`)).toBe(true);
    expect(looksGenerated(`function __webpack_require__(id) {}\n${reflect}`)).toBe(true);
    expect(looksGenerated(`${'var a=1;'.repeat(400)}\n${reflect}`)).toBe(true);
  });

  it('a Laravel Mix bundle that mentions cors yields nothing, its source still does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corslint-bundle-'));
    mkdirSync(path.join(dir, 'public/js'), { recursive: true });
    mkdirSync(path.join(dir, 'server'));
    writeFileSync(path.join(dir, 'public/js/app.js'), `/******/ (() => {\nfunction __webpack_require__() {}\n${reflect}})();\n`);
    writeFileSync(path.join(dir, 'server/app.js'), reflect);
    const { findings } = await lint(['.'], { cwd: dir });
    expect(findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['server/app.js credentialed-reflected-origin']);
  });
});
