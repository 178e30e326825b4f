import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine/lint.js';
import type { Finding } from '../src/model/index.js';
import { REPO, expectations, fixtureUnits, type Expectation } from './support/fixtures.js';

/**
 * The generic fixture runner: every annotated finding must appear, and
 * nothing else. A finding matches an annotation when the annotated line lies
 * within its line..endLine.
 */
const units = fixtureUnits();

const covers = (f: Finding, e: Expectation) => f.ruleId === e.ruleId && f.file === e.file && f.line <= e.line && e.line <= f.endLine;

describe('fixtures', () => {
  it('has fixtures', () => {
    expect(units.length).toBeGreaterThan(0);
  });

  for (const unit of units) {
    it(unit.target, async () => {
      const { findings } = await lint([unit.target], { cwd: REPO });
      const expected = unit.files.flatMap(expectations);
      const missing = expected.filter((e) => !findings.some((f) => covers(f, e)));
      const unexpected = findings.filter((f) => !expected.some((e) => covers(f, e)));
      expect({
        missing: missing.map((e) => `${e.file}:${e.line} ${e.ruleId}`),
        unexpected: unexpected.map((f) => `${f.file}:${f.line}-${f.endLine} ${f.ruleId}: ${f.message}`),
      }).toEqual({ missing: [], unexpected: [] });
    });
  }
});
