import path from 'node:path';
import type * as ES from 'estree';
import { allRules } from '../../rules/index.js';
import { readSourceFile } from '../discover/read.js';
import { applySuppressions } from '../engine/suppressions.js';
import { runRules } from '../engine/run-rules.js';
import { contextResolver, expressExtractor, extractFromProgram } from '../extractors/express/index.js';
import { extractFastifyFromProgram, fastifyExtractor } from '../extractors/fastify/index.js';
import { projectVersions } from '../extractors/js-middleware/version.js';
import { extractKoaFromProgram, koaExtractor } from '../extractors/koa/index.js';
import type { ExtractContext, Finding, Policy, Rule, Severity } from '../model/index.js';

/**
 * corslint rules the ESLint plugin offers: the ones decided on one policy at
 * a time, which a single JavaScript/TypeScript file can carry. Left out:
 * parse errors (ESLint reports its own), suppression bookkeeping, cross-file
 * rules, and rules that only Django settings or nginx configuration can
 * trigger.
 */
const NOT_FOR_JS = new Set(['parse-error', 'unused-suppression', 'django-middleware-order', 'nginx-cors-without-always', 'dropped-cors-headers']);

export function pluginRules(): Rule[] {
  return allRules.filter((r) => r.meta.scope === 'policy' && !NOT_FOR_JS.has(r.meta.id));
}

export interface FileInput {
  /** The program ESLint parsed (espree, @typescript-eslint/parser, ...). */
  ast: ES.Program;
  text: string;
  /** Absolute path of the linted file. */
  filename: string;
  /** ESLint's working directory: the project root for paths and dev-config detection. */
  cwd: string;
  trustedOrigins?: string[];
}

export interface Analysis {
  /** Findings placed in the linted file. */
  findings: Finding[];
  /** The Express/NestJS/manual-header, Fastify and Koa policies found in it. */
  policies: Policy[];
}

const EMPTY: Analysis = { findings: [], policies: [] };

/**
 * Runs the Express, Fastify and Koa extractors over ESLint's own AST (no second parse of the
 * linted file; imported modules of the project are read and parsed the way
 * the CLI does) and the corslint rules over each policy. A finding that
 * corslint places in an imported module (an allowlist in config/origins.js)
 * is reported at the policy in this file, naming where the value is.
 */
export function analyzeFile(input: FileInput): Analysis {
  const cwd = path.resolve(input.cwd);
  const abs = path.resolve(cwd, input.filename);
  const display = (p: string) => path.relative(cwd, p).split(path.sep).join('/') || '.';
  const file = display(abs);
  if (!expressExtractor.matchesPath(file) || !expressExtractor.sniff(input.text)) return EMPTY;

  const ctx: ExtractContext = {
    root: cwd,
    readFile: (p) => (p === abs ? input.text : textOf(p)),
    displayPath: display,
  };
  const resolve = contextResolver(ctx);
  const results = [extractFromProgram(input.ast, file, resolve, { id: abs, text: input.text })];
  // @fastify/cors and @koa/cors on the same AST (their sniffs are narrower than Express's).
  const plugins = { id: abs, text: input.text, versionOf: projectVersions(abs, cwd, ctx.readFile) };
  if (fastifyExtractor.sniff(input.text)) results.push(extractFastifyFromProgram(input.ast, file, resolve, plugins));
  if (koaExtractor.sniff(input.text)) results.push(extractKoaFromProgram(input.ast, file, resolve, plugins));
  const policies = results.flatMap((r) => r.policies);
  const facts = results.flatMap((r) => r.facts ?? []);
  if (policies.length === 0) return EMPTY;

  const rules = pluginRules();
  const severities: Record<string, Severity> = Object.fromEntries(rules.map((r) => [r.meta.id, 'error' as const]));
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const policy of policies) {
    const own = runRules(rules, { root: cwd, cwd, policies: [policy], facts, parseErrors: [], severities, trustedOrigins: input.trustedOrigins });
    for (const f of own) {
      const placed = f.file === file ? f : relocate(f, policy, file);
      if (!placed) continue;
      const key = `${placed.ruleId}\0${placed.line}\0${placed.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(placed);
    }
  }
  // corslint-disable comments mean the same here as in the CLI; unused ones are the CLI's to report.
  const kept = applySuppressions(findings, {
    files: [file],
    read: (f) => (f === file ? input.text : undefined),
    unusedSeverity: 'off',
    knownRuleIds: new Set(allRules.map((r) => r.meta.id)),
  });
  return { findings: kept, policies };
}

function relocate(f: Finding, policy: Policy, file: string): Finding | undefined {
  if (policy.loc.file !== file) return undefined;
  return {
    ...f,
    message: `${f.message} (The value is in ${f.file}:${f.line}:${f.column}.)`,
    file,
    line: policy.loc.line,
    column: policy.loc.column,
    endLine: policy.loc.endLine,
    endColumn: policy.loc.endColumn,
  };
}

function textOf(abs: string): string | undefined {
  const r = readSourceFile(abs);
  return r.kind === 'text' ? r.text : undefined;
}
