import type { Loc, OriginEntry, OriginForm, UnknownOption, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import { editDistance } from '../../util/edit-distance.js';
import type { AV, Mode, PropEntry, UnknownSpread } from '../express/evaluate.js';
import { lookupKey } from '../express/evaluate.js';
import type { OptionsPolicy } from './parts.js';

/**
 * Reading a middleware's options object (as the Express evaluator builds it)
 * key by key: each value with where it is written, an environment-dependent
 * value as unknown with the value it takes when every variable is unset
 * (`unset`, the same object evaluated in that world) as its fallback.
 */

export type Entry = PropEntry | UnknownSpread | undefined;

export function entryOf(obj: AV | undefined, key: string): Entry {
  return obj?.t === 'object' ? lookupKey(obj, key) : undefined;
}

export function varsOf(v: string[]): string | undefined {
  return v.length ? v.join('/') : undefined;
}

/**
 * The option `key` through `conv` (undefined: cannot be read). Undefined
 * when the key is not written (the caller keeps the default). An unset-world
 * value for which `noFallback` holds gives an unknown value no fallback.
 */
export function readField<T>(opts: AV, unset: AV | undefined, key: string, conv: (v: AV) => T | undefined, what = key, noFallback: (v: AV) => boolean = (v) => v.t === 'unknown'): Val<T> | undefined {
  const e = entryOf(opts, key);
  if (!e) return undefined;
  const fallback = () => fallbackOf(unset, key, conv, noFallback);
  if ('unknownSpread' in e) return unknown<T>(e.reason, e.loc, fallback(), varsOf(e.vars));
  const v = conv(e.value);
  if (v !== undefined) return known(v, e.valueLoc);
  const reason = e.value.t === 'unknown' ? e.value.reason : `${what} cannot be read`;
  return unknown<T>(reason, e.valueLoc, fallback(), varsOf(e.value.t === 'unknown' ? e.value.vars : []));
}

/** The option `key` in the world where every environment variable is unset, through `conv`. */
export function fallbackOf<T>(unset: AV | undefined, key: string, conv: (v: AV) => T | undefined, noFallback: (v: AV) => boolean = (v) => v.t === 'unknown'): T | undefined {
  const u = entryOf(unset, key);
  if (!u || 'unknownSpread' in u || noFallback(u.value)) return undefined;
  return conv(u.value);
}

/** An `origin` value as a middleware reads it: entries plus how it is applied. */
export interface OriginValue {
  entries: OriginEntry[];
  form: OriginForm;
  /** Decided by an origin function: a rejected origin gets no CORS headers at all. */
  fromFunction?: Loc;
}

/** An `origin` value read, or unknown with the variables it depends on. */
export type OriginReading = OriginValue | { unknown: string; vars: string[] };

/**
 * Read the `origin` option into `p` through `read`; an unknown value takes
 * the unset world's reading as its fallback. Returns the reading the
 * entries come from (none when there is no fallback), for what a framework
 * derives from it besides the entries.
 */
export function readOrigin<R extends OriginReading>(p: OptionsPolicy, opts: AV, unset: AV | undefined, read: (v: AV, valueLoc: Loc, mode: Mode) => R): Extract<R, OriginValue> | undefined {
  const oe = entryOf(opts, 'origin');
  if (!oe) return undefined;
  if ('unknownSpread' in oe) {
    p.origins = unknown(oe.reason, oe.loc, undefined, varsOf(oe.vars));
    p.originForm = 'list';
    return undefined;
  }
  const ov: OriginReading = read(oe.value, oe.valueLoc, 'normal');
  let from: OriginValue;
  if ('unknown' in ov) {
    const ue = entryOf(unset, 'origin');
    // Unset, `origin: process.env.X` is undefined: no CORS at all in Express's cors, every request failing in @fastify/cors — no fallback to speak of.
    const fb: OriginReading | undefined = ue && !('unknownSpread' in ue) && ue.value.t !== 'undef' ? read(ue.value, ue.valueLoc, 'unset') : undefined;
    if (!fb || 'unknown' in fb) {
      p.origins = unknown(ov.unknown, oe.valueLoc, undefined, varsOf(ov.vars));
      p.originForm = ov.vars.length ? 'single' : 'list';
      return undefined;
    }
    p.origins = unknown(ov.unknown, oe.valueLoc, fb.entries, varsOf(ov.vars));
    from = fb;
  } else {
    p.origins = known(ov.entries, oe.valueLoc);
    from = ov;
  }
  p.originForm = from.form;
  if (from.fromFunction) p.extra.originFunction = known(true, from.fromFunction);
  return from as Extract<R, OriginValue>;
}

/** A list option written as `'a,b'` or `['a', 'b']`; `''`/`[]` is empty. */
export function listOf(v: AV): string[] | undefined {
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
 * Other spellings of the options that Express's cors, @fastify/cors and
 * @koa/cors all name `origin`, `credentials` and `maxAge` (the keys are
 * lower-cased, without `_`/`-`); each package adds its own for the rest.
 */
export const COMMON_ALIASES: Readonly<Record<string, string>> = {
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
  maxage: 'maxAge',
  preflightmaxage: 'maxAge',
};

/**
 * Keys the middleware does not read, each at its key with the option the
 * user probably meant: a spelling of another framework (`aliases`, keyed by
 * the lower-cased name without `_`/`-`), else a known option within edit
 * distance 2.
 */
export function unknownKeys(opts: AV, knownKeys: readonly string[], aliases: Record<string, string>): UnknownOption[] {
  if (opts.t !== 'object') return [];
  const seen = new Map<string, UnknownOption>();
  for (const e of opts.entries) {
    if ('unknownSpread' in e || knownKeys.includes(e.key)) continue;
    const u: UnknownOption = { key: e.key, loc: e.keyLoc };
    const s = suggest(e.key, knownKeys, aliases);
    if (s) u.suggestion = s;
    seen.set(e.key, u);
  }
  return [...seen.values()];
}

export function suggest(key: string, knownKeys: readonly string[], aliases: Record<string, string>): string | undefined {
  const lower = key.toLowerCase();
  const alias = aliases[lower.replace(/[_-]/g, '')];
  if (alias) return alias;
  let best: string | undefined;
  let bestD = 3;
  for (const k of knownKeys) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/** A number option (`maxAge: 600`, `'600'`); null for the values that mean "not sent". */
export function numberOf(v: AV, nullish: (v: AV) => boolean): number | null | undefined {
  if (nullish(v)) return null;
  if (v.t === 'num') return v.v;
  if (v.t === 'str' && v.v.trim() !== '' && Number.isFinite(Number(v.v))) return Number(v.v);
  return undefined;
}

export function locKey(l: Loc): string {
  return `${l.file}:${l.line}:${l.column}`;
}
