import type { Loc, OriginEntry } from '../../model/index.js';
import type { AV } from './evaluate.js';
import type { Path, PathSet, Scenario } from './paths.js';

/** What one path of an origin check ends in. */
export type Outcome =
  | { k: 'accept'; loc: Loc } // the request Origin is allowed (echoed back)
  | { k: 'reject' } // no CORS headers for this request
  | { k: 'fixed'; value: string; loc: Loc } // a written value, whatever the Origin
  | { k: 'value'; key: string; av: AV; loc: Loc } // some other value (options object, a list called back)
  | { k: 'unknown'; reason: string };

export function outcomeKey(o: Outcome): string {
  switch (o.k) {
    case 'accept':
    case 'reject':
      return o.k;
    case 'fixed':
      return `fixed:${o.value}`;
    case 'value':
      return `value:${o.key}`;
    case 'unknown':
      return `unknown:${o.reason}`;
  }
}

export type Decision =
  /** Every path ends the same way: the checks do not matter. */
  | { k: 'same'; outcome: Outcome }
  /** Exactly these origins are accepted, every other one rejected. */
  | { k: 'allowlist'; entries: OriginEntry[]; acceptLoc?: Loc }
  | { k: 'predicate'; description: string; vars: string[] };

/**
 * Turn the paths of a check into what it accepts. Every written literal is
 * tried as the Origin, and every combination of regex results stands for all
 * other origins; the check is an allowlist only when acceptance is exactly
 * "one of these literals or one of these regexes", whatever the method.
 */
export function decide<E>(set: PathSet<E>, outcomeOf: (p: Path<E>) => Outcome): Decision {
  const outs = set.paths.map(outcomeOf);
  const keys = new Set(outs.map(outcomeKey));
  if (keys.size === 1) return { k: 'same', outcome: outs[0]! };

  const vars = [...new Set(set.unknownAtoms.flatMap((u) => u.vars))];
  const predicate = (why: string): Decision => ({ k: 'predicate', description: set.unknownAtoms[0]?.description ?? why, vars });
  const acceptLoc = outs.find((o): o is Extract<Outcome, { k: 'accept' }> => o.k === 'accept')?.loc;

  const acceptedIn = (s: Scenario): boolean | undefined => {
    const os = set.pathsFor(s).map(outcomeOf);
    if (os.length === 0) return undefined;
    if (new Set(os.map(outcomeKey)).size !== 1) return undefined;
    const o = os[0]!;
    if (o.k === 'accept') return true;
    if (o.k === 'reject') return false;
    if (o.k === 'fixed' && s.origin !== undefined && o.value === s.origin) return true;
    return undefined;
  };
  const accepted = (base: Omit<Scenario, 'method'>): boolean | undefined => {
    let r: boolean | undefined;
    for (const method of set.methods) {
      const a = acceptedIn({ ...base, method });
      if (a === undefined || (r !== undefined && r !== a)) return undefined;
      r = a;
    }
    return r;
  };

  const n = set.regexes.length;
  if (n > 4) return predicate('too many patterns to decide');
  const region: boolean[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const a = accepted({ regexes: set.regexes.map((_, i) => ((mask >> i) & 1) === 1) });
    if (a === undefined) return predicate('a custom origin check');
    region.push(a);
  }
  const exactAccepted: boolean[] = [];
  for (const e of set.exact) {
    const a = accepted({ origin: e.v });
    if (a === undefined) return predicate('a custom origin check');
    exactAccepted.push(a);
  }

  if (region[0]) {
    // Origins matching nothing written are accepted: reflection, unless something is carved out.
    if (region.every(Boolean) && exactAccepted.every(Boolean)) return acceptLoc ? { k: 'same', outcome: { k: 'accept', loc: acceptLoc } } : predicate('accepts every origin');
    return predicate('a blocklist: every origin except some is accepted');
  }
  const K = set.regexes.map((_, i) => region[1 << i] === true);
  for (let mask = 0; mask < 1 << n; mask++) {
    const expected = set.regexes.some((_, i) => K[i] && ((mask >> i) & 1) === 1);
    if (region[mask] !== expected) return predicate('a combination of patterns');
  }
  const kept = set.regexes.filter((_, i) => K[i]);
  const entries: OriginEntry[] = [];
  for (let i = 0; i < set.exact.length; i++) {
    const e = set.exact[i]!;
    const covered = kept.some((r) => safeTest(r.source, r.flags, e.v));
    if (exactAccepted[i] && !covered) entries.push({ kind: 'exact', origin: e.v, loc: e.loc });
    if (!exactAccepted[i] && covered) return predicate('a pattern with exceptions');
  }
  for (const r of kept) {
    // A string test (`origin.endsWith('.example.com')`) is reported as the check it is.
    if (r.check) entries.push({ kind: 'check', test: { op: r.check.op, value: r.check.value }, description: r.check.text, loc: r.loc });
    else entries.push({ kind: 'regex', source: r.source, flags: r.flags, flavor: 'js', loc: r.loc });
  }
  return acceptLoc ? { k: 'allowlist', entries, acceptLoc } : { k: 'allowlist', entries };
}

function safeTest(source: string, flags: string, s: string): boolean {
  try {
    return new RegExp(source, flags.replace(/[gy]/g, '')).test(s);
  } catch {
    return false;
  }
}
