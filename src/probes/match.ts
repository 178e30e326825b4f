import type { OriginEntry, RegexFlavor } from '../model/index.js';
import { evaluateCheck } from './check.js';
import { MAX_INPUT, compileOriginRegex, type RegexMatch } from './regex/compile.js';
import { translateRegex } from './regex/translate.js';

export { splitPcreDelimiters } from './regex/translate.js';

/**
 * Does one origin entry accept `origin`? Generic matching; a framework's
 * semantics module handles its own quirks (case folding, URL parsing) before
 * falling back to this. `undefined` means it cannot be decided statically.
 * Patterns run on a linear-time matcher (src/probes/regex/vm.ts).
 */
export function matchEntry(e: OriginEntry, origin: string): boolean | undefined {
  switch (e.kind) {
    case 'any':
    case 'reflect':
      return true;
    case 'none':
      return false;
    case 'exact':
      return origin === e.origin;
    case 'wildcard':
      return testRegex(wildcardSource(e.pattern), '', 'js', origin);
    case 'regex':
      return testRegex(e.source, e.flags, e.flavor, origin);
    case 'check':
      return evaluateCheck(e.test, origin);
    case 'predicate':
      return undefined;
  }
}

/** Does `flavor`'s match function accept `input`? undefined when the pattern cannot be evaluated. */
export function testRegex(source: string, flags: string, flavor: RegexFlavor, input: string): boolean | undefined {
  const c = compileOriginRegex(source, flags, flavor);
  return c.ok ? c.regex.test(input) : undefined;
}

/**
 * `flavor`'s match of `source` in `input`, with captures (nginx `$1`, named
 * groups): null when it does not match, undefined when the pattern cannot be
 * evaluated. Linear-time like testRegex.
 */
export function execRegex(source: string, flags: string, flavor: RegexFlavor, input: string): RegexMatch | null | undefined {
  const c = compileOriginRegex(source, flags.replace(/[gy]/g, ''), flavor);
  return c.ok ? c.regex.exec(input) : undefined;
}

/**
 * `input.split(/source/flags)` as JavaScript computes it (captures spliced
 * in), on the linear-time matcher; undefined when the pattern cannot be
 * evaluated or the input is longer than the matcher takes.
 */
export function splitByRegex(input: string, source: string, flags: string): (string | undefined)[] | undefined {
  const c = compileOriginRegex(source, flags.replace(/[gy]/g, ''), 'js');
  if (!c.ok || input.length > MAX_INPUT) return undefined;
  const re = c.regex;
  if (input.length === 0) return re.exec(input, 0, true) ? [] : [input];
  // ECMA-262 RegExp.prototype[@@split]: a sticky match at each position q.
  const out: (string | undefined)[] = [];
  let p = 0;
  let q = 0;
  while (q < input.length) {
    const m = re.exec(input, q, true);
    const e = m ? Math.min(m.index + m.captures[0]!.length, input.length) : -1;
    if (!m || e === p) {
      q++;
      continue;
    }
    out.push(input.slice(p, q), ...m.captures.slice(1));
    p = e;
    q = p;
  }
  out.push(input.slice(p));
  return out;
}

/** fruitcake/php-cors: preg_quote, then `\*` → `.*`, anchored `^…\z`. */
export function wildcardSource(pattern: string): string {
  const quoted = pattern.replace(/[.*+?^${}()|[\]\\/#-]/g, (c) => (c === '*' ? '.*' : `\\${c}`));
  return `^${quoted}$`;
}

export function wildcardToRegExp(pattern: string): RegExp {
  return new SafeRegExp(wildcardSource(pattern), '', 'js');
}

/**
 * A RegExp whose `test()` and `exec()` run the pattern as `flavor` applies
 * it, on the linear-time matcher — and so do `String#match`, `replace` and
 * `search`, which call `exec` — so a caller cannot hang on a catastrophic
 * pattern. `exec` always searches from the start (the flags never include
 * `g` or `y`). `split` and `matchAll` build a native copy: use splitByRegex.
 */
class SafeRegExp extends RegExp {
  private readonly compiled: ReturnType<typeof compileOriginRegex>;
  constructor(source: string, flags: string, flavor: RegexFlavor, jsSource = source, jsFlags = flags) {
    super(jsSource, jsFlags);
    this.compiled = compileOriginRegex(source, flags, flavor);
  }
  override test(s: string): boolean {
    return this.compiled.ok ? this.compiled.regex.test(String(s)) : false;
  }
  override exec(s: string): RegExpExecArray | null {
    const input = String(s);
    const m = this.compiled.ok ? this.compiled.regex.exec(input) : null;
    if (!m) return null;
    const arr = Object.assign([...m.captures], { index: m.index, input, groups: m.groups }) as RegExpExecArray;
    return arr;
  }
}

/**
 * The JavaScript RegExp equivalent to how `flavor` applies `source` to an
 * Origin header (translated syntax, implicit anchors made explicit), or
 * undefined for syntax JavaScript cannot express. Its `test()` is linear-time.
 */
export function toJsRegExp(source: string, flags: string, flavor: RegexFlavor): RegExp | undefined {
  const t = translateRegex(source, flags.replace(/[gy]/g, ''), flavor);
  if (!t.ok) return undefined;
  const c = compileOriginRegex(source, flags.replace(/[gy]/g, ''), flavor);
  if (!c.ok) return undefined;
  try {
    return new SafeRegExp(source, flags.replace(/[gy]/g, ''), flavor, t.regex.source, t.regex.flags);
  } catch {
    return undefined;
  }
}
