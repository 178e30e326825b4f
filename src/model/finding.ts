import type { Loc } from './loc.js';
import type { Framework } from './policy.js';

export type Severity = 'error' | 'warning' | 'off';

export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Exclude<Severity, 'off'>;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  framework?: Framework;
  related?: RelatedLocation[];
}

export function relatedAt(loc: Loc, message: string): RelatedLocation {
  return { file: loc.file, line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn, message };
}
