import type { InspectResult } from './collect.js';

/** `corslint inspect --format json`: the shape documented in docs/inspect.md (version 1). */
export function formatInspectJson(r: InspectResult): string {
  const out = {
    version: r.version,
    root: r.root,
    configFile: r.configFile ?? null,
    trustedOrigins: r.trustedOrigins ?? null,
    policies: r.policies,
    findings: r.findings.map((f) => {
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
    }),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
