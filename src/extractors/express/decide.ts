import type { Loc, OriginCheck, OriginEntry } from '../../model/index.js';
import { evaluateCheck } from '../../probes/check.js';
import type { AV } from './evaluate.js';
import type { Atom, CheckLeaf, Path, PathSet, Scenario } from './paths.js';
import { leafThrows } from './paths.js';

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
 * Turn the paths of a check into what it accepts. First as a union: every
 * written literal is tried as the Origin, and every combination of test
 * results stands for all other origins; the check is an allowlist of entries
 * when acceptance is exactly "one of these literals or one of these tests",
 * whatever the method. Otherwise (`a && b`, `!a`, a protocol test guarding
 * host tests) the paths are read back as one OriginCheck tree.
 */
export function decide<E>(set: PathSet<E>, outcomeOf: (p: Path<E>) => Outcome): Decision {
  const outs = set.paths.map(outcomeOf);
  const keys = new Set(outs.map(outcomeKey));
  if (keys.size === 1) return { k: 'same', outcome: outs[0]! };

  const vars = [...new Set(set.unknownAtoms.flatMap((u) => u.vars))];
  const acceptLoc = outs.find((o): o is Extract<Outcome, { k: 'accept' }> => o.k === 'accept')?.loc;
  const union = set.parses ? 'a check on new URL(origin)' : decideUnion(set, outcomeOf, acceptLoc);
  if (typeof union !== 'string') return union;
  // A check on an environment variable is decided with its fallback by the caller.
  if (!vars.length) {
    const tree = decideTree(set, outcomeOf);
    // Only parts corslint cannot read: a predicate, as before.
    if (tree && isTrue(tree) && acceptLoc) return { k: 'same', outcome: { k: 'accept', loc: acceptLoc } };
    if (tree && isFalse(tree)) return { k: 'same', outcome: { k: 'reject' } };
    if (tree && decidable(tree.check)) return treeDecision(tree, acceptLoc);
  }
  return { k: 'predicate', description: set.unknownAtoms[0]?.description ?? union, vars };
}

/** Some test of the check can be decided for a given Origin (`ok && isTrusted(origin)` with `ok` false is). */
function decidable(c: OriginCheck): boolean {
  switch (c.op) {
    case 'unknown':
      return false;
    case 'and':
    case 'or':
      return c.args.length === 0 || c.args.some(decidable);
    case 'not':
      return decidable(c.arg);
    default:
      return true;
  }
}

function treeDecision(tree: Tree, acceptLoc: Loc | undefined): Decision {
  const loc = tree.loc ?? acceptLoc;
  if (!loc) return { k: 'predicate', description: tree.text, vars: [] };
  const entry: OriginEntry = { kind: 'check', test: tree.check, description: tree.text, loc };
  return acceptLoc ? { k: 'allowlist', entries: [entry], acceptLoc } : { k: 'allowlist', entries: [entry] };
}

/** The allowlist the paths amount to, or why they are not one. */
function decideUnion<E>(set: PathSet<E>, outcomeOf: (p: Path<E>) => Outcome, acceptLoc: Loc | undefined): Decision | string {
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

  const n = set.tests.length;
  if (n > 4) return 'too many patterns to decide';
  const region: boolean[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const a = accepted({ tests: set.tests.map((_, i) => ((mask >> i) & 1) === 1) });
    if (a === undefined) return 'a custom origin check';
    region.push(a);
  }
  const exactAccepted: boolean[] = [];
  for (const e of set.exact) {
    const a = accepted({ origin: e.v });
    if (a === undefined) return 'a custom origin check';
    exactAccepted.push(a);
  }

  if (region[0]) {
    // Origins matching nothing written are accepted: reflection, unless something is carved out.
    if (region.every(Boolean) && exactAccepted.every(Boolean)) return acceptLoc ? { k: 'same', outcome: { k: 'accept', loc: acceptLoc } } : 'accepts every origin';
    return 'a blocklist: every origin except some is accepted';
  }
  const K = set.tests.map((_, i) => region[1 << i] === true);
  for (let mask = 0; mask < 1 << n; mask++) {
    const expected = set.tests.some((_, i) => K[i] && ((mask >> i) & 1) === 1);
    if (region[mask] !== expected) return 'a combination of patterns';
  }
  const kept = set.tests.filter((_, i) => K[i]);
  const entries: OriginEntry[] = [];
  for (let i = 0; i < set.exact.length; i++) {
    const e = set.exact[i]!;
    const covered = kept.some((t) => evaluateCheck(t.check, e.v) === true);
    if (exactAccepted[i] && !covered) entries.push({ kind: 'exact', origin: e.v, loc: e.loc });
    if (!exactAccepted[i] && covered) return 'a pattern with exceptions';
  }
  for (const t of kept) {
    const c = t.check;
    // A regex on the whole Origin is the entry cors itself would take; other tests are reported as the check they are.
    if (c.op === 'regex' && !c.subject && !c.ignoreCase) entries.push({ kind: 'regex', source: c.source, flags: c.flags, flavor: 'js', loc: t.loc });
    else entries.push({ kind: 'check', test: c, description: t.text, loc: t.loc });
  }
  return acceptLoc ? { k: 'allowlist', entries, acceptLoc } : { k: 'allowlist', entries };
}

// ---- the paths as one OriginCheck ------------------------------------------

/** A check under construction: the OriginCheck, how to write it in messages, where its first test is. */
interface Tree {
  check: OriginCheck;
  text: string;
  loc?: Loc;
  /** Evaluating it may throw (it reads `new URL(origin)`): it cannot be skipped when branches agree. */
  throws: boolean;
  /** For a negation: what it negates. */
  negated?: Tree;
  /** For `and` / `or`: the operands. */
  parts?: Tree[];
}

/** `new URL(origin)` does not throw: any part of it can be read (`host` includes the empty string). */
const PARSES: Tree = { check: { op: 'includes', value: '', subject: 'host' }, text: 'new URL(origin)', throws: true };
const TRUE: Tree = { check: { op: 'and', args: [] }, text: 'true', throws: false };
const FALSE: Tree = { check: { op: 'or', args: [] }, text: 'false', throws: false };
const isTrue = (t: Tree) => t.check.op === 'and' && t.check.args.length === 0;
const isFalse = (t: Tree) => t.check.op === 'or' && t.check.args.length === 0;
const same = (a: Tree, b: Tree) => JSON.stringify(a.check) === JSON.stringify(b.check);

/**
 * The paths as a decision tree over their tests, read back as one
 * OriginCheck: `c ? T : E` becomes `(c && T) || (!c && E)`, simplified where
 * a branch is constant. Tests run in the order the code runs them, so a
 * `new URL(origin)` that throws on `null` throws in the tree too. Undefined
 * when a path ends in something other than accept or reject, or the answer
 * depends on the method.
 */
function decideTree<E>(set: PathSet<E>, outcomeOf: (p: Path<E>) => Outcome): Tree | undefined {
  const node = (paths: Path<E>[], depth: number): Tree | undefined => {
    const first = paths[0];
    if (!first) return undefined;
    const choices = [...first.choices.values()];
    if (choices.length === depth) {
      if (paths.length !== 1) return undefined;
      const o = outcomeOf(first);
      return o.k === 'accept' ? TRUE : o.k === 'reject' ? FALSE : undefined;
    }
    const atom = choices[depth]!.atom;
    const yes: Path<E>[] = [];
    const no: Path<E>[] = [];
    for (const p of paths) {
      const c = [...p.choices.values()][depth];
      // Runs are deterministic: every path through the same choices asks the same next question.
      if (!c || c.atom.key !== atom.key) return undefined;
      (c.value ? yes : no).push(p);
    }
    const k = atom.kind;
    // Every probe has an Origin: only the branch where it is present counts.
    if (k.k === 'present') return yes.length ? node(yes, depth + 1) : FALSE;
    if (k.k === 'parse') {
      // `new URL(origin)` threw: caught, the handler's answer; uncaught, the request fails without CORS headers.
      const t = yes.length ? node(yes, depth + 1) : FALSE;
      const f = (no.length ? node(no, depth + 1) : FALSE) ?? FALSE;
      if (!t) return undefined;
      // A handler that accepts what does not parse cannot be written as a check (reading the URL rejects).
      if (!isFalse(f)) return undefined;
      // What follows reads the URL first anyway: it throws (and rejects) on the same Origins.
      return firstThrows(t) ? t : and(PARSES, t);
    }
    const t = yes.length ? node(yes, depth + 1) : FALSE;
    const f = no.length ? node(no, depth + 1) : FALSE;
    if (!t || !f) return undefined;
    if (k.k === 'method') return same(t, f) ? t : undefined;
    const c = atomTree(atom);
    if (!c) return undefined;
    return ite(c, t, f);
  };
  return node(set.paths, 0);
}

function atomTree(atom: Atom): Tree | undefined {
  const k = atom.kind;
  const at = atom.at;
  const lit = (check: CheckLeaf, text: string, loc: Loc | undefined): Tree => (loc ? { check, text, loc, throws: leafThrows(check) } : { check, text, throws: leafThrows(check) });
  switch (k.k) {
    case 'eq':
      return lit({ op: 'equals', value: k.value }, `origin === ${quote(k.value)}`, at ?? k.loc);
    case 'in':
      return lit({ op: 'oneOf', values: k.values.map((v) => v.v) }, `[${k.values.map((v) => quote(v.v)).join(', ')}].includes(origin)`, at ?? k.values[0]?.loc);
    case 'index0': {
      // `list.indexOf(origin)` is truthy for every origin but the first entry (-1 is truthy).
      const firstValue = k.values[0]?.v;
      if (firstValue === undefined) return TRUE;
      return not(lit({ op: 'equals', value: firstValue }, `origin === ${quote(firstValue)}`, at ?? k.values[0]!.loc));
    }
    case 'test':
      return lit(k.check, k.text, at ?? k.loc);
    case 'unknown':
      return { check: { op: 'unknown', description: k.description }, text: k.description, loc: k.loc, throws: false };
    case 'present':
    case 'method':
    case 'parse':
      return undefined;
  }
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** `c ? t : f`, exactly (tests in the order the code runs them), simplified where a branch is constant. */
function ite(c: Tree, t: Tree, f: Tree): Tree {
  if (same(t, f) && !c.throws) return t;
  if (isTrue(t) && isFalse(f)) return c;
  if (isFalse(t) && isTrue(f)) return not(c);
  if (isTrue(t)) return or(c, f);
  if (isFalse(t)) return and(not(c), f);
  if (isFalse(f)) return and(c, t);
  if (isTrue(f)) return or(not(c), t);
  // `(a || b) && x` runs as `a ? x : (b && x)`: factor the shared tail back out (same order of tests).
  const tp = conjuncts(t);
  const fp = conjuncts(f);
  if (fp.length > tp.length && endsWith(fp, tp)) return and(or(c, andAll(fp.slice(0, fp.length - tp.length))), andAll(tp));
  if (tp.length > fp.length && endsWith(tp, fp)) return and(or(not(c), andAll(tp.slice(0, tp.length - fp.length))), andAll(fp));
  return or(and(c, t), and(not(c), f));
}

/** The first test the check runs reads `new URL(origin)`. */
function firstThrows(t: Tree): boolean {
  if (t.negated) return firstThrows(t.negated);
  if (t.parts) return t.parts.length > 0 && firstThrows(t.parts[0]!);
  return t.throws;
}

const conjuncts = (t: Tree): Tree[] => (t.check.op === 'and' && t.parts ? t.parts : [t]);
const andAll = (parts: Tree[]): Tree => parts.reduce((a, b) => and(a, b));
const endsWith = (whole: Tree[], tail: Tree[]) => tail.every((x, i) => same(x, whole[whole.length - tail.length + i]!));

function not(a: Tree): Tree {
  if (a.negated) return a.negated;
  const atomic = !/\s/.test(a.text) || /^[\w.$]+\(.*\)$/.test(a.text);
  const comparison = a.text.split(' === ');
  const text = comparison.length === 2 && !/&&|\|\|/.test(a.text) ? `${comparison[0]} !== ${comparison[1]}` : atomic ? `!${a.text}` : `!(${a.text})`;
  return { check: { op: 'not', arg: a.check }, text, ...(a.loc ? { loc: a.loc } : {}), throws: a.throws, negated: a };
}

function and(a: Tree, b: Tree): Tree {
  return join('and', a, b);
}

function or(a: Tree, b: Tree): Tree {
  return join('or', a, b);
}

function join(op: 'and' | 'or', a: Tree, b: Tree): Tree {
  const parts = [a, b].flatMap((x) => (x.check.op === op && x.parts ? x.parts : [x]));
  const other = op === 'and' ? 'or' : 'and';
  const texts = parts.map((x) => (x.check.op === other && x.parts && x.parts.length > 1 ? `(${x.text})` : x.text));
  const loc = a.loc ?? b.loc;
  return {
    check: { op, args: parts.map((x) => x.check) },
    text: texts.join(op === 'and' ? ' && ' : ' || '),
    ...(loc ? { loc } : {}),
    throws: a.throws || b.throws,
    parts,
  };
}
