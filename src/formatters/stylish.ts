import pc from 'picocolors';
import type { Finding } from '../model/index.js';
import { docsUrl } from '../docs-url.js';

type Colors = ReturnType<typeof pc.createColors>;

/** ESLint's familiar layout: findings grouped by file, a summary line, the rule's docs link. */
export function formatStylish(findings: Finding[], color: boolean): string {
  const c: Colors = pc.createColors(color);
  if (findings.length === 0) return '';
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(c.underline(file));
    for (const f of list) {
      const sev = f.severity === 'error' ? c.red('error') : c.yellow('warning');
      lines.push(`  ${c.dim(`${f.line}:${f.column}`)}  ${sev}  ${f.message}  ${c.dim(f.ruleId)}`);
      for (const r of f.related ?? []) lines.push(`      ${c.dim(`↳ ${r.file}:${r.line}:${r.column} ${r.message}`)}`);
      lines.push(`      ${c.dim(docsUrl(f.ruleId))}`);
    }
    lines.push('');
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const summary = `✖ ${findings.length} problem${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`;
  lines.push(errors ? c.red(c.bold(summary)) : c.yellow(c.bold(summary)));
  return `${lines.join('\n')}\n`;
}
