import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';
import type { RegexFlavor } from '../../model/index.js';
import { translateRegex, type TranslatedRegex } from './translate.js';
import { PikeProgram, Unsupported } from './vm.js';

/** Origins are short; nothing longer is ever matched (the probes stay far below this). */
export const MAX_INPUT = 2048;

/** A match as RegExp.prototype.exec reports it. */
export interface RegexMatch {
  /** UTF-16 offset of the match. */
  index: number;
  /** The whole match, then each capturing group (undefined when it did not take part). */
  captures: (string | undefined)[];
  /** Named groups, when the pattern has any. */
  groups?: Record<string, string | undefined>;
}

export interface OriginRegex {
  /** The pattern in JavaScript syntax with the flavour's implicit anchors made explicit. */
  translated: TranslatedRegex;
  /** regexpp's AST of `translated`, for structural analysis. */
  ast: AST.Pattern;
  /** Does the flavour's match function accept `input`? Linear time, or backtracking only on patterns that cannot blow up. */
  test(input: string): boolean;
  /**
   * The leftmost match at or after `from` (exactly at `from` when `sticky`),
   * with its captures; null when there is none or the input is longer than
   * an origin can be. Same time bound as `test`.
   */
  exec(input: string, from?: number, sticky?: boolean): RegexMatch | null;
  /** How `test` runs: the NFA simulation, or native RegExp for constructs it lacks on a structure that cannot backtrack badly. */
  engine: 'nfa' | 'native';
}

export type Compiled = { ok: true; regex: OriginRegex } | { ok: false; reason: string };

const parser = new RegExpParser({ ecmaVersion: 2025, strict: false });
const cache = new Map<string, Compiled>();

/**
 * Parse and compile a configuration's origin pattern as its flavour applies
 * it. Results are cached: semantics modules call this once per probe.
 */
export function compileOriginRegex(source: string, flags: string, flavor: RegexFlavor): Compiled {
  const key = `${flavor}\u0000${flags}\u0000${source}`;
  let c = cache.get(key);
  if (!c) {
    c = compileUncached(source, flags, flavor);
    if (cache.size > 5000) cache.clear();
    cache.set(key, c);
  }
  return c;
}

function compileUncached(source: string, flags: string, flavor: RegexFlavor): Compiled {
  const t = translateRegex(source, flags, flavor);
  if (!t.ok) return t;
  const { regex } = t;
  let ast: AST.Pattern;
  try {
    ast = parser.parsePattern(regex.source, 0, regex.source.length, { unicode: regex.flags.includes('u'), unicodeSets: regex.flags.includes('v') });
  } catch (e) {
    return { ok: false, reason: `not a valid pattern: ${(e as Error).message}` };
  }
  const mode = {
    ignoreCase: regex.flags.includes('i'),
    multiline: regex.flags.includes('m'),
    dotAll: regex.flags.includes('s'),
    unicode: regex.flags.includes('u') || regex.flags.includes('v'),
  };
  try {
    const prog = PikeProgram.compile(ast, mode);
    const exec = (s: string, from = 0, sticky = false): RegexMatch | null => {
      if (s.length > MAX_INPUT) return null;
      const m = prog.exec(s, from, sticky);
      if (!m) return null;
      const captures: (string | undefined)[] = [];
      for (let k = 0; k <= prog.groupCount; k++) {
        const [a, b] = [m.slots[2 * k]!, m.slots[2 * k + 1]!];
        captures.push(a >= 0 && b >= 0 ? s.slice(a, b) : undefined);
      }
      const out: RegexMatch = { index: m.slots[0]!, captures };
      if (prog.groupNames.size) out.groups = Object.fromEntries([...prog.groupNames].map(([k, name]) => [name, captures[k]]));
      return out;
    };
    return { ok: true, regex: { translated: regex, ast, engine: 'nfa', test: (s) => s.length <= MAX_INPUT && prog.test(s), exec } };
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    const risk = backtrackingRisk(ast);
    if (risk) return { ok: false, reason: `${e.message} on a pattern that could backtrack catastrophically (${risk})` };
    let native: RegExp;
    let nativeAt: { g: RegExp; y: RegExp };
    try {
      native = new RegExp(regex.source, regex.flags);
      nativeAt = { g: new RegExp(regex.source, `${regex.flags}g`), y: new RegExp(regex.source, `${regex.flags}y`) };
    } catch (err) {
      return { ok: false, reason: `not a valid pattern: ${(err as Error).message}` };
    }
    return {
      ok: true,
      regex: {
        translated: regex,
        ast,
        engine: 'native',
        test: (s) => {
          native.lastIndex = 0;
          return s.length <= MAX_INPUT && native.test(s);
        },
        exec: (s, from = 0, sticky = false) => {
          if (s.length > MAX_INPUT) return null;
          const re = sticky ? nativeAt.y : nativeAt.g;
          re.lastIndex = from;
          const m = re.exec(s);
          if (!m) return null;
          const out: RegexMatch = { index: m.index, captures: [...m] };
          if (m.groups) out.groups = { ...m.groups };
          return out;
        },
      },
    };
  }
}

/**
 * Why a backtracking engine could take exponential time on this pattern, or
 * undefined. Conservative: a repeated element that itself contains a
 * repetition or an alternation (`(a+)+`, `(a|a)*`) is a risk even when it
 * happens to be unambiguous.
 */
export function backtrackingRisk(ast: AST.Pattern): string | undefined {
  let risk: string | undefined;
  visitRegExpAST(ast, {
    onQuantifierEnter(q) {
      if (risk || q.max <= 1) return;
      visitRegExpAST(q.element, {
        onQuantifierEnter(inner) {
          if (!risk && inner.max > 1) risk = `nested quantifier ${q.raw}`;
        },
        onAlternativeEnter(alt) {
          if (!risk && alt.parent.type !== 'Pattern' && alt.parent.alternatives.length > 1) risk = `repeated alternation ${q.raw}`;
        },
      });
    },
  });
  return risk;
}
