import { visitRegExpAST, type AST } from '@eslint-community/regexpp';
import type { RegexFlavor } from '../../model/index.js';
import { compileOriginRegex } from './compile.js';

/** How a pattern pins the Origin down, as its flavour's match function applies it. */
export interface PatternShape {
  /** Every match must start at the beginning of the Origin (`^`, `\A`, `re.match`, PCRE `A`). */
  anchoredStart: boolean;
  /** Every match must end at the end of the Origin (`$`, `\z`, `re.fullmatch`). */
  anchoredEnd: boolean;
  /** Offsets, in the JavaScript translation, of `.` that stand alone: almost always a dot meant literally. */
  unescapedDots: number[];
}

/** The anchoring and escaping of a pattern, read from its regexpp AST; undefined when it cannot be parsed. */
export function patternShape(source: string, flags: string, flavor: RegexFlavor): PatternShape | undefined {
  const c = compileOriginRegex(source, flags, flavor);
  if (!c.ok) return undefined;
  const ast = c.regex.ast;
  const unescapedDots: number[] = [];
  visitRegExpAST(ast, {
    onCharacterSetEnter(n) {
      if (n.kind === 'any' && n.parent.type !== 'Quantifier') unescapedDots.push(n.start);
    },
  });
  return { anchoredStart: alternativesAnchored(ast.alternatives, 'start'), anchoredEnd: alternativesAnchored(ast.alternatives, 'end'), unescapedDots };
}

function alternativesAnchored(alts: AST.Alternative[], side: 'start' | 'end'): boolean {
  return alts.length > 0 && alts.every((a) => alternativeAnchored(a, side));
}

/** The first (last) element that consumes input is preceded (followed) by the anchor, possibly inside groups. */
function alternativeAnchored(alt: AST.Alternative, side: 'start' | 'end'): boolean {
  const els = side === 'start' ? alt.elements : [...alt.elements].reverse();
  for (const el of els) {
    if (el.type === 'Assertion') {
      if (el.kind === side) return true;
      if (el.kind === 'word' || el.kind === 'lookahead' || el.kind === 'lookbehind') continue;
      return false;
    }
    if (el.type === 'Group' || el.type === 'CapturingGroup') return alternativesAnchored(el.alternatives, side);
    return false;
  }
  return false;
}
