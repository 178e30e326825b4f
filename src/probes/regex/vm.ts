import type { AST } from '@eslint-community/regexpp';

/**
 * A Thompson/Pike NFA simulation of a regexpp AST: `test()` and `exec()` run
 * in O(pattern × input) whatever the pattern, so a pattern written to
 * backtrack catastrophically (`^(a+)+$`) cannot hang the linter. It covers
 * what origin patterns use — characters, classes, `\d\w\s`, `.`, groups,
 * alternation, greedy and lazy quantifiers, `^ $ \b \B`, `(?i:...)`
 * modifiers, the `i`, `m`, `s` flags, and the end-of-input assertions
 * `(?![\s\S])` / `(?<![\s\S])` that `\z` / `\A` translate to — and reports
 * the rest (other lookaround, backreferences, `v`-mode sets) as unsupported
 * so the caller can decide.
 *
 * `exec()` gives the captures a backtracking engine gives (threads run in
 * priority order, the leftmost match wins), with PCRE's and Python's rule
 * for a group inside a repetition: it keeps its last value (JavaScript resets
 * it when a later iteration does not enter the group).
 */

type CharTest = (c: number) => boolean;

type Inst =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; slot: number }
  | { op: 'assert'; kind: 'start' | 'end' | 'word' | 'nonword'; multiline: boolean }
  | { op: 'match' };

export class Unsupported extends Error {}

/** Capture offsets (UTF-16 code units) of a match: slot 2k/2k+1 are group k's start/end, -1 when it did not take part. */
export interface VmMatch {
  slots: Int32Array;
}

/** Programs grow with bounded repetition (`{1,63}` copies its element 63 times). */
const MAX_PROGRAM = 20_000;

interface Mode {
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
  unicode: boolean;
}

export class PikeProgram {
  private constructor(
    private readonly prog: Inst[],
    private readonly unicode: boolean,
    /** Capturing groups, not counting the whole match. */
    readonly groupCount: number,
    /** Group names by group number (1-based), for named groups. */
    readonly groupNames: Map<number, string>,
  ) {}

  /** Throws Unsupported for constructs the simulation does not cover. */
  static compile(pattern: AST.Pattern, flags: { ignoreCase: boolean; multiline: boolean; dotAll: boolean; unicode: boolean }): PikeProgram {
    const groups = new Map<AST.CapturingGroup, number>();
    const names = new Map<number, string>();
    // Groups are numbered by their opening parenthesis.
    const collect = (n: AST.Node) => {
      if (n.type === 'CapturingGroup') {
        groups.set(n, groups.size + 1);
        if (n.name) names.set(groups.size, n.name);
      }
      for (const child of childNodes(n)) collect(child);
    };
    collect(pattern);
    const prog: Inst[] = [];
    const c = new Compiler(prog, groups);
    prog.push({ op: 'save', slot: 0 });
    c.alternatives(pattern.alternatives, { ...flags });
    prog.push({ op: 'save', slot: 1 });
    prog.push({ op: 'match' });
    return new PikeProgram(prog, flags.unicode, groups.size, names);
  }

  get size(): number {
    return this.prog.length;
  }

  private units(input: string): { chars: number[]; offsets: number[] } {
    if (!this.unicode) {
      const chars = Array.from({ length: input.length }, (_, i) => input.charCodeAt(i));
      return { chars, offsets: Array.from({ length: input.length + 1 }, (_, i) => i) };
    }
    const chars: number[] = [];
    const offsets: number[] = [];
    let at = 0;
    for (const s of input) {
      chars.push(s.codePointAt(0)!);
      offsets.push(at);
      at += s.length;
    }
    offsets.push(at);
    return { chars, offsets };
  }

  /**
   * The leftmost match starting at or after `from` (a UTF-16 offset), or
   * exactly at `from` when `sticky`; null when there is none.
   */
  exec(input: string, from = 0, sticky = false): VmMatch | null {
    const { chars, offsets } = this.units(input);
    const start = offsets.findIndex((o) => o >= from);
    if (start < 0) return null;
    const n = this.prog.length;
    const nslots = 2 * (this.groupCount + 1);
    const mark = new Int32Array(n).fill(-1);
    let gen = 0;
    type Thread = { pc: number; slots: Int32Array };
    const add = (list: Thread[], pc0: number, slots0: Int32Array, pos: number): void => {
      const stack: Thread[] = [{ pc: pc0, slots: slots0 }];
      while (stack.length) {
        const { pc, slots } = stack.pop()!;
        if (mark[pc] === gen) continue;
        mark[pc] = gen;
        const inst = this.prog[pc]!;
        switch (inst.op) {
          case 'jmp':
            stack.push({ pc: inst.x, slots });
            break;
          case 'split':
            // x is tried first: pushed last.
            stack.push({ pc: inst.y, slots }, { pc: inst.x, slots });
            break;
          case 'save': {
            const copy = slots.slice();
            copy[inst.slot] = offsets[pos]!;
            stack.push({ pc: pc + 1, slots: copy });
            break;
          }
          case 'assert':
            if (assertionHolds(inst, chars, pos)) stack.push({ pc: pc + 1, slots });
            break;
          case 'match':
          case 'char':
            list.push({ pc, slots });
            break;
        }
      }
    };
    const empty = new Int32Array(nslots).fill(-1);
    let matched: Int32Array | null = null;
    gen++;
    let current: Thread[] = [];
    add(current, 0, empty, start);
    for (let pos = start; ; pos++) {
      gen++;
      const next: Thread[] = [];
      for (const t of current) {
        const inst = this.prog[t.pc]!;
        if (inst.op === 'match') {
          // Every thread after this one has a lower priority: a backtracking engine never reaches them.
          matched = t.slots;
          break;
        }
        if (pos < chars.length && (inst as Extract<Inst, { op: 'char' }>).test(chars[pos]!)) add(next, t.pc + 1, t.slots, pos + 1);
      }
      if (pos >= chars.length) break;
      if (!matched && !sticky) add(next, 0, empty, pos + 1);
      if (!next.length) break;
      current = next;
    }
    return matched ? { slots: matched } : null;
  }

  /** Unanchored search, like RegExp.prototype.test. */
  test(input: string): boolean {
    const chars = this.unicode ? Array.from(input, (s) => s.codePointAt(0)!) : Array.from({ length: input.length }, (_, i) => input.charCodeAt(i));
    const n = this.prog.length;
    const mark = new Int32Array(n).fill(-1);
    let current: number[] = [];
    let gen = 0;
    const add = (list: number[], pc: number, pos: number): boolean => {
      // Iterative epsilon closure; `mark` makes empty loops terminate.
      const stack = [pc];
      while (stack.length) {
        const p = stack.pop()!;
        if (mark[p] === gen) continue;
        mark[p] = gen;
        const inst = this.prog[p]!;
        switch (inst.op) {
          case 'jmp':
            stack.push(inst.x);
            break;
          case 'split':
            stack.push(inst.y, inst.x);
            break;
          case 'save':
            stack.push(p + 1);
            break;
          case 'assert':
            if (assertionHolds(inst, chars, pos)) stack.push(p + 1);
            break;
          case 'match':
            return true;
          case 'char':
            list.push(p);
            break;
        }
      }
      return false;
    };
    for (let pos = 0; pos <= chars.length; pos++) {
      gen++;
      // Threads carried over from the previous position were added under the previous generation.
      const carried = current;
      current = [];
      for (const pc of carried) if (add(current, pc, pos)) return true;
      if (add(current, 0, pos)) return true;
      if (pos === chars.length) break;
      const ch = chars[pos]!;
      const next: number[] = [];
      for (const pc of current) {
        const inst = this.prog[pc] as Extract<Inst, { op: 'char' }>;
        if (inst.test(ch)) next.push(pc + 1);
      }
      current = next;
    }
    return false;
  }
}

function isWordChar(c: number | undefined): boolean {
  return c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95);
}

const isLineTerminator = (c: number | undefined) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

function assertionHolds(inst: Extract<Inst, { op: 'assert' }>, chars: number[], pos: number): boolean {
  switch (inst.kind) {
    case 'start':
      return pos === 0 || (inst.multiline && isLineTerminator(chars[pos - 1]));
    case 'end':
      return pos === chars.length || (inst.multiline && isLineTerminator(chars[pos]));
    case 'word':
      return isWordChar(chars[pos - 1]) !== isWordChar(chars[pos]);
    case 'nonword':
      return isWordChar(chars[pos - 1]) === isWordChar(chars[pos]);
  }
}

function caseVariants(c: number): number[] {
  const s = String.fromCodePoint(c);
  const out = new Set<number>([c]);
  for (const v of [s.toLowerCase(), s.toUpperCase()]) if ([...v].length === 1) out.add(v.codePointAt(0)!);
  return [...out];
}

const WHITESPACE = /^[\s]$/;

/** The direct children of an AST node that can contain capturing groups. */
function childNodes(n: AST.Node): AST.Node[] {
  switch (n.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
      return n.alternatives;
    case 'Assertion':
      return n.kind === 'lookahead' || n.kind === 'lookbehind' ? n.alternatives : [];
    case 'Alternative':
      return n.elements;
    case 'Quantifier':
      return [n.element];
    default:
      return [];
  }
}

/** `(?![\s\S])`, `(?<![^])`: nothing follows (precedes) — the translation of `\z` (`\A`) under the m flag. */
function inputEdge(el: AST.LookaroundAssertion): 'start' | 'end' | undefined {
  if (!el.negate || el.alternatives.length !== 1) return undefined;
  const only = el.alternatives[0]!.elements;
  if (only.length !== 1) return undefined;
  const c = only[0]!;
  if (c.type !== 'CharacterClass' || c.unicodeSets) return undefined;
  const [a, b] = c.elements;
  // `[^]`, or a class and its complement: `[\s\S]`, `[\d\D]`, `[\w\W]`.
  const everything =
    (c.negate && c.elements.length === 0) ||
    (!c.negate && c.elements.length === 2 && a?.type === 'CharacterSet' && b?.type === 'CharacterSet' && a.kind !== 'property' && a.kind === b.kind && a.negate !== b.negate);
  if (!everything) return undefined;
  return el.kind === 'lookahead' ? 'end' : 'start';
}

class Compiler {
  constructor(
    private readonly prog: Inst[],
    private readonly groups: Map<AST.CapturingGroup, number>,
  ) {}

  private emit(inst: Inst): number {
    if (this.prog.length >= MAX_PROGRAM) throw new Unsupported('the pattern is too large to evaluate');
    this.prog.push(inst);
    return this.prog.length - 1;
  }

  alternatives(alts: AST.Alternative[], mode: Mode): void {
    if (alts.length === 1) {
      this.sequence(alts[0]!, mode);
      return;
    }
    // split L1, next; L1: alt; jmp end; next: split ...
    const jumps: number[] = [];
    alts.forEach((alt, i) => {
      if (i < alts.length - 1) {
        const split = this.emit({ op: 'split', x: 0, y: 0 });
        (this.prog[split] as { x: number }).x = this.prog.length;
        this.sequence(alt, mode);
        jumps.push(this.emit({ op: 'jmp', x: 0 }));
        (this.prog[split] as { y: number }).y = this.prog.length;
      } else {
        this.sequence(alt, mode);
      }
    });
    for (const j of jumps) (this.prog[j] as { x: number }).x = this.prog.length;
  }

  private sequence(alt: AST.Alternative, mode: Mode): void {
    for (const el of alt.elements) this.element(el, mode);
  }

  private element(el: AST.Element, mode: Mode): void {
    switch (el.type) {
      case 'Character':
      case 'CharacterClass':
      case 'CharacterSet':
      case 'ExpressionCharacterClass':
        this.emit({ op: 'char', test: charTest(el, mode) });
        return;
      case 'Group': {
        let inner = mode;
        if (el.modifiers) {
          const add = el.modifiers.add;
          const rem = el.modifiers.remove;
          inner = {
            ...mode,
            ignoreCase: rem?.ignoreCase ? false : add.ignoreCase || mode.ignoreCase,
            multiline: rem?.multiline ? false : add.multiline || mode.multiline,
            dotAll: rem?.dotAll ? false : add.dotAll || mode.dotAll,
          };
        }
        this.alternatives(el.alternatives, inner);
        return;
      }
      case 'CapturingGroup': {
        const k = this.groups.get(el)!;
        this.emit({ op: 'save', slot: 2 * k });
        this.alternatives(el.alternatives, mode);
        this.emit({ op: 'save', slot: 2 * k + 1 });
        return;
      }
      case 'Quantifier':
        this.quantifier(el, mode);
        return;
      case 'Assertion':
        if (el.kind === 'start' || el.kind === 'end') {
          this.emit({ op: 'assert', kind: el.kind, multiline: mode.multiline });
          return;
        }
        if (el.kind === 'word') {
          this.emit({ op: 'assert', kind: el.negate ? 'nonword' : 'word', multiline: mode.multiline });
          return;
        }
        if (el.kind === 'lookahead' || el.kind === 'lookbehind') {
          const edge = inputEdge(el);
          if (edge) {
            this.emit({ op: 'assert', kind: edge, multiline: false });
            return;
          }
        }
        throw new Unsupported('lookaround assertions');
      case 'Backreference':
        throw new Unsupported('backreferences');
    }
  }

  private quantifier(q: AST.Quantifier, mode: Mode): void {
    const el = q.element;
    for (let i = 0; i < q.min; i++) this.element(el, mode);
    // A split prefers x: the body for a greedy quantifier, what follows for a lazy one.
    const setBranches = (split: number, body: number, after: number) => {
      const inst = this.prog[split] as { x: number; y: number };
      inst.x = q.greedy ? body : after;
      inst.y = q.greedy ? after : body;
    };
    if (q.max === Infinity) {
      // L: split body, end; body; jmp L
      const split = this.emit({ op: 'split', x: 0, y: 0 });
      const body = this.prog.length;
      this.element(el, mode);
      this.emit({ op: 'jmp', x: split });
      setBranches(split, body, this.prog.length);
      return;
    }
    const splits: [number, number][] = [];
    for (let i = q.min; i < q.max; i++) {
      const split = this.emit({ op: 'split', x: 0, y: 0 });
      splits.push([split, this.prog.length]);
      this.element(el, mode);
    }
    for (const [s, body] of splits) setBranches(s, body, this.prog.length);
  }
}

function charTest(
  el: AST.Character | AST.CharacterClass | AST.CharacterSet | AST.ExpressionCharacterClass | AST.CharacterClassRange,
  mode: Mode,
): CharTest {
  const raw = rawTest(el, mode);
  if (!mode.ignoreCase || el.type === 'CharacterClass' || el.type === 'CharacterSet') return raw;
  return (c) => caseVariants(c).some(raw);
}

/** Classes apply case folding per member, so negated classes fold correctly. */
function rawTest(
  el: AST.Character | AST.CharacterClass | AST.CharacterSet | AST.ExpressionCharacterClass | AST.CharacterClassRange,
  mode: Mode,
): CharTest {
  switch (el.type) {
    case 'Character': {
      const v = el.value;
      return (c) => c === v;
    }
    case 'CharacterClassRange': {
      const lo = el.min.value;
      const hi = el.max.value;
      return (c) => c >= lo && c <= hi;
    }
    case 'CharacterSet':
      return setTest(el, mode);
    case 'CharacterClass': {
      if (el.unicodeSets) throw new Unsupported('v-mode character classes');
      const members = el.elements.map((m) => {
        if (m.type === 'CharacterSet') return setTest(m, mode);
        const t = rawTest(m, mode);
        return mode.ignoreCase ? (c: number) => caseVariants(c).some(t) : t;
      });
      return el.negate ? (c) => !members.some((t) => t(c)) : (c) => members.some((t) => t(c));
    }
    case 'ExpressionCharacterClass':
      throw new Unsupported('v-mode character classes');
  }
}

function setTest(el: AST.CharacterSet, mode: Mode): CharTest {
  switch (el.kind) {
    case 'any':
      return mode.dotAll ? () => true : (c) => !isLineTerminator(c);
    case 'digit':
      return el.negate ? (c) => !(c >= 48 && c <= 57) : (c) => c >= 48 && c <= 57;
    case 'word':
      return el.negate ? (c) => !isWordChar(c) : (c) => isWordChar(c);
    case 'space': {
      const t = (c: number) => WHITESPACE.test(String.fromCodePoint(c));
      return el.negate ? (c) => !t(c) : t;
    }
    case 'property': {
      if (el.strings) throw new Unsupported('properties of strings');
      const re = new RegExp(`^${el.raw}$`, 'u');
      return (c) => re.test(String.fromCodePoint(c));
    }
  }
}
