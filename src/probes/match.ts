import type { OriginEntry, RegexFlavor } from '../model/index.js';
import { evaluateCheck } from './check.js';
import { compileOriginRegex } from './regex/compile.js';
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

/** fruitcake/php-cors: preg_quote, then `\*` → `.*`, anchored `^…\z`. */
export function wildcardSource(pattern: string): string {
  const quoted = pattern.replace(/[.*+?^${}()|[\]\\/#-]/g, (c) => (c === '*' ? '.*' : `\\${c}`));
  return `^${quoted}$`;
}

export function wildcardToRegExp(pattern: string): RegExp {
  return new SafeRegExp(wildcardSource(pattern), '', 'js');
}

/**
 * A RegExp whose `test()` runs the pattern as `flavor` applies it, on the
 * linear-time matcher: callers that only test keep working and cannot hang on
 * a catastrophic pattern. Other RegExp methods use the native engine.
 */
class SafeRegExp extends RegExp {
  private readonly matcher: (s: string) => boolean;
  constructor(source: string, flags: string, flavor: RegexFlavor, jsSource = source, jsFlags = flags) {
    super(jsSource, jsFlags);
    const c = compileOriginRegex(source, flags, flavor);
    this.matcher = c.ok ? c.regex.test : () => false;
  }
  override test(s: string): boolean {
    return this.matcher(s);
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
