import type { Finding } from '../model/index.js';
import type { LintStats } from '../engine/lint.js';
import { formatJson } from './json.js';
import { formatStylish } from './stylish.js';

export const FORMATS = ['stylish', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export function format(name: Format, findings: Finding[], stats: LintStats, opts: { color: boolean }): string {
  switch (name) {
    case 'stylish':
      return formatStylish(findings, opts.color);
    case 'json':
      return formatJson(findings, stats);
  }
}
