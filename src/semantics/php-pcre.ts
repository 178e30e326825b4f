import { testRegex } from '../probes/match.js';

/**
 * How PHP's preg_match reads a pattern string (ext/pcre/php_pcre.c,
 * pcre_get_compiled_regex_cache): leading whitespace, a delimiter that is not
 * alphanumeric or a backslash, the body up to the first unescaped closing
 * delimiter (brackets nest), then modifiers. Anything else is a warning and
 * preg_match returns false: the pattern never matches. Note that an unescaped
 * `/` inside a `/…/` pattern ends it there, so `'/^https://a\.com$/'` is a
 * warning ("Unknown modifier '/'"), not a match.
 */
export type PhpPattern =
  | { ok: true; body: string; modifiers: string }
  | { ok: false; warning: string };

const MODIFIERS = 'imsxuADSUXJn';

export function parsePhpPattern(pattern: string): PhpPattern {
  let i = 0;
  while (i < pattern.length && /\s/.test(pattern[i]!)) i++;
  if (i >= pattern.length) return { ok: false, warning: 'preg_match(): Empty regular expression' };
  const start = pattern[i]!;
  if (/[a-zA-Z0-9\\\0]/.test(start)) return { ok: false, warning: 'preg_match(): Delimiter must not be alphanumeric, backslash, or NUL byte' };
  const end = ({ '(': ')', '[': ']', '{': '}', '<': '>' } as Record<string, string>)[start] ?? start;
  let p = i + 1;
  let depth = 1;
  for (; p < pattern.length; p++) {
    const c = pattern[p]!;
    if (c === '\\' && p + 1 < pattern.length) {
      p++;
      continue;
    }
    if (c === end && (start === end || --depth <= 0)) break;
    if (c === start && start !== end) depth++;
  }
  if (p >= pattern.length) {
    return { ok: false, warning: start === end ? `preg_match(): No ending delimiter '${start}' found` : `preg_match(): No ending matching delimiter '${end}' found` };
  }
  const body = pattern.slice(i + 1, p);
  let modifiers = '';
  for (const c of pattern.slice(p + 1)) {
    if (c === ' ' || c === '\n' || c === '\r') continue;
    if (c === 'e') return { ok: false, warning: 'preg_match(): The /e modifier is no longer supported' };
    if (!MODIFIERS.includes(c)) return { ok: false, warning: `preg_match(): Unknown modifier '${c}'` };
    modifiers += c;
  }
  return { ok: true, body, modifiers };
}

/**
 * preg_match(pattern, subject): true/false, 'warning' when PHP rejects the
 * pattern, undefined when corslint cannot tell. The pattern runs on the
 * probes' linear-time matcher (PCRE flavour), never on a backtracking engine:
 * a configuration's `#^(a+)+$#` cannot hang the linter.
 */
export function pregMatch(pattern: string, subject: string): boolean | 'warning' | undefined {
  const p = parsePhpPattern(pattern);
  if (!p.ok) return 'warning';
  return testRegex(pattern, '', 'pcre', subject);
}

/** PHP preg_quote with a delimiter. */
export function pregQuote(s: string, delimiter = ''): string {
  return s.replace(/[.\\+*?[^\]$(){}=!<>|:\-#/\0]/g, (c) => {
    if (c === '\0') return '\\000';
    if (c === delimiter || '.\\+*?[^]$(){}=!<>|:-#'.includes(c)) return `\\${c}`;
    return c;
  });
}

/**
 * fruitcake/php-cors turns an `allowed_origins` entry containing `*` into
 * `'#^' . str_replace('\*', '.*', preg_quote($origin, '#')) . '\z#u'`.
 */
export function wildcardPattern(origin: string): string {
  return `#^${pregQuote(origin, '#').replace(/\\\*/g, '.*')}\\z#u`;
}
