import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { parseSuppressions } from '../../src/engine/suppressions.js';
import { REPO, expectations, fixtureUnits } from '../support/fixtures.js';

/**
 * The fixture runner shows that fixtures/suppressions/ reports nothing but
 * its unused suppressions. This shows the suppressions are what keeps it
 * quiet: with the comments disarmed, every suppression not expected to be
 * unused has a real finding on its target line.
 */
const units = fixtureUnits().filter((u) => u.target.startsWith('fixtures/suppressions/'));

describe('fixtures/suppressions', () => {
  it('exist', () => {
    expect(units.length).toBeGreaterThanOrEqual(3);
  });

  for (const unit of units) {
    it(`${unit.target}: each used suppression hides a real finding`, async () => {
      const copy = mkdtempSync(path.join(tmpdir(), 'corslint-suppression-fixtures-'));
      cpSync(path.join(REPO, 'fixtures/suppressions'), path.join(copy, 'fixtures/suppressions'), { recursive: true });
      const used: { file: string; target: number }[] = [];
      for (const file of unit.files) {
        const text = readFileSync(path.join(REPO, file), 'utf8');
        const unusedLines = new Set(expectations(file).filter((e) => e.ruleId === 'unused-suppression').map((e) => e.line));
        for (const s of parseSuppressions(file, text)) if (!unusedLines.has(s.loc.line)) used.push({ file, target: s.target });
        writeFileSync(path.join(copy, file), text.replaceAll('corslint-disable-', 'corslint-disarmed-'));
      }
      expect(used.length).toBeGreaterThan(0);
      const { findings } = await lint([unit.target], { cwd: copy });
      const uncovered = used.filter((u) => !findings.some((f) => f.file === u.file && f.line <= u.target && u.target <= f.endLine));
      expect(uncovered).toEqual([]);
    });
  }
});
