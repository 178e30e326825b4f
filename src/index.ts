/** corslint's public API: lint paths and get findings, policies and stats. */
import { allRules } from '../rules/index.js';
import { loadConfig as loadProjectConfig, type LoadedConfig } from './config/index.js';

export { lint } from './engine/lint.js';
export type { LintOptions, LintResult, LintStats } from './engine/lint.js';
export { evaluate } from './semantics/index.js';
export { allRules, ruleById } from '../rules/index.js';
/** What `corslint inspect --format json` prints (docs/inspect.md), as objects. */
export { inspect } from './inspect/index.js';
export type { InspectResult, PolicyView, ProbeView, ValueView } from './inspect/index.js';
export { ConfigError } from './config/index.js';
export type { CorslintConfig, LoadedConfig } from './config/index.js';
export type * from './model/index.js';

/**
 * The configuration lint() would use for a project: `config` (a path, like
 * `--config`) when given, else `corslint.config.json` at `root`, else the
 * `"corslint"` key of its package.json, else none (`{ config: {} }`). Read as
 * JSON and validated, never executed; a bad key or value throws ConfigError
 * with one line naming it.
 */
export function loadConfig(root: string, options: { config?: string; cwd?: string } = {}): LoadedConfig {
  return loadProjectConfig(
    root,
    allRules.map((r) => r.meta.id),
    options.config,
    options.cwd ?? process.cwd(),
  );
}
