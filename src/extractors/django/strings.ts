/**
 * Python string literals, cooked the way CPython reads them, so a regex
 * written as `'^https://\\w+\\.example\\.com$'` and one written as
 * `r'^https://\w+\.example\.com$'` give the same pattern.
 */

export interface LiteralParts {
  prefix: string;
  quote: string;
  body: string;
}

/** Split `rb'''x'''` into prefix `rb`, quote `'''` and body `x`. */
export function splitLiteral(text: string): LiteralParts | undefined {
  const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(text);
  if (!m) return undefined;
  const prefix = m[1]!.toLowerCase();
  const quote = m[2]!;
  if (!text.endsWith(quote) || text.length < m[0].length + quote.length) return undefined;
  return { prefix, quote, body: text.slice(m[0].length, text.length - quote.length) };
}

const SIMPLE: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Cook the body of a non-raw str literal. Unknown escapes such as `\.` keep
 * their backslash, as CPython does (with a warning); `\N{...}` names cannot be
 * resolved here and give undefined.
 */
export function cookEscapes(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[i + 1]!;
    if (n === '\n') {
      i++;
      continue;
    }
    if (n === '\r') {
      i += body[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (n in SIMPLE) {
      out += SIMPLE[n];
      i++;
      continue;
    }
    if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(oct, 8));
      i += oct.length;
      continue;
    }
    const hexLen = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    if (hexLen) {
      const hex = body.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) return undefined;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + hexLen;
      continue;
    }
    if (n === 'N') return undefined;
    out += c;
  }
  return out;
}

/** The value of one plain (non-f) str literal; undefined for bytes or what cannot be cooked. */
export function cookLiteral(text: string): string | undefined {
  const parts = splitLiteral(text);
  if (!parts || parts.prefix.includes('b') || parts.prefix.includes('f')) return undefined;
  if (parts.prefix.includes('r')) return parts.body;
  return cookEscapes(parts.body);
}

/** A segment of an f-string between interpolations. */
export function cookFStringSegment(raw: string, isRaw: boolean): string | undefined {
  const cooked = isRaw ? raw : cookEscapes(raw);
  return cooked?.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
}
