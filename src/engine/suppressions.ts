import type { Finding, Loc, Severity } from '../model/index.js';
import { sortFindings } from './sort.js';

/**
 * `corslint-disable-line <id>[, <id>] [-- reason]` and
 * `corslint-disable-next-line ...` in any comment syntax (`//`, `/* *\/`,
 * `#`, `<!-- -->`). Found with a cheap text scan instead of each language's
 * parser: the marker counts only when a comment opener stands right before it,
 * so a string that happens to contain it is not a suppression.
 */
export interface Suppression {
  kind: 'line' | 'next-line';
  /** Empty: every rule. */
  ruleIds: string[];
  reason?: string;
  /** The line whose findings it suppresses. */
  target: number;
  /** The directive, from the comment opener to the end of the comment on that line. */
  loc: Loc;
}

const MARKER = /corslint-disable-(next-line|line)(?![\w-])/g;
/** What may stand right before the marker: a comment opener and spaces. */
const OPENER = /(\/\/+|\/\*+|#+|<!--)[ \t]*$/;
/** ` * corslint-...` inside a block comment that started on an earlier line. */
const CONTINUATION = /^[ \t]*\*+[ \t]*$/;

export function parseSuppressions(file: string, text: string): Suppression[] {
  if (!text.includes('corslint-disable-')) return [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const out: Suppression[] = [];
  for (const m of text.matchAll(MARKER)) {
    const at = m.index;
    const line = lineOf(at);
    const lineStart = lineStarts[line - 1]!;
    const lineEnd = line < lineStarts.length ? lineStarts[line]! - 1 : text.length;
    const before = text.slice(lineStart, at);
    const opener = OPENER.exec(before);
    let openerStart: number;
    let block: boolean;
    if (opener) {
      openerStart = lineStart + opener.index;
      block = opener[1]!.startsWith('/*') || opener[1] === '<!--';
    } else if (CONTINUATION.test(before) && insideBlockComment(text, lineStart)) {
      openerStart = lineStart + before.indexOf('*');
      block = true;
    } else {
      continue;
    }

    const restStart = at + m[0].length;
    const rest = text.slice(restStart, lineEnd).replace(/\r$/, '');
    const closer = block ? closerAt(rest) : -1;
    const body = closer === -1 ? rest : rest.slice(0, closer);
    const directiveEnd = closer === -1 ? restStart + rest.length : restStart + closer + closerLength(rest, closer);
    const endColumn = directiveEnd - lineStart + 1;

    const sep = /(?:^|\s)--(?:\s|$)/.exec(body);
    const idsPart = sep ? body.slice(0, sep.index) : body;
    const reason = sep ? body.slice(sep.index + sep[0].length).trim() : '';
    const ruleIds = idsPart.split(/[\s,]+/).filter(Boolean);

    const kind = m[1] === 'next-line' ? 'next-line' : 'line';
    // A block comment that goes on past this line suppresses the line after it ends.
    let commentEndLine = line;
    if (kind === 'next-line' && block && closer === -1) {
      const close = closerAt(text, lineEnd);
      if (close !== -1) commentEndLine = lineOf(close);
    }
    const s: Suppression = {
      kind,
      ruleIds,
      target: kind === 'line' ? line : commentEndLine + 1,
      loc: { file, line, column: openerStart - lineStart + 1, endLine: line, endColumn },
    };
    if (reason) s.reason = reason;
    out.push(s);
  }
  return out;
}

function insideBlockComment(text: string, offset: number): boolean {
  const open = text.lastIndexOf('/*', offset);
  return open !== -1 && text.lastIndexOf('*/', offset) < open;
}

/** Where the next `*\/` or `-->` starts, or -1. */
function closerAt(text: string, from = 0): number {
  const a = text.indexOf('*/', from);
  const b = text.indexOf('-->', from);
  if (a === -1) return b;
  if (b === -1) return a;
  return Math.min(a, b);
}

function closerLength(s: string, at: number): number {
  return s.startsWith('-->', at) ? 3 : 2;
}

export interface SuppressionRun {
  /** Display paths of files that hold policies; files with findings are scanned anyway. */
  files: Iterable<string>;
  /** The text of a file by display path. */
  read(file: string): string | undefined;
  /** Severity of `unused-suppression` ('off': never reported). */
  unusedSeverity: Severity;
  /** Every rule id corslint knows, to call out misspelled ones. */
  knownRuleIds: ReadonlySet<string>;
  /**
   * Rules whose findings depend on files that may not have been linted
   * (cross-file rules when only some files are given, as pre-commit does):
   * a suppression naming only these is not reported as unused.
   */
  mayBeIncomplete?: ReadonlySet<string>;
}

/**
 * Drops findings that a suppression comment covers, then reports the
 * suppressions that covered nothing (as ESLint reports unused
 * eslint-disable directives). A suppression covers a finding when its line
 * lies within the finding's line..endLine and it names the finding's rule or
 * names none.
 */
export function applySuppressions(findings: Finding[], run: SuppressionRun): Finding[] {
  const files = new Set(run.files);
  for (const f of findings) files.add(f.file);

  const byFile = new Map<string, { s: Suppression; used: Set<string> }[]>();
  for (const file of files) {
    const text = run.read(file);
    if (text === undefined) continue;
    const list = parseSuppressions(file, text).map((s) => ({ s, used: new Set<string>() }));
    if (list.length) byFile.set(file, list);
  }
  if (byFile.size === 0) return findings;

  const kept = findings.filter((f) => {
    const covering = (byFile.get(f.file) ?? []).filter(
      ({ s }) => f.line <= s.target && s.target <= Math.max(f.line, f.endLine) && (s.ruleIds.length === 0 || s.ruleIds.includes(f.ruleId)),
    );
    for (const c of covering) c.used.add(f.ruleId);
    return covering.length === 0;
  });

  if (run.unusedSeverity === 'off') return kept;
  const severity = run.unusedSeverity;
  for (const list of byFile.values()) {
    for (const { s, used } of list) {
      const message = unusedMessage(s, used, run);
      if (message) kept.push({ ruleId: 'unused-suppression', severity, message, ...locFields(s.loc) });
    }
  }
  return sortFindings(kept);
}

function unusedMessage(s: Suppression, used: Set<string>, run: SuppressionRun): string | undefined {
  const directive = `corslint-disable-${s.kind}`;
  const where = s.kind === 'line' ? 'this line' : `line ${s.target}`;
  if (s.ruleIds.length === 0) {
    return used.size ? undefined : `\`${directive}\` suppresses nothing: corslint reports no problem on ${where}. Remove the comment.`;
  }
  const unknownIds = s.ruleIds.filter((id) => !run.knownRuleIds.has(id));
  const unusedIds = s.ruleIds.filter((id) => run.knownRuleIds.has(id) && !used.has(id) && !run.mayBeIncomplete?.has(id));
  const parts: string[] = [];
  if (unknownIds.length) parts.push(`${list(unknownIds)} ${unknownIds.length === 1 ? 'is not a corslint rule' : 'are not corslint rules'}`);
  if (unusedIds.length) parts.push(`there is no ${list(unusedIds)} problem on ${where}`);
  if (!parts.length) return undefined;
  const all = unknownIds.length + unusedIds.length === s.ruleIds.length;
  return `Unused \`${directive}\`: ${parts.join('; ')}. ${all ? 'Remove the comment.' : 'Remove the unused rule ids from it.'}`;
}

function list(ids: string[]): string {
  return ids.map((id) => `\`${id}\``).join(', ');
}

function locFields(loc: Loc) {
  return { file: loc.file, line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn };
}
