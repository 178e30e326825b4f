/** corslint's public API: lint paths and get findings, policies and stats. */
export { lint } from './engine/lint.js';
export type { LintOptions, LintResult, LintStats } from './engine/lint.js';
export { evaluate } from './semantics/index.js';
export { allRules, ruleById } from '../rules/index.js';
export type * from './model/index.js';
