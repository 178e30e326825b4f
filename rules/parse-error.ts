import type { Rule } from '../src/model/index.js';

/** Reported by the engine while extracting; this entry gives the rule its id, docs and severity. */
export const parseError: Rule = {
  meta: {
    id: 'parse-error',
    defaultSeverity: 'error',
    description: 'A candidate file could not be parsed, so its CORS settings were not checked.',
    scope: 'policy',
  },
  check() {},
};
