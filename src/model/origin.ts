import type { Loc } from './loc.js';

/** Regex dialects differ in how they are applied to the Origin, which decides anchoring. */
export type RegexFlavor =
  | 'js' // RegExp.prototype.test: unanchored
  | 'python-match' // re.match: anchored at the start only
  | 'python-fullmatch' // re.fullmatch: anchored at both ends
  | 'pcre' // preg_match with the user's delimiters: unanchored
  | 'nginx'; // ~ / ~* in map or if: PCRE, unanchored

/**
 * What a string test in a custom check looks at: the whole Origin header, or
 * a part of `new URL(origin)`. Reading a URL part of an Origin that does not
 * parse (e.g. `null`) throws in the user's code, which rejects the request.
 */
export type CheckSubject = 'origin' | 'hostname' | 'host' | 'protocol';

/**
 * A custom origin check (an Express `origin` function, the guard around a
 * hand-written `res.setHeader('Access-Control-Allow-Origin', origin)`) as the
 * boolean expression it is, so the probes can run through it. Extractors
 * normalize the JavaScript spellings:
 *
 * - `origin === 'x'`, `'x' === origin`, `==`, `switch` cases      → { op: 'equals', value: 'x' }
 * - `origin.startsWith(v)`, `origin.indexOf(v) === 0`             → { op: 'startsWith', value: v }
 * - `origin.endsWith(v)`                                          → { op: 'endsWith', value: v }
 * - `origin.includes(v)`, `origin.indexOf(v) !== -1` / `> -1` / `>= 0`, `origin.search(v)` (string) → { op: 'includes', value: v }
 * - `list.includes(origin)`, `list.indexOf(origin) > -1`, `set.has(origin)` with a known list → { op: 'oneOf', values: [...] }
 * - `/re/.test(origin)`, `origin.match(/re/)`, `new RegExp(s).test(origin)` → { op: 'regex', source, flags }  (JS flavour)
 * - `a && b`, `a || b`, `!a`                                      → { op: 'and' | 'or', args } / { op: 'not', arg }
 * - `new URL(origin).hostname.endsWith(v)` etc.                   → the same ops with `subject: 'hostname'`
 * - `.toLowerCase()` on the subject                               → `ignoreCase: true`
 * - anything else (a DB lookup, an imported helper)               → { op: 'unknown', description }
 *
 * `unknown` parts make the check three-valued: `ok && unknown` with `ok`
 * false is decided (false); only what depends on the unknown part is unknown.
 */
export type OriginCheck =
  | { op: 'equals' | 'startsWith' | 'endsWith' | 'includes'; value: string; subject?: CheckSubject; ignoreCase?: boolean }
  | { op: 'oneOf'; values: string[]; subject?: CheckSubject; ignoreCase?: boolean }
  // ignoreCase: the subject is lower-cased before the test (`/re/.test(origin.toLowerCase())`), unlike the `i` flag.
  | { op: 'regex'; source: string; flags: string; flavor?: RegexFlavor; subject?: CheckSubject; ignoreCase?: boolean }
  | { op: 'and' | 'or'; args: OriginCheck[] }
  | { op: 'not'; arg: OriginCheck }
  | { op: 'unknown'; description: string };

/**
 * One entry of what a policy trusts. Extractors say what is written; the
 * framework's semantics decide what the server answers for it.
 */
export type OriginEntry = (
  | { kind: 'any' } // '*': allow-all
  | { kind: 'reflect' } // echoes whatever Origin arrives
  | { kind: 'exact'; origin: string }
  | { kind: 'wildcard'; pattern: string } // 'https://*.example.com' (Laravel, Flask-CORS)
  | { kind: 'regex'; source: string; flags: string; flavor: RegexFlavor }
  // A custom check the adapter could read (see OriginCheck); `description` is the code as written, for messages.
  | { kind: 'check'; test: OriginCheck; description: string }
  | { kind: 'predicate'; description: string } // custom check the adapter could not decide
  | { kind: 'none' } // origin: false → CORS off
) & { loc: Loc };

export type OriginEntryKind = OriginEntry['kind'];

export function describeEntry(e: OriginEntry): string {
  switch (e.kind) {
    case 'any':
      return "'*'";
    case 'reflect':
      return 'the request Origin';
    case 'exact':
      return `'${e.origin}'`;
    case 'wildcard':
      return `'${e.pattern}'`;
    case 'regex':
      return e.flavor === 'js' ? `/${e.source}/${e.flags}` : `'${e.source}'`;
    case 'check':
      return e.description;
    case 'predicate':
      return e.description;
    case 'none':
      return 'no origin (CORS off)';
  }
}
