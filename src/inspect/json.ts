import { findingJson } from '../formatters/json.js';
import type { InspectResult } from './collect.js';

/** `corslint inspect --format json`: the shape documented in docs/inspect.md (version 1). */
export function formatInspectJson(r: InspectResult): string {
  const out = {
    version: r.version,
    root: r.root,
    configFile: r.configFile ?? null,
    trustedOrigins: r.trustedOrigins ?? null,
    policies: r.policies,
    findings: r.findings.map(findingJson),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
