import type { RegexFlavor } from '../../model/index.js';

/** A pattern rewritten in JavaScript syntax, with the anchoring its flavour's match function implies made explicit. */
export interface TranslatedRegex {
  /** JavaScript pattern source (Annex B syntax, no delimiters). */
  source: string;
  /** JavaScript flags, only from `imsu`. */
  flags: string;
}

export type Translation = { ok: true; regex: TranslatedRegex } | { ok: false; reason: string };

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  word: '\\w',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
  ascii: '\\x00-\\x7f',
};

/**
 * Rewrite a pattern of `flavor` into JavaScript: PCRE delimiters and their
 * flags, Python/PCRE leading inline flags `(?i)`, `(?P<name>`, `(?P=name)`,
 * `\A`, `\Z`, `\z`, `(?#...)` comments, `\Q...\E`, POSIX classes, `{,n}` and
 * the `x` (verbose) flag. Then wrap it in the anchors the match function adds
 * (`re.match` → `^`, `re.fullmatch` → `^...$`, PCRE `A` → `^`). Constructs
 * JavaScript has no equivalent for (possessive quantifiers, atomic groups,
 * recursion, conditionals) give a reason instead of a wrong answer.
 */
export function translateRegex(source: string, flags: string, flavor: RegexFlavor): Translation {
  if (flavor === 'js') {
    return { ok: true, regex: { source, flags: onlyFlags(flags, 'imsuv') } };
  }
  let body = source;
  let fl = flags;
  if (flavor === 'pcre') {
    const d = splitPcreDelimiters(body);
    if (!d) return { ok: false, reason: 'a PHP preg pattern needs delimiters, e.g. #^https://app\\.example\\.com$#' };
    // An escaped delimiter inside the body (`\#`) is an identity escape JavaScript reads the same way.
    body = d.body;
    fl = `${fl}${d.flags}`;
  }
  for (let inline = /^\(\?([a-zA-Z]+)\)/.exec(body); inline; inline = /^\(\?([a-zA-Z]+)\)/.exec(body)) {
    body = body.slice(inline[0].length);
    fl += inline[1];
  }
  if (/[^aiLmsuxADSUJXn]/.test(fl)) return { ok: false, reason: `unsupported regex flag in '${fl}'` };
  const rewritten = rewriteSyntax(body, fl.includes('x'), fl.includes('m'));
  if (!rewritten.ok) return rewritten;
  let src = rewritten.source;
  const anchorStart = flavor === 'python-match' || flavor === 'python-fullmatch' || fl.includes('A');
  const anchorEnd = flavor === 'python-fullmatch';
  if (anchorStart || anchorEnd) src = `${anchorStart ? '^' : ''}(?:${src})${anchorEnd ? '$' : ''}`;
  // \p{...} means a Unicode property only in JavaScript's unicode mode. PCRE's
  // and Python's u mean Unicode-aware matching, which JavaScript's u adds to a
  // stricter syntax (no `\:` or `\-` outside classes, which preg_quote writes):
  // on the ASCII origins corslint matches the two agree, so u is only kept for \p.
  const unicode = /\\[pP]\{/.test(src) ? 'u' : '';
  return { ok: true, regex: { source: src, flags: onlyFlags(fl.replace(/u/g, '') + unicode, 'imsu') } };
}

function onlyFlags(flags: string, allowed: string): string {
  return [...new Set(flags.split('').filter((c) => allowed.includes(c)))].sort().join('');
}

/** A token-level rewrite that knows escapes and character classes, so `\\A` or `[\A]` are left alone. */
function rewriteSyntax(src: string, verbose: boolean, multiline: boolean): { ok: true; source: string } | { ok: false; reason: string } {
  // Under m, `^` and `$` also match at line breaks; `\A` and `\z` never do.
  const inputStart = multiline ? '(?<![\\s\\S])' : '^';
  const inputEnd = multiline ? '(?![\\s\\S])' : '$';
  let out = '';
  let inClass = false;
  let i = 0;
  const fail = (reason: string) => ({ ok: false as const, reason });
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return fail('the pattern ends with a lone backslash');
      if (n === 'Q') {
        // \Q...\E: everything in between is literal.
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end === -1 ? src.length : end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end === -1 ? src.length : end + 2;
        continue;
      }
      if (n === 'E') {
        i += 2;
        continue;
      }
      if (!inClass) {
        if (n === 'A' || n === 'G') {
          out += inputStart;
          i += 2;
          continue;
        }
        if (n === 'Z' || n === 'z') {
          out += inputEnd;
          i += 2;
          continue;
        }
      }
      if (n === 'h') {
        out += inClass ? ' \\t' : '[ \\t]';
        i += 2;
        continue;
      }
      if ('RXKCgp'.includes(n) && !(n === 'p' && src[i + 2] === '{')) {
        if (n === 'g' && /^\\g\{?\d+\}?/.test(src.slice(i))) {
          const m = /^\\g\{?(\d+)\}?/.exec(src.slice(i))!;
          out += `\\${m[1]}`;
          i += m[0].length;
          continue;
        }
        return fail(`\\${n} has no JavaScript equivalent`);
      }
      out += c + n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        if (m) {
          const cls = POSIX_CLASSES[m[2]!];
          if (!cls || m[1]) return fail(`POSIX class [:${m[1]}${m[2]}:] is not supported`);
          out += cls;
          i += m[0].length;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      // A ']' right after '[' or '[^' is a literal in Python and PCRE.
      if (src[i] === '^') {
        out += '^';
        i++;
      }
      if (src[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (verbose && /\s/.test(c)) {
      i++;
      continue;
    }
    if (verbose && c === '#') {
      const nl = src.indexOf('\n', i);
      i = nl === -1 ? src.length : nl + 1;
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('#')) {
        const end = src.indexOf(')', i);
        i = end === -1 ? src.length : end + 1;
        continue;
      }
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 4;
        continue;
      }
      const backref = /^P=(\w+)\)/.exec(rest);
      if (backref) {
        out += `\\k<${backref[1]}>`;
        i += 2 + backref[0].length;
        continue;
      }
      if (rest.startsWith('>')) return fail('atomic groups (?>...) have no JavaScript equivalent');
      if (rest.startsWith('(') || rest.startsWith('R') || /^[+-]?\d/.test(rest) || rest.startsWith('P>') || rest.startsWith('&')) {
        return fail('conditionals and recursion have no JavaScript equivalent');
      }
      if (rest.startsWith("'")) return fail("(?'name'...) groups are not supported");
      const mid = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(rest);
      if (mid) return fail('inline flags in the middle of a pattern are not supported');
    }
    if (c === '{' && /^\{,\d+\}/.test(src.slice(i))) {
      out += '{0';
      i++;
      continue;
    }
    if ((c === '+' || c === '}') && src[i + 1] === '+' && out.length > 0) {
      return fail('possessive quantifiers have no JavaScript equivalent');
    }
    if ((c === '*' || c === '?') && src[i + 1] === '+') {
      return fail('possessive quantifiers have no JavaScript equivalent');
    }
    out += c;
    i++;
  }
  return { ok: true, source: out };
}

/**
 * Split a PHP preg pattern into body and modifiers the way PCRE's PHP binding
 * does: optional leading whitespace, a delimiter that is not alphanumeric or
 * a backslash, the body up to the first unescaped closing delimiter (bracket
 * pairs nest), then modifier letters (whitespace ignored). undefined when PHP
 * would reject it — preg_match then returns false.
 */
export function splitPcreDelimiters(pattern: string): { body: string; flags: string; delimiter: string } | undefined {
  let i = 0;
  while (i < pattern.length && /\s/.test(pattern[i]!)) i++;
  const open = pattern[i];
  if (!open || /[a-zA-Z0-9\\\0]/.test(open)) return undefined;
  const close = ({ '(': ')', '[': ']', '{': '}', '<': '>' } as Record<string, string>)[open] ?? open;
  let p = i + 1;
  let depth = 1;
  for (; p < pattern.length; p++) {
    const c = pattern[p]!;
    if (c === '\\') {
      p++;
      continue;
    }
    if (c === close && (open === close || --depth === 0)) break;
    if (c === open && open !== close) depth++;
  }
  if (p >= pattern.length) return undefined;
  const flags = pattern.slice(p + 1).replace(/[ \r\n]/g, '');
  if (!/^[imsxuADSUXJn]*$/.test(flags)) return undefined;
  return { body: pattern.slice(i + 1, p), flags, delimiter: open };
}
