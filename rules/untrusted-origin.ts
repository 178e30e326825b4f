import { acceptingSubject } from '../src/advice/frameworks.js';
import { acceptingPlaces, openSuffixes, probePolicy, underOpenSuffix, type ProbeOutcome } from '../src/analysis/probes.js';
import type { Rule } from '../src/model/index.js';
import { isDevHost, normalizeOrigin, parseOrigin } from '../src/probes/index.js';

/** Is `origin` one of the configured trusted origins (`https://app.example.com`, `https://*.example.com`)? */
export function isTrusted(origin: string, trusted: string[]): boolean {
  const o = parseOrigin(origin);
  if (!o) return false;
  for (const t of trusted) {
    if (t.includes('*')) {
      const m = /^(https?):\/\/\*\.([^/:]+)(?::(\d+))?$/.exec(t);
      if (!m) continue;
      const [, scheme, domain, port] = m;
      if (o.scheme === scheme && o.hostname.endsWith(`.${domain!.toLowerCase()}`) && o.port === (port ?? '')) return true;
    } else if (normalizeOrigin(t)?.origin === normalizeOrigin(origin)?.origin) {
      return true;
    }
  }
  return false;
}

/** Accepted origins another origin rule already reports: untrusted-origin leaves them to it. */
function ownedByAnotherRule(o: ProbeOutcome, open: Set<string>): boolean {
  if (o.probe.kind === 'null' || o.probe.attacker || underOpenSuffix(o, open)) return true;
  const p = parseOrigin(o.probe.origin);
  return p !== undefined && (p.scheme === 'http' || isDevHost(p.hostname));
}

export const untrustedOrigin: Rule = {
  meta: {
    id: 'untrusted-origin',
    // Turned on (warning) by the engine when the configuration declares trustedOrigins.
    defaultSeverity: 'off',
    description: "The policy accepts an origin outside the project's declared trustedOrigins.",
    cwe: 942,
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const trusted = ctx.project.trustedOriginsFor?.(policy.loc.file) ?? ctx.project.trustedOrigins;
      if (!trusted?.length) continue;
      const pp = probePolicy(ctx, policy, trusted);
      if (pp.reflectsAny) continue;
      const open = openSuffixes(pp);
      const accepted = pp.outcomes.filter((o) => o.accepted && !isTrusted(o.probe.origin, trusted) && !ownedByAnotherRule(o, open));
      // The named probe classes (port, subdomain, ...) say more than a sample of the pattern.
      accepted.sort((a, b) => Number(a.probe.kind === 'trusted') - Number(b.probe.kind === 'trusted'));
      for (const { loc, outcomes, first: o, entry } of acceptingPlaces(pp, accepted, policy)) {
        const others = outcomes.length > 1 ? ` (and ${outcomes.length - 1} more, e.g. \`${outcomes[1]!.probe.origin}\`)` : '';
        const subject = acceptingSubject(entry, policy.framework);
        ctx.report({
          loc,
          framework: policy.framework,
          message:
            `${subject} \`${o.probe.origin}\`${others}, which is not in the project's trustedOrigins. ` +
            `Add it to trustedOrigins in corslint.config.json if it is yours, or stop accepting it here.`,
        });
      }
    }
  },
};
