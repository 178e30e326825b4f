import { statSync } from 'node:fs';
import path from 'node:path';
import type { ExtractContext, Extractor, Finding, Policy, ProjectFact, Severity } from '../model/index.js';
import { ParseError } from '../model/index.js';
import { discoverFiles } from '../discover/files.js';
import { readSourceFile } from '../discover/read.js';
import { extractors as defaultExtractors } from '../extractors/index.js';
import { allRules } from '../../rules/index.js';
import { runRules } from './run-rules.js';

export interface LintOptions {
  cwd?: string;
  /** Severity overrides by rule id. */
  rules?: Record<string, Severity>;
  trustedOrigins?: string[];
  /** Extra ignore globs (gitignore syntax), relative to each linted directory. */
  ignore?: string[];
  extractors?: Extractor[];
}

export interface LintStats {
  filesDiscovered: number;
  filesParsed: number;
  policies: number;
  durationMs: number;
  /** Files passed over: over the size limit, binary or unreadable. */
  filesSkipped: number;
}

export interface LintResult {
  findings: Finding[];
  policies: Policy[];
  facts: ProjectFact[];
  stats: LintStats;
  root: string;
}

export async function lint(paths: string[], options: LintOptions = {}): Promise<LintResult> {
  const started = performance.now();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const targets = paths.length ? paths : ['.'];
  const files = await discoverFiles(targets, cwd, options.ignore);
  const root = projectRoot(targets, cwd);
  const extractors = options.extractors ?? defaultExtractors;

  const display = (abs: string) => path.relative(cwd, abs).split(path.sep).join('/') || '.';
  const cache = new Map<string, string | undefined>();
  const readText = (abs: string): string | undefined => {
    if (cache.has(abs)) return cache.get(abs);
    const r = readSourceFile(abs);
    const text = r.kind === 'text' ? r.text : undefined;
    cache.set(abs, text);
    return text;
  };
  const ctx: ExtractContext = { root, readFile: readText, displayPath: display };

  const policies: Policy[] = [];
  const facts: ProjectFact[] = [];
  const parseErrors: Finding[] = [];
  let filesParsed = 0;
  let filesSkipped = 0;

  for (const abs of files) {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    const byPath = extractors.filter((e) => e.matchesPath(rel));
    if (byPath.length === 0) continue;
    const r = readSourceFile(abs);
    if (r.kind === 'skipped') {
      filesSkipped++;
      continue;
    }
    cache.set(abs, r.text);
    const wanted = byPath.filter((e) => e.sniff(r.text));
    if (wanted.length === 0) continue;
    filesParsed++;
    const file = { path: display(abs), absPath: abs, text: r.text };
    for (const ex of wanted) {
      try {
        const out = await ex.extract(file, ctx);
        policies.push(...out.policies);
        if (out.facts) facts.push(...out.facts);
      } catch (e) {
        parseErrors.push(failureFinding(e, file.path, ex.name));
      }
    }
  }

  const findings = runRules(allRules, {
    root,
    policies,
    facts,
    parseErrors,
    severities: options.rules ?? {},
    trustedOrigins: options.trustedOrigins,
  });

  return {
    findings,
    policies,
    facts,
    root,
    stats: {
      filesDiscovered: files.length,
      filesParsed,
      policies: policies.length,
      durationMs: Math.round(performance.now() - started),
      filesSkipped,
    },
  };
}

/** A single directory is the project; files (pre-commit) and several paths take the working directory. */
function projectRoot(targets: string[], cwd: string): string {
  if (targets.length === 1) {
    const abs = path.resolve(cwd, targets[0]!);
    try {
      if (statSync(abs).isDirectory()) return abs;
    } catch {
      /* discoverFiles reports missing paths */
    }
  }
  return cwd;
}

/** No input may stop the run: a parser failure or an extractor bug becomes a finding on that file. */
function failureFinding(e: unknown, file: string, extractor: string): Finding {
  if (e instanceof ParseError) {
    return {
      ruleId: 'parse-error',
      severity: 'error',
      message: `corslint could not parse this file (${extractor}): ${e.message}. Its CORS settings were not checked.`,
      file,
      line: e.loc.line,
      column: e.loc.column,
      endLine: e.loc.endLine,
      endColumn: e.loc.endColumn,
    };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return {
    ruleId: 'parse-error',
    severity: 'error',
    message: `corslint's ${extractor} extractor failed on this file (${msg}); please report it. Its CORS settings were not checked.`,
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  };
}
