import { acceptingSubject } from '../src/advice/frameworks.js';
import { acceptedWrittenOrigins, acceptingPlaces, probePolicy } from '../src/analysis/probes.js';
import type { Rule } from '../src/model/index.js';
import { isDevHost } from '../src/probes/index.js';

export const insecureOrigin: Rule = {
  meta: {
    id: 'insecure-origin',
    defaultSeverity: 'warning',
    description: 'An http:// origin is trusted: a network attacker can impersonate it and read the responses.',
    cwe: 319,
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const pp = probePolicy(ctx, policy);
      if (pp.reflectsAny) continue;
      // Decision 9: loopback and .local names are dev-origin's.
      const accepted = acceptedWrittenOrigins(pp, (p) => p.scheme === 'http' && !isDevHost(p.hostname));
      for (const { loc, first: o, entry } of acceptingPlaces(pp, accepted, policy)) {
        const secure = o.probe.origin.replace(/^http:/, 'https:');
        const fix =
          entry?.kind === 'exact'
            ? `Trust \`${secure}\` instead.`
            : entry?.kind === 'regex' || entry?.kind === 'wildcard'
              ? `Require https in the pattern (\`https://\`, not \`https?://\` or a missing scheme).`
              : `Accept only \`${secure}\`.`;
        const subject = acceptingSubject(entry, policy.framework);
        ctx.report({
          loc,
          framework: policy.framework,
          message:
            `${subject} \`${o.probe.origin}\`, an unencrypted origin: anyone on the user's network (public Wi-Fi, a hostile proxy) can ` +
            `inject a script into that page and read these responses${o.acceptedWithCredentials ? " with the user's cookies" : ''}. ${fix}`,
        });
      }
    }
  },
};
