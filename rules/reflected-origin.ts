import { fixFor, serverLabel } from '../src/advice/frameworks.js';
import { answerTo, assumptionSuffix } from '../src/analysis/answers.js';
import type { Rule } from '../src/model/index.js';
import { EVIL_ORIGIN } from '../src/probes/index.js';

export const reflectedOrigin: Rule = {
  meta: {
    id: 'reflected-origin',
    defaultSeverity: 'warning',
    description: 'Any origin is echoed back in Access-Control-Allow-Origin (without credentials): one flag away from a credential leak.',
    cwe: 942,
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const plain = answerTo(ctx, policy, EVIL_ORIGIN, false);
      if (!plain?.acao?.loc || plain.acao.value !== EVIL_ORIGIN) continue;
      // With credentials the stronger rule reports it.
      const withCookies = answerTo(ctx, policy, EVIL_ORIGIN, true);
      if (withCookies?.acao?.value === EVIL_ORIGIN && withCookies.credentials) continue;
      ctx.report({
        loc: plain.acao.loc,
        framework: policy.framework,
        message:
          `${serverLabel(policy.framework)} echoes any Origin (e.g. ${EVIL_ORIGIN}) in Access-Control-Allow-Origin` +
          `${assumptionSuffix(plain.evaluation)}. Without credentials other sites can read only public responses, but ` +
          `enabling credentials later exposes every user, and caches that ignore Vary can serve one origin's answer to another. ` +
          fixFor(policy.framework, 'reflect'),
      });
    }
  },
};
