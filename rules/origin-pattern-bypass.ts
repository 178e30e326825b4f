import { serverRef } from '../src/advice/frameworks.js';
import { anchoredFix, bypassReason } from '../src/advice/origin-fixes.js';
import { assumptionSuffix } from '../src/analysis/answers.js';
import { acceptingPlaces, probePolicy } from '../src/analysis/probes.js';
import type { Rule } from '../src/model/index.js';
import { describeEntry } from '../src/model/index.js';
import type { ProbeKind } from '../src/probes/index.js';

const PRIORITY: ProbeKind[] = ['lookalike', 'suffix', 'prefix', 'unescaped-dot', 'subdomain', 'port', 'downgrade', 'trusted'];

export const originPatternBypass: Rule = {
  meta: {
    id: 'origin-pattern-bypass',
    defaultSeverity: 'error',
    description: 'A pattern or check meant to allow a trusted origin also accepts an origin an attacker can register.',
    cwe: 942,
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const pp = probePolicy(ctx, policy);
      if (pp.reflectsAny) continue;
      // Decision 4: a whole shared hosting domain is shared-host-origin, not a bypass.
      const sharedAccepted = new Set(pp.outcomes.filter((o) => o.accepted && o.probe.kind === 'shared-host').map((o) => o.probe.sharedSuffix));
      const bypasses = pp.outcomes.filter(
        (o) =>
          o.accepted &&
          o.probe.attacker &&
          o.probe.kind !== 'evil' &&
          o.probe.kind !== 'null' &&
          o.probe.kind !== 'shared-host' &&
          !(o.probe.sharedSuffix && sharedAccepted.has(o.probe.sharedSuffix)),
      );
      // A pattern open to a whole public suffix is best explained by that; then the classic anchoring mistakes.
      bypasses.sort((a, b) => PRIORITY.indexOf(a.probe.kind) - PRIORITY.indexOf(b.probe.kind));
      for (const { loc, first: o, entry } of acceptingPlaces(pp, bypasses, policy)) {
        const seed = pp.set.seeds.find((s) => s.origin === o.probe.from);
        const subject = entry ? `\`${describeEntry(entry)}\`` : 'The origin check';
        ctx.report({
          loc,
          framework: policy.framework,
          message:
            `${subject} also accepts \`${o.probe.origin}\` (${bypassReason(o.probe.kind, entry, o.probe.origin, o.probe.from)})` +
            `${o.evaluation ? assumptionSuffix(o.evaluation) : ''}: anyone can register that domain, and ${serverRef(policy.framework)} ` +
            `lets it read the responses${o.acceptedWithCredentials ? " with the user's cookies" : ''}. ${anchoredFix(entry, seed, o.probe.kind)}`,
        });
      }
    }
  },
};
