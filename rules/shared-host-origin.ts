import { serverRef } from '../src/advice/frameworks.js';
import { assumptionSuffix } from '../src/analysis/answers.js';
import { acceptingPlaces, probePolicy } from '../src/analysis/probes.js';
import type { Rule } from '../src/model/index.js';
import { describeEntry } from '../src/model/index.js';

export const sharedHostOrigin: Rule = {
  meta: {
    id: 'shared-host-origin',
    defaultSeverity: 'warning',
    description: 'The policy trusts every site on a shared hosting domain (github.io, vercel.app, netlify.app, ...), where anyone can publish a page.',
    cwe: 942,
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const pp = probePolicy(ctx, policy);
      if (pp.reflectsAny) continue;
      const accepted = pp.outcomes.filter((o) => o.accepted && o.probe.kind === 'shared-host');
      for (const { loc, first: o, entry } of acceptingPlaces(pp, accepted, policy)) {
        const suffix = o.probe.sharedSuffix ?? 'a shared hosting domain';
        const own = o.probe.from && o.probe.from !== o.probe.origin ? ` \`${o.probe.from.replace(/^(\w+:\/\/)[^.]+\./, '$1your-app.')}\`` : ' `https://your-app.' + suffix + '`';
        ctx.report({
          loc,
          framework: policy.framework,
          message:
            `${entry ? `\`${describeEntry(entry)}\`` : 'The policy'} trusts every site on ${suffix}, where anyone can publish a page ` +
            `(e.g. \`${o.probe.origin}\`)${o.evaluation ? assumptionSuffix(o.evaluation) : ''}: ${serverRef(policy.framework)} lets all of them read ` +
            `the responses${o.acceptedWithCredentials ? " with the user's cookies" : ''}. List your own deployments as exact origins instead, e.g.${own}.`,
        });
      }
    }
  },
};
