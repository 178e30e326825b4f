import { fixFor, serverLabel } from '../src/advice/frameworks.js';
import { answerTo, assumptionSuffix } from '../src/analysis/answers.js';
import type { Rule } from '../src/model/index.js';
import { EVIL_ORIGIN } from '../src/probes/index.js';

export const wildcardOrigin: Rule = {
  meta: {
    id: 'wildcard-origin',
    defaultSeverity: 'warning',
    description: 'Access-Control-Allow-Origin: * lets every website read the responses (fine for a public API).',
    cwe: 942,
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const a = answerTo(ctx, policy, EVIL_ORIGIN, false);
      if (!a?.acao?.loc || a.acao.value !== '*') continue;
      const withCookies = answerTo(ctx, policy, EVIL_ORIGIN, true);
      // Credentialed answers belong to credentialed-wildcard / credentialed-reflected-origin.
      if (withCookies?.credentials && (withCookies.acao?.value === '*' || withCookies.acao?.value === EVIL_ORIGIN)) continue;
      ctx.report({
        loc: a.acao.loc,
        framework: policy.framework,
        message:
          `${serverLabel(policy.framework)} sends Access-Control-Allow-Origin: *${assumptionSuffix(a.evaluation)}: every website can read these ` +
          `responses from a visitor's browser (without cookies). ${fixFor(policy.framework, 'wildcard')}`,
      });
    }
  },
};
