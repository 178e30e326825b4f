import type { Loc, OriginEntry, OriginForm, Policy, UnknownOption, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { AV, Mode, PropEntry, UnknownSpread } from './evaluate.js';
import { lookupKey, truthy } from './evaluate.js';
import { editDistance as distance } from '../../util/edit-distance.js';

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
  origins: 'origin',
  allowedorigins: 'origin',
  allowedorigin: 'origin',
  alloworigin: 'origin',
  alloworigins: 'origin',
  whitelist: 'origin',
  allowlist: 'origin',
  credential: 'credentials',
  allowcredentials: 'credentials',
  supportscredentials: 'credentials',
  withcredentials: 'credentials',
  method: 'methods',
  allowmethods: 'methods',
  allowedmethods: 'methods',
  allowheaders: 'allowedHeaders',
  allowedheader: 'allowedHeaders',
  allowheader: 'allowedHeaders',
  exposeheaders: 'exposedHeaders',
  exposedheader: 'exposedHeaders',
  exposeheader: 'exposedHeaders',
  maxage: 'maxAge',
  max_age: 'maxAge',
  preflightmaxage: 'maxAge',
  successstatus: 'optionsSuccessStatus',
};

export function suggestOption(key: string): string | undefined {
  const lower = key.toLowerCase();
  const alias = ALIASES[lower] ?? ALIASES[lower.replace(/[_-]/g, '')];
  if (alias) return alias;
  let best: string | undefined;
  let bestD = 3;
  for (const k of CORS_OPTIONS) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}


/** An `origin` value as cors reads it: entries plus how it is applied. */
export interface OriginValue {
  entries: OriginEntry[];
  form: OriginForm;
  /** Decided by an origin function: a rejected origin gets no CORS headers at all. */
  fromFunction?: Loc;
}

export type OriginFnAnalyzer = (fn: Extract<AV, { t: 'func' }>, mode: Mode) => OriginValue | { unknown: string; vars: string[] };

/**
 * cors: `!origin` → CORS off; `'*'` → `*`; another string → sent as is;
 * anything else is matched per request (arrays per element, RegExp with
 * `.test`, other values by truthiness).
 */
export function originFromAV(v: AV, valueLoc: Loc, analyzeFn: OriginFnAnalyzer, mode: Mode = 'normal'): OriginValue | { unknown: string; vars: string[] } {
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

export interface OptionsPolicy {
  origins: Val<OriginEntry[]>;
  originForm: OriginForm;
  credentials: Val<boolean>;
  methods: Val<string[]>;
  allowHeaders: Val<string[]>;
  exposeHeaders: Val<string[]>;
  maxAge: Val<number | null>;
  unknownOptions: UnknownOption[];
  extra: NonNullable<Policy['extra']>;
}

type Entry = PropEntry | UnknownSpread | undefined;

function entryOf(obj: AV | undefined, key: string): Entry {
  return obj?.t === 'object' ? lookupKey(obj, key) : undefined;
}

/** The policy fields for options that are all defaults (`cors()`). */
export function defaultOptions(loc: Loc): OptionsPolicy {
  return {
    origins: known<OriginEntry[]>([{ kind: 'any', loc }], loc, true),
    originForm: 'single',
    credentials: known(false, loc, true),
    methods: known(DEFAULT_METHODS, loc, true),
    allowHeaders: known<string[]>([], loc, true),
    exposeHeaders: known<string[]>([], loc, true),
    maxAge: known<number | null>(null, loc, true),
    unknownOptions: [],
    extra: {},
  };
}

/** Every field unknown: options that cannot be read (a parameter, an import from a package). */
export function unknownOptions(reason: string, loc: Loc): OptionsPolicy {
  return {
    origins: unknown(reason, loc),
    originForm: 'list',
    credentials: unknown(reason, loc),
    methods: unknown(reason, loc),
    allowHeaders: unknown(reason, loc),
    exposeHeaders: unknown(reason, loc),
    maxAge: unknown(reason, loc),
    unknownOptions: [],
    extra: {},
  };
}

function listOf(v: AV): string[] | undefined {
  if (v.t === 'str') return v.v === '' ? [] : v.v.split(',');
  if (v.t === 'array') {
    const out: string[] = [];
    for (const i of v.items) {
      if (i.t === 'str' || i.t === 'num' || i.t === 'bool') out.push(String(i.v));
      else if (i.t === 'undef' || i.t === 'null') out.push('');
      else return undefined;
    }
    return out.join(',') === '' ? [] : out;
  }
  return undefined;
}

/**
 * Read a cors options object. `opts` is the object as the code builds it;
 * `unset` is the same object with every environment variable unset, which
 * supplies the written fallbacks of unknown values.
 */
export function optionsPolicy(opts: AV, unset: AV | undefined, callLoc: Loc, analyzeFn: OriginFnAnalyzer): OptionsPolicy {
  const p = defaultOptions(callLoc);
  if (opts.t !== 'object') return p;

  const field = <T>(key: string, conv: (v: AV) => T | undefined, what: string): Val<T> | undefined => {
    const e = entryOf(opts, key);
    if (!e) return undefined;
    if ('unknownSpread' in e) return unknown<T>(e.reason, e.loc, fallbackOf(key, conv), vars(e.vars));
    const v = conv(e.value);
    if (v !== undefined) return known(v, e.valueLoc);
    const reason = e.value.t === 'unknown' ? e.value.reason : `${what} cannot be read`;
    return unknown<T>(reason, e.valueLoc, fallbackOf(key, conv), vars(e.value.t === 'unknown' ? e.value.vars : []));
  };
  const fallbackOf = <T>(key: string, conv: (v: AV) => T | undefined): T | undefined => {
    const e = entryOf(unset, key);
    if (!e || 'unknownSpread' in e || e.value.t === 'undef') return undefined;
    return conv(e.value);
  };

  // origin
  const oe = entryOf(opts, 'origin');
  if (oe) {
    if ('unknownSpread' in oe) {
      p.origins = unknown(oe.reason, oe.loc, undefined, vars(oe.vars));
      p.originForm = 'list';
    } else {
      const ov = originFromAV(oe.value, oe.valueLoc, analyzeFn);
      if ('unknown' in ov) {
        const ue = entryOf(unset, 'origin');
        // An env origin that is unset leaves `origin: undefined`: no CORS at all, which is no fallback to speak of.
        const fb = ue && !('unknownSpread' in ue) && ue.value.t !== 'undef' ? originFromAV(ue.value, ue.valueLoc, analyzeFn, 'unset') : undefined;
        if (fb && !('unknown' in fb)) {
          p.origins = unknown(ov.unknown, oe.valueLoc, fb.entries, vars(ov.vars));
          p.originForm = fb.form;
          if (fb.fromFunction) p.extra.originFunction = known(true, fb.fromFunction);
        } else {
          p.origins = unknown(ov.unknown, oe.valueLoc, undefined, vars(ov.vars));
          p.originForm = ov.vars.length ? 'single' : 'list';
        }
      } else {
        p.origins = known(ov.entries, oe.valueLoc);
        p.originForm = ov.form;
        if (ov.fromFunction) p.extra.originFunction = known(true, ov.fromFunction);
      }
    }
  }

  // credentials: only `=== true` sends the header.
  const cred = field('credentials', (v) => (v.t === 'unknown' ? undefined : v.t === 'bool' ? v.v : false), 'credentials');
  if (cred) p.credentials = cred;

  const methods = field(
    'methods',
    (v) => {
      if (v.t === 'undef' || v.t === 'null') return undefined;
      return listOf(v);
    },
    'methods',
  );
  if (methods) p.methods = methods;

  // allowedHeaders || headers; neither → the request's Access-Control-Request-Headers is echoed.
  const ah = entryOf(opts, 'allowedHeaders');
  const hh = entryOf(opts, 'headers');
  const pick = [ah, hh];
  let decided = false;
  for (const e of pick) {
    if (!e) continue;
    if ('unknownSpread' in e) {
      p.allowHeaders = unknown(e.reason, e.loc, undefined, vars(e.vars));
      decided = true;
      break;
    }
    const t = truthy(e.value);
    if (t === false) continue;
    const list = t ? listOf(e.value) : undefined;
    if (list) p.allowHeaders = known(list, e.valueLoc);
    else {
      const fb = fallbackOf(e === ah ? 'allowedHeaders' : 'headers', (v) => (truthy(v) ? listOf(v) : undefined));
      p.allowHeaders = unknown(e.value.t === 'unknown' ? e.value.reason : 'allowedHeaders', e.valueLoc, fb, vars(e.value.t === 'unknown' ? e.value.vars : []));
    }
    decided = true;
    break;
  }
  if (!decided) {
    const written = (ah && !('unknownSpread' in ah) && ah) || (hh && !('unknownSpread' in hh) && hh);
    if (written) p.allowHeaders = known<string[]>([], written.valueLoc, true);
  }

  const expose = field('exposedHeaders', (v) => (v.t === 'unknown' ? undefined : truthy(v) ? listOf(v) : []), 'exposedHeaders');
  if (expose) p.exposeHeaders = expose;

  const maxAge = field(
    'maxAge',
    (v): number | null | undefined => {
      if (v.t === 'num') return v.v;
      if (v.t === 'str') return v.v === '' ? null : Number.isFinite(Number(v.v)) ? Number(v.v) : undefined;
      if (v.t === 'undef' || v.t === 'null' || (v.t === 'bool' && !v.v)) return null;
      return undefined;
    },
    'maxAge',
  );
  if (maxAge) p.maxAge = maxAge;

  const pc = field('preflightContinue', (v) => truthy(v), 'preflightContinue');
  if (pc) p.extra.preflightContinue = pc;
  const oss = field('optionsSuccessStatus', (v) => (v.t === 'num' ? v.v : undefined), 'optionsSuccessStatus');
  if (oss) p.extra.optionsSuccessStatus = oss;

  const seen = new Map<string, UnknownOption>();
  for (const e of opts.entries) {
    if ('unknownSpread' in e || (CORS_OPTIONS as readonly string[]).includes(e.key)) continue;
    const u: UnknownOption = { key: e.key, loc: e.keyLoc };
    const s = suggestOption(e.key);
    if (s) u.suggestion = s;
    seen.set(e.key, u);
  }
  p.unknownOptions = [...seen.values()];
  return p;
}

function vars(v: string[]): string | undefined {
  return v.length ? v.join('/') : undefined;
}
