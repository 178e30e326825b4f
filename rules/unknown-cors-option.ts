import { serverRef } from '../src/advice/frameworks.js';
import { answerTo } from '../src/analysis/answers.js';
import type { Policy, Rule, RuleContext, Val } from '../src/model/index.js';
import { EVIL_ORIGIN } from '../src/probes/index.js';

export const unknownCorsOption: Rule = {
  meta: {
    id: 'unknown-cors-option',
    defaultSeverity: 'error',
    description: 'A misspelled or unknown CORS option is silently ignored and the framework default applies instead.',
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      for (const opt of policy.unknownOptions) {
        const hint = opt.suggestion ? ` Did you mean \`${opt.suggestion}\`?` : '';
        ctx.report({
          loc: opt.loc,
          framework: policy.framework,
          message:
            `\`${opt.key}\` is not an option ${serverRef(policy.framework)} knows: it is silently ignored and the default applies instead` +
            `${consequence(ctx, policy, opt.suggestion ?? opt.key)}.${hint}`,
        });
      }
    }
  },
};

/** What the server does with the default in place, asked of the semantics rather than assumed. */
function consequence(ctx: RuleContext, policy: Policy, meant: string): string {
  // Only where the option really fell back to the default: another setting may decide the answer.
  if (/origin/i.test(meant) && isDefault(policy.origins)) {
    const a = answerTo(ctx, policy, EVIL_ORIGIN, false);
    if (!a) return '';
    if (!a.acao) return `, so no other origin is allowed (${EVIL_ORIGIN} gets no Access-Control-Allow-Origin)`;
    if (a.acao.value === '*') return ', so every website is allowed (Access-Control-Allow-Origin: *)';
    if (a.acao.value === EVIL_ORIGIN) return `, so any origin is echoed back (e.g. ${EVIL_ORIGIN})`;
    return `, so the server answers Access-Control-Allow-Origin: ${a.acao.value}`;
  }
  if (/credential/i.test(meant) && isDefault(policy.credentials)) {
    const a = answerTo(ctx, policy, EVIL_ORIGIN, true);
    if (a && !a.credentials) return ', so credentials stay off: browsers will not expose responses to requests sent with cookies';
  }
  return '';
}

function isDefault(v: Val<unknown>): boolean {
  return v.known && v.isDefault === true;
}
