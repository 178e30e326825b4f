import type { Finding } from '../model/index.js';
import type { LintStats } from '../engine/lint.js';

/** The stable, documented JSON shape (RULES.md "JSON output"): version 1. */
export function formatJson(findings: Finding[], stats: LintStats): string {
  const out = {
    version: 1,
    findings: findings.map((f) => {
      const o = findingJson(f);
      if (f.related?.length) o.related = f.related.map((r) => ({ file: r.file, line: r.line, column: r.column, message: r.message }));
      return o;
    }),
    stats: {
      filesDiscovered: stats.filesDiscovered,
      filesParsed: stats.filesParsed,
      policies: stats.policies,
      durationMs: stats.durationMs,
    },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** A finding as both JSON outputs write it (`corslint --format json` adds `related`, `inspect` does not). */
export function findingJson(f: Finding): Record<string, unknown> {
  const o: Record<string, unknown> = {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
  };
  if (f.framework) o.framework = f.framework;
  return o;
}
