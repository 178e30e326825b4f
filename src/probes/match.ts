import type { OriginEntry, RegexFlavor } from '../model/index.js';

/**
 * Does one origin entry accept `origin`? Generic matching; a framework's
 * semantics module handles its own quirks (case folding, URL parsing) before
 * falling back to this. `undefined` means it cannot be decided statically.
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
      return wildcardToRegExp(e.pattern).test(origin);
    case 'regex': {
      const re = toJsRegExp(e.source, e.flags, e.flavor);
      return re ? re.test(origin) : undefined;
    }
    case 'predicate':
      return undefined;
  }
}

/** fruitcake/php-cors: preg_quote, then `\*` → `.*`, anchored `^…\z`. */
export function wildcardToRegExp(pattern: string): RegExp {
  const quoted = pattern.replace(/[.*+?^${}()|[\]\\/#-]/g, (c) => (c === '*' ? '\u0000' : `\\${c}`));
  return new RegExp(`^${quoted.replace(/\u0000/g, '.*')}$`, 'u');
}

/**
 * Build the JavaScript RegExp equivalent to how `flavor` applies `source` to
 * an Origin header. Returns undefined for syntax JavaScript cannot express.
 * Only ever run against short probe origins.
 */
export function toJsRegExp(source: string, flags: string, flavor: RegexFlavor): RegExp | undefined {
  let src = source;
  let fl = flags.replace(/[gy]/g, '');
  if (flavor === 'pcre') {
    const d = splitPcreDelimiters(src);
    if (!d) return undefined;
    src = d.body;
    fl = d.flags;
  }
  if (flavor !== 'js') {
    const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
    if (inline) {
      src = src.slice(inline[0].length);
      for (const f of inline[1]!) if ('ims'.includes(f) && !fl.includes(f)) fl += f;
    }
    src = src
      .replace(/\(\?P</g, '(?<')
      .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
      .replace(/\\A/g, '^')
      .replace(/\\[Zz]/g, '$');
    fl = [...new Set(fl.split('').filter((c) => 'imsu'.includes(c)))].join('');
  }
  if (flavor === 'python-match') src = `^(?:${src})`;
  if (flavor === 'python-fullmatch') src = `^(?:${src})$`;
  try {
    return new RegExp(src, fl);
  } catch {
    return undefined;
  }
}

/** '/abc/i' → { body: 'abc', flags: 'i' }; PCRE allows any non-alphanumeric delimiter and bracket pairs. */
export function splitPcreDelimiters(pattern: string): { body: string; flags: string; delimiter: string } | undefined {
  const p = pattern.trimStart();
  const open = p[0];
  if (!open || /[a-zA-Z0-9\\\s]/.test(open)) return undefined;
  const close = ({ '(': ')', '[': ']', '{': '}', '<': '>' } as Record<string, string>)[open] ?? open;
  const end = p.lastIndexOf(close);
  if (end <= 0) return undefined;
  const flags = p.slice(end + 1);
  if (!/^[a-zA-Z]*$/.test(flags)) return undefined;
  return { body: p.slice(1, end), flags, delimiter: open };
}
