import type { AST } from '@eslint-community/regexpp';

/**
 * A string a pattern is meant to accept, with a mask saying which characters
 * the pattern wrote literally ('L') and which came from a variable part
 * ('V': a class, `.*`, `\w+`). A lone unescaped `.` is sampled as a literal
 * dot marked 'D' — what the author meant, and where an unescaped-dot probe
 * puts another character.
 */
export interface RegexSample {
  text: string;
  mask: string;
}

const MAX_PER_NODE = 6;
const MAX_REPEAT = 3;

/** Up to `limit` representative strings, smallest choices first, built structurally from the AST. */
export function regexSamples(ast: AST.Pattern, limit = 8): RegexSample[] {
  const out = dedupe(alternatives(ast.alternatives)).slice(0, limit);
  return out;
}

function dedupe(samples: RegexSample[]): RegexSample[] {
  const seen = new Set<string>();
  return samples.filter((s) => (seen.has(s.text) ? false : (seen.add(s.text), true)));
}

function alternatives(alts: AST.Alternative[]): RegexSample[] {
  const out: RegexSample[] = [];
  // Take one sample from each alternative before a second from any, so `(a|b|c)` yields all three.
  const per = alts.map((a) => sequence(a.elements));
  for (let round = 0; out.length < MAX_PER_NODE * 2 && per.some((p) => p.length > round); round++) {
    for (const p of per) if (p[round]) out.push(p[round]!);
  }
  return dedupe(out).slice(0, MAX_PER_NODE);
}

function sequence(elements: AST.Element[]): RegexSample[] {
  let acc: RegexSample[] = [{ text: '', mask: '' }];
  for (const el of elements) {
    const options = element(el, false);
    const next: RegexSample[] = [];
    // Vary one element at a time around the first choice, instead of the full product.
    for (const a of acc) {
      for (const o of options) {
        next.push({ text: a.text + o.text, mask: a.mask + o.mask });
        if (next.length >= MAX_PER_NODE) break;
      }
      if (next.length >= MAX_PER_NODE) break;
    }
    acc = dedupe(next);
  }
  return acc;
}

function element(el: AST.Element, repeated: boolean): RegexSample[] {
  switch (el.type) {
    case 'Character': {
      const t = String.fromCodePoint(el.value);
      return [{ text: t, mask: 'L'.repeat(t.length) }];
    }
    case 'CharacterSet':
      return [variable(setChar(el, repeated))];
    case 'CharacterClass':
      return [classSample(el)];
    case 'ExpressionCharacterClass':
      return [variable('a')];
    case 'Group':
    case 'CapturingGroup':
      return alternatives(el.alternatives);
    case 'Assertion':
      return [{ text: '', mask: '' }];
    case 'Backreference':
      return [{ text: '', mask: '' }];
    case 'Quantifier': {
      // `.+`, `\w*`, `[a-z0-9-]+`: an open-ended label reads best as `app` (`https://app.example.com`).
      if (el.max === Infinity && el.min <= 3 && acceptsWord(el.element)) {
        const app = { text: 'app', mask: 'VVV' };
        return el.min === 0 ? [{ text: '', mask: '' }, app] : [app];
      }
      // `:\d+` reads best as a real port.
      if (el.max === Infinity && el.element.type === 'CharacterSet' && el.element.kind === 'digit' && !el.element.negate) {
        const port = { text: '8080', mask: 'VVVV' };
        return el.min === 0 ? [{ text: '', mask: '' }, port] : [port];
      }
      const inner = element(el.element, true);
      const times = Math.min(Math.max(el.min, 1), MAX_REPEAT);
      const repeated = inner.map((s) => ({ text: s.text.repeat(times), mask: s.mask.repeat(times) }));
      return el.min === 0 ? [{ text: '', mask: '' }, ...repeated] : repeated;
    }
  }
}

/** Does a single-character element accept each of `a` and `p`? */
function acceptsWord(el: AST.QuantifiableElement): boolean {
  if (el.type === 'CharacterSet') return el.kind === 'any' || (el.kind === 'word' && !el.negate) || (el.kind === 'property' && !el.negate);
  if (el.type !== 'CharacterClass' || el.unicodeSets) return false;
  const s = classSample(el);
  if (s.mask !== 'V') return false;
  return [97, 112].every((c) => classAccepts(el, c));
}

function variable(ch: string): RegexSample {
  return { text: ch, mask: ch === '.' ? 'D' : 'V' };
}

function setChar(el: AST.CharacterSet, repeated: boolean): string {
  switch (el.kind) {
    case 'any':
      // `app.example.com` means a dot; `.*` / `.+` mean "anything".
      return repeated ? 'x' : '.';
    case 'digit':
      return el.negate ? 'a' : '1';
    case 'word':
      return el.negate ? '.' : 'a';
    case 'space':
      return el.negate ? 'a' : ' ';
    case 'property':
      return 'a';
  }
}

const PREFERRED = 'abcdefghijklmnopqrstuvwxyz123456789-0.';

function classSample(el: AST.CharacterClass): RegexSample {
  if (el.unicodeSets) return variable('a');
  const accepts = (c: number) => classAccepts(el, c);
  // `[.]` and `[-]` are literal characters written as a class.
  if (!el.negate && el.elements.length === 1 && el.elements[0]!.type === 'Character') {
    const t = String.fromCodePoint(el.elements[0].value);
    return { text: t, mask: 'L' };
  }
  for (const ch of PREFERRED) if (accepts(ch.charCodeAt(0))) return { text: ch, mask: 'V' };
  for (let c = 33; c < 127; c++) if (accepts(c)) return { text: String.fromCharCode(c), mask: 'V' };
  return variable('a');
}

function classAccepts(el: AST.CharacterClass, c: number): boolean {
  if (el.unicodeSets) return false;
  const hit = el.elements.some((m) => {
    switch (m.type) {
      case 'Character':
        return m.value === c;
      case 'CharacterClassRange':
        return c >= m.min.value && c <= m.max.value;
      case 'CharacterSet':
        return setAccepts(m, c);
    }
  });
  return el.negate ? !hit : hit;
}

function setAccepts(m: AST.CharacterSet, c: number): boolean {
  const ch = String.fromCharCode(c);
  switch (m.kind) {
    case 'any':
      return true;
    case 'digit':
      return /\d/.test(ch) !== m.negate;
    case 'word':
      return /\w/.test(ch) !== m.negate;
    case 'space':
      return /\s/.test(ch) !== m.negate;
    case 'property':
      return !m.negate;
  }
}
