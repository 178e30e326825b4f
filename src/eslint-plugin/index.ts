import type { ESLint, Linter, Rule as ESLintRule, SourceCode } from 'eslint';
import type * as ES from 'estree';
import { docsUrl } from '../docs-url.js';
import type { Finding, Rule } from '../model/index.js';
import { packageInfo } from '../package-info.js';
import { analyzeFile, pluginRules, type Analysis } from './analyze.js';

/**
 * corslint as an ESLint (9, 10) flat-config plugin:
 *
 *   import corslint from 'corslint/eslint-plugin';
 *   export default [corslint.configs.recommended];
 *
 * Every rule runs the same Express extractor and the same corslint rule as
 * the CLI, on the AST ESLint already parsed. ESLint's own `eslint-disable`
 * comments apply as usual; `corslint-disable` comments are honoured too.
 */

/** Where `origin: true` / `origin: '*'` may be replaced by an allowlist: offered as a suggestion, never applied on its own. */
const ALLOWLIST_SUGGESTION_RULES = new Set(['credentialed-reflected-origin', 'reflected-origin', 'credentialed-wildcard', 'wildcard-origin']);
const ALLOWLIST_PLACEHOLDER = "['https://app.example.com']";

interface RuleOptions {
  trustedOrigins?: string[];
}

/** One analysis per file and options, shared by all corslint rules of that ESLint run. */
const cache = new WeakMap<SourceCode, Map<string, Analysis>>();

function analysisFor(context: ESLintRule.RuleContext, options: RuleOptions): Analysis {
  const sourceCode = context.sourceCode;
  const key = JSON.stringify(options.trustedOrigins ?? null);
  let perOptions = cache.get(sourceCode);
  if (!perOptions) cache.set(sourceCode, (perOptions = new Map()));
  let analysis = perOptions.get(key);
  if (!analysis) {
    try {
      analysis = analyzeFile({
        ast: sourceCode.ast as unknown as ES.Program,
        text: sourceCode.text,
        filename: context.filename,
        cwd: context.cwd,
        ...(options.trustedOrigins ? { trustedOrigins: options.trustedOrigins } : {}),
      });
    } catch (e) {
      // A bug in corslint must not stop ESLint's other rules on this file.
      process.emitWarning(`corslint could not analyse ${context.filename}: ${e instanceof Error ? e.message : String(e)}. Please report it.`);
      analysis = { findings: [], policies: [] };
    }
    perOptions.set(key, analysis);
  }
  return analysis;
}

function eslintRule(rule: Rule): ESLintRule.RuleModule {
  const id = rule.meta.id;
  const takesTrustedOrigins = id === 'untrusted-origin';
  const suggests = ALLOWLIST_SUGGESTION_RULES.has(id);
  return {
    meta: {
      type: 'problem',
      docs: {
        description: rule.meta.description,
        url: docsUrl(id),
        recommended: rule.meta.defaultSeverity !== 'off',
      },
      messages: {
        finding: '{{ message }}',
        ...(suggests ? { useAllowlist: `Replace with an allowlist of trusted origins: ${ALLOWLIST_PLACEHOLDER} (edit the placeholder).` } : {}),
      },
      ...(suggests ? { hasSuggestions: true } : {}),
      schema: takesTrustedOrigins
        ? [
            {
              type: 'object',
              properties: {
                trustedOrigins: {
                  description: 'Origins the project trusts: exact (`https://app.example.com`) or one-level wildcards (`https://*.example.com`).',
                  type: 'array',
                  items: { type: 'string' },
                  uniqueItems: true,
                },
              },
              additionalProperties: false,
            },
          ]
        : [],
    },
    create(context) {
      const options = (context.options[0] ?? {}) as RuleOptions;
      // untrusted-origin has nothing to compare against without trustedOrigins.
      if (takesTrustedOrigins && !options.trustedOrigins?.length) return {};
      return {
        'Program:exit'() {
          for (const f of analysisFor(context, options).findings) {
            if (f.ruleId !== id) continue;
            // @koa/cors sends a list as it is (one header per entry): an array is no fix there.
            const suggestion = suggests && f.framework !== 'koa' ? allowlistSuggestion(context.sourceCode, f) : undefined;
            context.report({
              loc: { start: { line: f.line, column: f.column - 1 }, end: { line: f.endLine, column: Math.max(0, f.endColumn - 1) } },
              messageId: 'finding',
              data: { message: f.message },
              ...(suggestion ? { suggest: [suggestion] } : {}),
            });
          }
        },
      };
    },
  };
}

/** `origin: true` or `origin: '*'` written right where the finding is: offer an allowlist in its place. */
function allowlistSuggestion(sourceCode: SourceCode, f: Finding): ESLintRule.SuggestionReportDescriptor | undefined {
  let index: number;
  try {
    index = sourceCode.getIndexFromLoc({ line: f.line, column: f.column - 1 });
  } catch {
    return undefined;
  }
  const node = sourceCode.getNodeByRangeIndex(index) as (ES.Node & { parent?: ES.Node }) | null;
  if (!node || node.type !== 'Literal' || !(node.value === true || node.value === '*')) return undefined;
  const parent = node.parent;
  if (!parent || parent.type !== 'Property' || parent.value !== node || parent.computed) return undefined;
  const key = parent.key.type === 'Identifier' ? parent.key.name : parent.key.type === 'Literal' ? parent.key.value : undefined;
  if (key !== 'origin') return undefined;
  return { messageId: 'useAllowlist', fix: (fixer) => fixer.replaceText(node, ALLOWLIST_PLACEHOLDER) };
}

const rules: Record<string, ESLintRule.RuleModule> = Object.fromEntries(pluginRules().map((r) => [r.meta.id, eslintRule(r)]));

const recommendedRules: Linter.RulesRecord = Object.fromEntries(
  pluginRules().map((r) => [`corslint/${r.meta.id}`, r.meta.defaultSeverity === 'error' ? 'error' : r.meta.defaultSeverity === 'warning' ? 'warn' : 'off']),
);

const plugin = {
  meta: { name: 'corslint', version: packageInfo().version, namespace: 'corslint' },
  rules,
  configs: {} as { recommended: Linter.Config },
} satisfies ESLint.Plugin;

plugin.configs.recommended = {
  name: 'corslint/recommended',
  plugins: { corslint: plugin },
  rules: recommendedRules,
};

export default plugin;
export { rules, pluginRules };
