import { serverLabel } from '../src/advice/frameworks.js';
import { assumptionSuffix } from '../src/analysis/answers.js';
import { preflightAnswers, probePolicy } from '../src/analysis/probes.js';
import type { Evaluation, ResponseHeader, Rule } from '../src/model/index.js';
import { header } from '../src/model/index.js';

const LISTS: Record<string, string> = {
  'access-control-allow-headers': 'Access-Control-Allow-Headers',
  'access-control-allow-methods': 'Access-Control-Allow-Methods',
  'access-control-expose-headers': 'Access-Control-Expose-Headers',
};

export const credentialedWildcardList: Rule = {
  meta: {
    id: 'credentialed-wildcard-list',
    defaultSeverity: 'warning',
    description: '`*` in Allow-Headers, Allow-Methods or Expose-Headers on a credentialed response is read literally by browsers.',
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const pp = probePolicy(ctx, policy);
      const answers: Evaluation[] = [...preflightAnswers(ctx, pp)];
      // Expose-Headers is sent on actual responses.
      for (const o of pp.outcomes) {
        if (o.credentialed?.credentials && o.credentialed.acao) {
          answers.push(o.credentialed.evaluation);
          break;
        }
      }
      const reported = new Set<string>();
      for (const ev of answers) {
        if (!ev.response.known) continue;
        if (header(ev.response, 'access-control-allow-credentials')?.value.trim().toLowerCase() !== 'true') continue;
        for (const h of ev.response.headers) {
          const label = LISTS[h.name];
          if (!label || !h.loc || reported.has(h.name) || !hasLiteralStar(h)) continue;
          reported.add(h.name);
          ctx.report({
            loc: h.loc,
            framework: policy.framework,
            message:
              `${serverLabel(policy.framework)} sends \`${label}: ${h.value}\` together with Access-Control-Allow-Credentials: true` +
              `${assumptionSuffix(ev)}. On credentialed requests browsers read \`*\` literally (a header or method named "*"), so the ` +
              `wildcard does not do what it says and those requests fail. List the names explicitly` +
              `${h.name === 'access-control-allow-headers' ? " (Authorization must always be listed by name)" : ''}.`,
          });
        }
      }
    }
  },
};

function hasLiteralStar(h: ResponseHeader): boolean {
  return h.value.split(',').some((v) => v.trim() === '*');
}
