import type { Finding } from '../model/index.js';
import type { LintStats } from '../engine/lint.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
  /** The directory findings' paths are relative to (SARIF's %SRCROOT%); defaults to process.cwd(). */
  cwd?: string;
}

export function format(name: Format, findings: Finding[], stats: LintStats, opts: FormatOptions): string {
  switch (name) {
    case 'stylish':
      return formatStylish(findings, opts.color);
    case 'json':
      return formatJson(findings, stats);
    case 'sarif':
      return formatSarif(findings, opts.cwd === undefined ? {} : { cwd: opts.cwd });
    case 'github':
      return formatGithub(findings);
  }
}
