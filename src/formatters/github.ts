import type { Finding } from '../model/index.js';
import { docsUrl } from '../docs-url.js';

/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the
 * pull request's diff (`::error file=…,line=…::message`). Escaping follows
 * @actions/core: `%`, CR and LF in the message; also `:` and `,` in
 * properties, which would otherwise end the property.
 */
export function formatGithub(findings: Finding[]): string {
  return findings.map(annotation).join('');
}

function annotation(f: Finding): string {
  const props: [string, string | number][] = [
    ['file', f.file],
    ['line', f.line],
    ['endLine', Math.max(f.line, f.endLine)],
  ];
  // Annotations take columns only for a span on one line.
  if (f.endLine <= f.line) {
    props.push(['col', f.column], ['endColumn', Math.max(f.column, f.endColumn)]);
  }
  props.push(['title', `corslint ${f.ruleId}`]);
  const related = (f.related ?? []).map((r) => `\n↳ ${r.file}:${r.line}:${r.column} ${r.message}`).join('');
  const message = `${f.message}${related}\n${docsUrl(f.ruleId)}`;
  const command = f.severity === 'error' ? 'error' : 'warning';
  return `::${command} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}\n`;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
