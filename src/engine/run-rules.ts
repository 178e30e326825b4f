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
  const parseSeverity = severities(run, 'parse-error');
  if (parseSeverity !== 'off') findings.push(...run.parseErrors.map((f) => ({ ...f, severity: parseSeverity })));

  const project = { root: run.root, cwd: run.cwd, policies: run.policies, facts: run.facts, trustedOrigins: run.trustedOrigins };
  for (const rule of rules) {
    const severity = severityOf(rule, run.severities, run.trustedOrigins);
    if (severity === 'off') continue;
    const ctx: RuleContext = {
      project,
      evaluate,
      report(d: ReportDescriptor) {
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

function severities(run: RuleRun, id: string): Severity {
  return run.severities[id] ?? 'error';
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
