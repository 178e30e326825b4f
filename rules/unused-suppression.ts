import type { Rule } from '../src/model/index.js';

/** Reported by the engine after suppressions are applied (src/engine/suppressions.ts); this entry gives it its id, docs and severity. */
export const unusedSuppression: Rule = {
  meta: {
    id: 'unused-suppression',
    defaultSeverity: 'warning',
    description: 'A corslint-disable comment suppresses nothing: the problem it silenced is gone, or it names a rule that does not exist.',
    scope: 'project',
  },
  check() {},
};
