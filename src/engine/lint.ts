import { statSync } from 'node:fs';
import path from 'node:path';
import type { ExtractContext, Extractor, Finding, Policy, ProjectFact, Severity } from '../model/index.js';
import { ParseError } from '../model/index.js';
import { discoverFiles } from '../discover/files.js';
import { readSourceFile } from '../discover/read.js';
import { extractors as defaultExtractors } from '../extractors/index.js';
import { allRules } from '../../rules/index.js';
import { effectiveSettings } from '../config/settings.js';
import { ConfigTree } from '../config/tree.js';
import ignore from 'ignore';
import { runRules, severityOf } from './run-rules.js';
import { applySuppressions } from './suppressions.js';
import { unusedSuppression } from '../../rules/unused-suppression.js';

export interface LintOptions {
  cwd?: string;
  /** Severity overrides by rule id. */
  rules?: Record<string, Severity>;
  trustedOrigins?: string[];
  /** Extra ignore globs (gitignore syntax), relative to each linted directory. */
  ignore?: string[];
  /**
   * A configuration file to read (--config), or false to read none. By default
   * `corslint.config.json` (or `"corslint"` in package.json) at the project
   * root is read; the options above take precedence over it.
   */
  config?: string | false;
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
  /** The configuration file that was read, if any (absolute). */
  configFile?: string;
  /** The trustedOrigins in effect. */
  trustedOrigins?: string[];
}

export async function lint(paths: string[], options: LintOptions = {}): Promise<LintResult> {
  const started = performance.now();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const targets = paths.length ? paths : ['.'];
  const root = projectRoot(targets, cwd);
  const ruleIds = allRules.map((r) => r.meta.id);
  const settings = effectiveSettings(root, cwd, options, ruleIds);
  const configs = new ConfigTree(root, cwd, settings, options, ruleIds);
  const nestedIgnores = new Map<string, ReturnType<typeof ignore>>();
  const ignoredByNestedConfig = (abs: string): boolean => {
    const g = configs.forFile(abs);
    if (g.dir === root || g.settings.ignore.length === 0) return false;
    let ig = nestedIgnores.get(g.dir);
    if (!ig) nestedIgnores.set(g.dir, (ig = ignore().add(g.settings.ignore)));
    return ig.ignores(path.relative(g.dir, abs).split(path.sep).join('/'));
  };
  const files = await discoverFiles(targets, cwd, settings.ignore);
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
  const ctx: ExtractContext = { root, readFile: readText, displayPath: display, runFiles: new Set(files) };

  const policies: Policy[] = [];
  const facts: ProjectFact[] = [];
  const parseErrors: Finding[] = [];
  let filesParsed = 0;
  let filesSkipped = 0;

  for (const abs of files) {
    // Relative to the root's parent, so the linted folder's own name counts:
    // `corslint sites-enabled/` or `corslint config/` still finds what those names mark.
    const rel = path.relative(path.dirname(root), abs).split(path.sep).join('/');
    const byPath = extractors.filter((e) => e.matchesPath(rel));
    if (byPath.length === 0 || ignoredByNestedConfig(abs)) continue;
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

  const ruleFindings = runRules(allRules, {
    root,
    cwd,
    policies,
    facts,
    parseErrors,
    severities: settings.rules,
    trustedOrigins: settings.trustedOrigins,
    settingsFor: (file) => {
      const s = configs.forFile(path.resolve(cwd, file)).settings;
      return { severities: s.rules, trustedOrigins: s.trustedOrigins };
    },
  });
  const findings = applySuppressions(ruleFindings, {
    files: policies.map((p) => p.loc.file),
    read: (file) => readText(path.resolve(cwd, file)),
    unusedSeverity: severityOf(unusedSuppression, settings.rules),
    knownRuleIds: new Set(allRules.map((r) => r.meta.id)),
    // Given single files (pre-commit), cross-file rules may lack the other half of their evidence.
    mayBeIncomplete: new Set(targets.some((t) => isFile(path.resolve(cwd, t))) ? allRules.filter((r) => r.meta.scope === 'project').map((r) => r.meta.id) : []),
  });

  const result: LintResult = {
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
  if (settings.configFile) result.configFile = settings.configFile;
  if (settings.trustedOrigins) result.trustedOrigins = settings.trustedOrigins;
  return result;
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
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
  if (e instanceof RangeError && /call stack/i.test(msg)) {
    return {
      ruleId: 'parse-error',
      severity: 'error',
      message: `This file nests expressions or blocks too deeply for corslint's ${extractor} extractor to analyse. Its CORS settings were not checked.`,
      file,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
    };
  }
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
