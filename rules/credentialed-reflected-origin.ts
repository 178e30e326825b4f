import { fixFor, serverLabel } from '../src/advice/frameworks.js';
import { answerTo, assumptionSuffix, credentialsRelated } from '../src/analysis/answers.js';
import type { Rule } from '../src/model/index.js';
import { EVIL_ORIGIN } from '../src/probes/index.js';

export const credentialedReflectedOrigin: Rule = {
  meta: {
    id: 'credentialed-reflected-origin',
    defaultSeverity: 'error',
    description: 'Any origin is echoed back with Access-Control-Allow-Credentials: true, so any website can read authenticated responses.',
    cwe: 942,
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const a = answerTo(ctx, policy, EVIL_ORIGIN, true);
      if (!a?.acao?.loc || a.acao.value !== EVIL_ORIGIN || !a.credentials) continue;
      ctx.report({
        loc: a.acao.loc,
        framework: policy.framework,
        related: credentialsRelated(a),
        message:
          `${serverLabel(policy.framework)} echoes any Origin (e.g. ${EVIL_ORIGIN}) in Access-Control-Allow-Origin together with ` +
          `Access-Control-Allow-Credentials: true${assumptionSuffix(a.evaluation)}: any website a logged-in user visits can read ` +
          `responses sent with their cookies. ${fixFor(policy.framework, 'reflect')}`,
      });
    }
  },
};
