import type { Evaluation, Loc, OriginEntry, Policy, RuleContext } from '../model/index.js';
import { compareLoc, headerValues } from '../model/index.js';
import { EVIL_ORIGIN, NULL_ORIGIN, generateProbes, parseOrigin, type Probe, type ProbeSet } from '../probes/index.js';
import { answerTo, type OriginAnswer } from './answers.js';

/** What a policy answers to one probe. */
export interface ProbeOutcome {
  probe: Probe;
  /** A request without credentials. */
  plain?: OriginAnswer;
  /** fetch(..., {credentials: 'include'}): cookies are sent. */
  credentialed?: OriginAnswer;
  /** Access-Control-Allow-Origin echoes the probe (in either answer): a browser at that origin may read the response. */
  accepted: boolean;
  /** ...and the credentialed answer also sends Access-Control-Allow-Credentials: true. */
  acceptedWithCredentials: boolean;
  /** The configuration value that let it in (the ACAO header's loc). */
  loc?: Loc;
  /** The evaluation that accepted it (for "when X is unset"). */
  evaluation?: Evaluation;
  /** Set when the answer could not be computed. */
  unknown?: { reason: string; loc: Loc };
}

export interface PolicyProbes {
  policy: Policy;
  /** The origin entries probes were derived from (the written value, else its fallback). */
  entries: OriginEntry[];
  set: ProbeSet;
  outcomes: ProbeOutcome[];
  /** The unrelated attacker origin gets in: the reflection rules report the policy, and the pattern rules stay quiet. */
  reflectsAny: boolean;
}

type Evaluator = Pick<RuleContext, 'evaluate'>;

const cache = new WeakMap<Evaluator['evaluate'], WeakMap<Policy, { key: string; value: PolicyProbes }>>();

/**
 * Run every probe for `policy` through the framework's semantics
 * (ctx.evaluate), so the origin rules work the same for every framework.
 * Cached per policy: several rules ask.
 */
export function probePolicy(ctx: Evaluator, policy: Policy, trustedOrigins: string[] = []): PolicyProbes {
  const key = trustedOrigins.join('\n');
  let perPolicy = cache.get(ctx.evaluate);
  if (!perPolicy) {
    perPolicy = new WeakMap();
    cache.set(ctx.evaluate, perPolicy);
  }
  const hit = perPolicy.get(policy);
  if (hit && hit.key === key) return hit.value;

  const entries = originEntries(policy);
  const set = generateProbes(entries, trustedOrigins);
  const outcomes = set.probes.map((probe) => outcomeOf(ctx, policy, probe));
  const evil = outcomes.find((o) => o.probe.origin === EVIL_ORIGIN);
  const value: PolicyProbes = { policy, entries, set, outcomes, reflectsAny: Boolean(evil?.accepted) };
  perPolicy.set(policy, { key, value });
  return value;
}

export function originEntries(policy: Policy): OriginEntry[] {
  const o = policy.origins;
  if (o.known) return o.value;
  return o.fallback ?? [];
}

function outcomeOf(ctx: Evaluator, policy: Policy, probe: Probe): ProbeOutcome {
  const plain = answerTo(ctx as RuleContext, policy, probe.origin, false);
  const credentialed = answerTo(ctx as RuleContext, policy, probe.origin, true);
  const out: ProbeOutcome = { probe, accepted: false, acceptedWithCredentials: false };
  if (plain) out.plain = plain;
  if (credentialed) out.credentialed = credentialed;
  if (!plain && !credentialed) {
    const ev = ctx.evaluate(policy, { origin: probe.origin, credentialed: false, preflight: false, method: 'GET' });
    if (!ev.response.known) out.unknown = { reason: ev.response.reason, loc: ev.response.loc };
    return out;
  }
  const echoes = (a?: OriginAnswer) => a?.acao?.value === probe.origin;
  if (echoes(credentialed) && credentialed!.credentials) {
    out.accepted = true;
    out.acceptedWithCredentials = true;
    out.loc = credentialed!.acao!.loc;
    out.evaluation = credentialed!.evaluation;
  } else if (echoes(plain) || echoes(credentialed)) {
    const a = echoes(plain) ? plain! : credentialed!;
    out.accepted = true;
    out.loc = a.acao!.loc;
    out.evaluation = a.evaluation;
  }
  return out;
}

/**
 * Public suffixes the policy opens to anyone (`*.vercel.app`, `[a-z]+\.co\.uk$`):
 * shared-host-origin or origin-pattern-bypass reports them, so the other origin
 * rules leave every origin under them alone.
 */
export function openSuffixes(pp: PolicyProbes): Set<string> {
  const out = new Set<string>();
  for (const o of pp.outcomes) {
    if (o.accepted && (o.probe.kind === 'lookalike' || o.probe.kind === 'shared-host') && o.probe.publicSuffix) out.add(o.probe.publicSuffix);
  }
  return out;
}

/** The probe's host sits under a suffix the policy opens to anyone. */
export function underOpenSuffix(o: ProbeOutcome, open: Set<string>): boolean {
  return o.probe.publicSuffix !== undefined && open.has(o.probe.publicSuffix);
}

/** The entry whose location is `loc` (the semantics put the matching entry's loc on the ACAO header). */
/**
 * Origins the policy trusts as written, one of which `keep` selects: not an
 * attacker's (those are the bypass rules'), not under a suffix the policy
 * leaves open, and not an env fallback — `env('X', 'http://localhost:3000')`
 * is a local default by convention (RULES.md decision 8).
 */
export function acceptedWrittenOrigins(pp: PolicyProbes, keep: (origin: NonNullable<ReturnType<typeof parseOrigin>>) => boolean): ProbeOutcome[] {
  const open = openSuffixes(pp);
  return pp.outcomes.filter((o) => {
    if (!o.accepted || o.probe.attacker || underOpenSuffix(o, open)) return false;
    if (o.evaluation?.world === 'fallback') return false;
    const p = parseOrigin(o.probe.origin);
    return p !== undefined && keep(p);
  });
}

export function entryAt(pp: PolicyProbes, loc: Loc | undefined, fallback?: OriginEntry): OriginEntry | undefined {
  if (!loc) return fallback;
  return pp.entries.find((e) => e.loc === loc || compareLoc(e.loc, loc) === 0) ?? fallback;
}

/** Accepted outcomes grouped by the value that let them in, in probe order: one finding per value. */
export function byLocation(outcomes: ProbeOutcome[], fallbackLoc: Loc): { loc: Loc; outcomes: ProbeOutcome[] }[] {
  const groups = new Map<string, { loc: Loc; outcomes: ProbeOutcome[] }>();
  for (const o of outcomes) {
    const loc = o.loc ?? o.probe.entry?.loc ?? fallbackLoc;
    const k = `${loc.file}\0${loc.line}\0${loc.column}\0${loc.endLine}\0${loc.endColumn}`;
    const g = groups.get(k) ?? { loc, outcomes: [] };
    g.outcomes.push(o);
    groups.set(k, g);
  }
  return [...groups.values()];
}

/** A value that let some outcomes in (one finding each): its first outcome names the case, `entry` is the origin entry written there. */
export interface AcceptingPlace {
  loc: Loc;
  outcomes: ProbeOutcome[];
  first: ProbeOutcome;
  entry: OriginEntry | undefined;
}

/** `accepted` grouped by the value that let them in, in probe order (byLocation), each with its entry. */
export function acceptingPlaces(pp: PolicyProbes, accepted: ProbeOutcome[], policy: Policy): AcceptingPlace[] {
  return byLocation(accepted, policy.loc).map((g) => {
    const first = g.outcomes[0]!;
    return { ...g, first, entry: entryAt(pp, g.loc, first.probe.entry) };
  });
}

/** The preflight answers to the given origins, first the policy's own trusted ones: header-level rules look at them. */
export function preflightAnswers(ctx: Evaluator, pp: PolicyProbes): Evaluation[] {
  const origins = [...pp.set.probes.filter((p) => p.kind === 'trusted').map((p) => p.origin), EVIL_ORIGIN, NULL_ORIGIN];
  const out: Evaluation[] = [];
  for (const origin of origins.slice(0, 20)) {
    const ev = ctx.evaluate(pp.policy, {
      origin,
      credentialed: true,
      cookie: true,
      preflight: true,
      method: 'PUT',
      requestHeaders: 'content-type,x-requested-with',
    });
    if (!ev.response.known) continue;
    if (headerValues(ev.response, 'access-control-allow-origin').length === 0) continue;
    out.push(ev);
  }
  return out;
}
