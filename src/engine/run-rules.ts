import type { Finding, Policy, ProjectFact, ReportDescriptor, Rule, RuleContext, Severity } from '../model/index.js';
import { evaluate } from '../semantics/index.js';
import { sortFindings } from './sort.js';

export interface RuleRun {
  root: string;
  /** What finding paths are relative to. */
  cwd?: string;
  policies: Policy[];
  facts: ProjectFact[];
  /** parse-error findings made while extracting. */
  parseErrors: Finding[];
  severities: Record<string, Severity>;
  trustedOrigins?: string[];
  /**
   * The settings that govern a finding's file (display path), when nested
   * configurations may differ from the root's (see src/config/tree.ts).
   */
  settingsFor?: (file: string) => { severities: Record<string, Severity>; trustedOrigins?: string[] };
}

export function severityOf(rule: Rule, severities: Record<string, Severity>, trustedOrigins?: string[]): Severity {
  const configured = severities[rule.meta.id];
  if (configured) return configured;
  // untrusted-origin has nothing to compare against until trustedOrigins is configured.
  if (rule.meta.id === 'untrusted-origin' && trustedOrigins?.length) return 'warning';
  return rule.meta.defaultSeverity;
}

export function runRules(rules: Rule[], run: RuleRun): Finding[] {
  const findings: Finding[] = [];
  const governing = (file: string) => run.settingsFor?.(file) ?? run;
  for (const f of run.parseErrors) {
    const severity = governing(f.file).severities['parse-error'] ?? 'error';
    if (severity !== 'off') findings.push({ ...f, severity });
  }

  const project = {
    root: run.root,
    cwd: run.cwd,
    policies: run.policies,
    facts: run.facts,
    trustedOrigins: run.trustedOrigins,
    trustedOriginsFor: (file: string) => governing(file).trustedOrigins,
  };
  for (const rule of rules) {
    // With nested configurations a rule off at the root may be on below it: decide per finding.
    if (!run.settingsFor && severityOf(rule, run.severities, run.trustedOrigins) === 'off') continue;
    const ctx: RuleContext = {
      project,
      evaluate,
      report(d: ReportDescriptor) {
        const s = governing(d.loc.file);
        const severity = severityOf(rule, s.severities, s.trustedOrigins);
        if (severity === 'off') return;
        const f: Finding = {
          ruleId: rule.meta.id,
          severity,
          message: d.message,
          file: d.loc.file,
          line: d.loc.line,
          column: d.loc.column,
          endLine: d.loc.endLine,
          endColumn: d.loc.endColumn,
        };
        if (d.framework) f.framework = d.framework;
        if (d.related?.length) f.related = d.related;
        findings.push(f);
      },
    };
    rule.check(ctx);
  }
  return sortFindings(dedupe(findings));
}

/** RULES.md decision 16: one options object used twice gives one finding. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\0${f.file}\0${f.line}\0${f.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
