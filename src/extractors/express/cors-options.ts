import type { Loc, OriginEntry, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { AV, Mode } from './evaluate.js';
import { truthy } from './evaluate.js';
import type { OriginReading } from '../js-middleware/options.js';
import { COMMON_ALIASES, entryOf, fallbackOf, listOf, readField, readOrigin, unknownKeys, varsOf } from '../js-middleware/options.js';
import type { OptionsPolicy } from '../js-middleware/parts.js';
import { defaultParts, unknownParts } from '../js-middleware/parts.js';

/** The options cors 2.8.x reads (lib/index.js); any other key is ignored by the package. */
export const CORS_OPTIONS = [
  'origin',
  'methods',
  'allowedHeaders',
  'headers',
  'exposedHeaders',
  'credentials',
  'maxAge',
  'preflightContinue',
  'optionsSuccessStatus',
] as const;

export const DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];

/** Names people write for cors options (other frameworks' spellings, singular/plural slips). */
const ALIASES: Record<string, string> = {
  ...COMMON_ALIASES,
  method: 'methods',
  allowmethods: 'methods',
  allowedmethods: 'methods',
  allowheaders: 'allowedHeaders',
  allowedheader: 'allowedHeaders',
  allowheader: 'allowedHeaders',
  exposeheaders: 'exposedHeaders',
  exposedheader: 'exposedHeaders',
  exposeheader: 'exposedHeaders',
  successstatus: 'optionsSuccessStatus',
};

export type OriginFnAnalyzer = (fn: Extract<AV, { t: 'func' }>, mode: Mode) => OriginReading;

/**
 * cors: `!origin` → CORS off; `'*'` → `*`; another string → sent as is;
 * anything else is matched per request (arrays per element, RegExp with
 * `.test`, other values by truthiness).
 */
export function originFromAV(v: AV, valueLoc: Loc, analyzeFn: OriginFnAnalyzer, mode: Mode = 'normal'): OriginReading {
  switch (v.t) {
    case 'str':
      if (v.v === '') return { entries: [{ kind: 'none', loc: valueLoc }], form: 'single' };
      if (v.v === '*') return { entries: [{ kind: 'any', loc: valueLoc }], form: 'single' };
      return { entries: [{ kind: 'exact', origin: v.v, loc: v.loc }], form: 'single' };
    case 'bool':
      return v.v ? { entries: [{ kind: 'reflect', loc: valueLoc }], form: 'list' } : { entries: [{ kind: 'none', loc: valueLoc }], form: 'single' };
    case 'undef':
    case 'null':
      return { entries: [{ kind: 'none', loc: valueLoc }], form: 'single' };
    case 'num':
      return v.v === 0 || Number.isNaN(v.v) ? { entries: [{ kind: 'none', loc: valueLoc }], form: 'single' } : { entries: [{ kind: 'reflect', loc: valueLoc }], form: 'list' };
    case 'regex':
      return { entries: [{ kind: 'regex', source: v.source, flags: v.flags, flavor: 'js', loc: v.loc }], form: 'list' };
    case 'array': {
      const entries: OriginEntry[] = [];
      const visit = (items: AV[]): { unknown: string; vars: string[] } | undefined => {
        for (const it of items) {
          switch (it.t) {
            case 'str':
              // '*' inside a list is an ordinary string compared with ===.
              if (it.v !== '') entries.push({ kind: 'exact', origin: it.v, loc: it.loc });
              break;
            case 'regex':
              entries.push({ kind: 'regex', source: it.source, flags: it.flags, flavor: 'js', loc: it.loc });
              break;
            case 'array': {
              const r = visit(it.items);
              if (r) return r;
              break;
            }
            case 'unknown':
              return { unknown: it.reason, vars: it.vars };
            default:
              if (truthy(it)) entries.push({ kind: 'reflect', loc: it.loc });
          }
        }
        return undefined;
      };
      const bad = visit(v.items);
      return bad ?? { entries, form: 'list' };
    }
    case 'func':
      return analyzeFn(v, mode);
    case 'unknown':
      return { unknown: v.reason, vars: v.vars };
    case 'object':
      // Any other truthy value: isOriginAllowed returns !!value.
      return { entries: [{ kind: 'reflect', loc: valueLoc }], form: 'list' };
    default:
      return { unknown: `origin ${v.t}`, vars: [] };
  }
}

/** The policy fields for options that are all defaults (`cors()`). */
export function defaultOptions(loc: Loc): OptionsPolicy {
  return defaultParts(loc, DEFAULT_METHODS);
}

/** Every field unknown: options that cannot be read (a parameter, an import from a package). */
export function unknownOptions(reason: string, loc: Loc): OptionsPolicy {
  return unknownParts(reason, loc);
}

/**
 * Read a cors options object. `opts` is the object as the code builds it;
 * `unset` is the same object with every environment variable unset, which
 * supplies the written fallbacks of unknown values.
 */
export function optionsPolicy(opts: AV, unset: AV | undefined, callLoc: Loc, analyzeFn: OriginFnAnalyzer): OptionsPolicy {
  const p = defaultOptions(callLoc);
  if (opts.t !== 'object') return p;

  // An option an unset variable leaves undefined gives no fallback, as for `origin`.
  const noFallback = (v: AV) => v.t === 'undef' || v.t === 'unknown';
  const field = <T>(key: string, conv: (v: AV) => T | undefined): Val<T> | undefined => readField(opts, unset, key, conv, key, noFallback);

  readOrigin(p, opts, unset, (v, loc, mode) => originFromAV(v, loc, analyzeFn, mode));

  // credentials: only `=== true` sends the header.
  const cred = field('credentials', (v) => (v.t === 'unknown' ? undefined : v.t === 'bool' ? v.v : false));
  if (cred) p.credentials = cred;

  const methods = field('methods', (v) => (v.t === 'undef' || v.t === 'null' ? undefined : listOf(v)));
  if (methods) p.methods = methods;

  // allowedHeaders || headers; neither → the request's Access-Control-Request-Headers is echoed.
  const ah = entryOf(opts, 'allowedHeaders');
  const hh = entryOf(opts, 'headers');
  const pick = [ah, hh];
  let decided = false;
  for (const e of pick) {
    if (!e) continue;
    if ('unknownSpread' in e) {
      p.allowHeaders = unknown(e.reason, e.loc, undefined, varsOf(e.vars));
      decided = true;
      break;
    }
    const t = truthy(e.value);
    if (t === false) continue;
    const list = t ? listOf(e.value) : undefined;
    if (list) p.allowHeaders = known(list, e.valueLoc);
    else {
      const fb = fallbackOf(unset, e === ah ? 'allowedHeaders' : 'headers', (v) => (truthy(v) ? listOf(v) : undefined), noFallback);
      p.allowHeaders = unknown(e.value.t === 'unknown' ? e.value.reason : 'allowedHeaders', e.valueLoc, fb, varsOf(e.value.t === 'unknown' ? e.value.vars : []));
    }
    decided = true;
    break;
  }
  if (!decided) {
    const written = (ah && !('unknownSpread' in ah) && ah) || (hh && !('unknownSpread' in hh) && hh);
    if (written) p.allowHeaders = known<string[]>([], written.valueLoc, true);
  }

  const expose = field('exposedHeaders', (v) => (v.t === 'unknown' ? undefined : truthy(v) ? listOf(v) : []));
  if (expose) p.exposeHeaders = expose;

  const maxAge = field('maxAge', (v): number | null | undefined => {
    if (v.t === 'num') return v.v;
    if (v.t === 'str') return v.v === '' ? null : Number.isFinite(Number(v.v)) ? Number(v.v) : undefined;
    if (v.t === 'undef' || v.t === 'null' || (v.t === 'bool' && !v.v)) return null;
    return undefined;
  });
  if (maxAge) p.maxAge = maxAge;

  const pc = field('preflightContinue', (v) => truthy(v));
  if (pc) p.extra.preflightContinue = pc;
  const oss = field('optionsSuccessStatus', (v) => (v.t === 'num' ? v.v : undefined));
  if (oss) p.extra.optionsSuccessStatus = oss;

  p.unknownOptions = unknownKeys(opts, CORS_OPTIONS, ALIASES);
  return p;
}
