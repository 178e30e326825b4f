import { fixFor, serverLabel } from '../src/advice/frameworks.js';
import { answerTo, assumptionSuffix, credentialsRelated } from '../src/analysis/answers.js';
import type { Rule } from '../src/model/index.js';
import { EVIL_ORIGIN } from '../src/probes/index.js';

export const credentialedWildcard: Rule = {
  meta: {
    id: 'credentialed-wildcard',
    defaultSeverity: 'error',
    description: "Access-Control-Allow-Origin: * is sent with Access-Control-Allow-Credentials: true, which browsers reject: credentialed CORS is broken.",
    cwe: 942,
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const a = answerTo(ctx, policy, EVIL_ORIGIN, true);
      if (!a?.acao?.loc || a.acao.value !== '*' || !a.credentials) continue;
      ctx.report({
        loc: a.acao.loc,
        framework: policy.framework,
        related: credentialsRelated(a),
        message:
          `${serverLabel(policy.framework)} sends Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true` +
          `${assumptionSuffix(a.evaluation)}. Browsers reject every credentialed response with a wildcard origin, so requests with cookies fail; ` +
          `the usual "fix" of echoing the Origin instead would let any website read users' data. ${fixFor(policy.framework, 'credentialed-wildcard')}`,
      });
    }
  },
};
