import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/lint.js';
import type { Finding } from '../src/model/index.js';
import { FIXTURES, REPO, expectations, fixtureUnits, type Expectation } from './support/fixtures.js';

/**
 * `npx corslint fixtures/<fw>` must report exactly the annotated findings,
 * as the per-unit runner does: linting many files together may not change
 * what each one yields (no cross-talk between unrelated files).
 */
const covers = (f: Finding, e: Expectation) => f.ruleId === e.ruleId && f.file === e.file && f.line <= e.line && e.line <= f.endLine;

describe('linting a whole fixture folder at once', () => {
  for (const fw of readdirSync(FIXTURES).sort()) {
    it(`fixtures/${fw}`, async () => {
      const expected = fixtureUnits(path.join(FIXTURES, fw)).flatMap((u) => u.files.flatMap(expectations));
      const { findings } = await lint([`fixtures/${fw}`], { cwd: REPO });
      expect({
        missing: expected.filter((e) => !findings.some((f) => covers(f, e))).map((e) => `${e.file}:${e.line} ${e.ruleId}`),
        unexpected: findings.filter((f) => !expected.some((e) => covers(f, e))).map((f) => `${f.file}:${f.line} ${f.ruleId}`),
      }).toEqual({ missing: [], unexpected: [] });
    });
  }
});
