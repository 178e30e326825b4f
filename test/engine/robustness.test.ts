import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';

describe('hostile input never stops the run', () => {
  it('deep nesting becomes a parse-error finding and the other files are still linted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corslint-deep-'));
    const depth = 3000;
    writeFileSync(
      path.join(dir, 'deep.conf'),
      `server { location / { ${'if ($a) { '.repeat(depth)}add_header Access-Control-Allow-Origin $http_origin;${'}'.repeat(depth)} } }\n`,
    );
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config/cors.php'), `<?php return ['allowed_origins' => ${'['.repeat(depth)}${']'.repeat(depth)}];\n`);
    writeFileSync(path.join(dir, 'app.js'), "const cors = require('cors');\nmodule.exports = cors({ origin: true });\n");
    const { findings } = await lint(['.'], { cwd: dir });
    const byFile = Object.fromEntries(findings.map((f) => [f.file, f]));
    expect(byFile['app.js']?.ruleId).toBe('reflected-origin');
    for (const f of ['deep.conf', 'config/cors.php']) {
      expect(byFile[f]?.ruleId, f).toBe('parse-error');
      expect(byFile[f]?.message, f).toMatch(/nests .* too deeply|could not parse/);
    }
  });
});
