import type { Policy } from '../model/index.js';
import { EVIL_ORIGIN, NULL_ORIGIN, generateProbes } from '../probes/index.js';
import { originEntries } from './probes.js';

/**
 * Origins to ask a policy about when a rule needs answers that actually
 * carry CORS headers: the origins its own entries trust (an exact origin, a
 * sample of each pattern), then an attacker's and `null`.
 */
export function sampleOrigins(policy: Policy, max = 12): string[] {
  const trusted = generateProbes(originEntries(policy))
    .probes.filter((p) => p.kind === 'trusted')
    .map((p) => p.origin);
  return [...new Set([...trusted.slice(0, max), EVIL_ORIGIN, NULL_ORIGIN])];
}
