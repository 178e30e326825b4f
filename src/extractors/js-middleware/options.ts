import type { Loc, UnknownOption, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import { editDistance } from '../../util/edit-distance.js';
import type { AV, PropEntry, UnknownSpread } from '../express/evaluate.js';
import { lookupKey } from '../express/evaluate.js';

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
 * when the key is not written (the caller keeps the default).
 */
export function readField<T>(opts: AV, unset: AV | undefined, key: string, conv: (v: AV) => T | undefined, what = key): Val<T> | undefined {
  const e = entryOf(opts, key);
  if (!e) return undefined;
  const fallback = (): T | undefined => {
    const u = entryOf(unset, key);
    if (!u || 'unknownSpread' in u || u.value.t === 'unknown') return undefined;
    return conv(u.value);
  };
  if ('unknownSpread' in e) return unknown<T>(e.reason, e.loc, fallback(), varsOf(e.vars));
  const v = conv(e.value);
  if (v !== undefined) return known(v, e.valueLoc);
  const reason = e.value.t === 'unknown' ? e.value.reason : `${what} cannot be read`;
  return unknown<T>(reason, e.valueLoc, fallback(), varsOf(e.value.t === 'unknown' ? e.value.vars : []));
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
