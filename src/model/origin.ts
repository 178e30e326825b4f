import type { Loc } from './loc.js';

/** Regex dialects differ in how they are applied to the Origin, which decides anchoring. */
export type RegexFlavor =
  | 'js' // RegExp.prototype.test: unanchored
  | 'python-match' // re.match: anchored at the start only
  | 'python-fullmatch' // re.fullmatch: anchored at both ends
  | 'pcre' // preg_match with the user's delimiters: unanchored
  | 'nginx'; // ~ / ~* in map or if: PCRE, unanchored

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
    case 'predicate':
      return e.description;
    case 'none':
      return 'no origin (CORS off)';
  }
}
