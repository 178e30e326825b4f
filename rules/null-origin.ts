import { serverLabel, serverRef } from '../src/advice/frameworks.js';
import { assumptionSuffix } from '../src/analysis/answers.js';
import { acceptingPlaces, probePolicy } from '../src/analysis/probes.js';
import type { Rule } from '../src/model/index.js';
import { describeEntry } from '../src/model/index.js';

export const nullOrigin: Rule = {
  meta: {
    id: 'null-origin',
    defaultSeverity: 'error',
    description: 'The policy accepts `Origin: null`, which any page can send from a sandboxed iframe or a data: URL.',
    cwe: 942,
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const pp = probePolicy(ctx, policy);
      // Decision 1: a policy that reflects every origin gets the reflection finding only.
      if (pp.reflectsAny) continue;
      const accepted = pp.outcomes.filter((o) => o.probe.kind === 'null' && o.accepted);
      for (const { loc, first: o, entry } of acceptingPlaces(pp, accepted, policy)) {
        const what = entry ? `${describeEntry(entry)} makes ${serverRef(policy.framework)} accept` : `${serverLabel(policy.framework)} accepts`;
        ctx.report({
          loc,
          framework: policy.framework,
          message:
            `${what} \`Origin: null\`${o.evaluation ? assumptionSuffix(o.evaluation) : ''}. Any website can send that Origin from a sandboxed ` +
            `iframe or a data: URL, so any website can read these responses${o.acceptedWithCredentials ? " with the user's cookies" : ''}. ` +
            `Remove 'null' from the allowed origins; local files and sandboxed frames should not get CORS access.`,
        });
      }
    }
  },
};
