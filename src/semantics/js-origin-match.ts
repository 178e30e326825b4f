import type { OriginEntry } from '../model/index.js';
import { matchEntry } from '../probes/match.js';
import { UnknownValueError } from './resolve.js';

/**
 * The first origin entry that accepts the request Origin, as Express's cors,
 * @fastify/cors and @koa/cors match a list (and what an origin function's
 * written checks accept): strings with ===, RegExp with .test, other values
 * by truthiness. `'*'` inside a list is a plain string compared with ===.
 * A predicate or a pattern that cannot be evaluated makes the answer unknown.
 */
export function firstMatch(entries: OriginEntry[], origin: string): OriginEntry | undefined {
  for (const e of entries) {
    if (e.kind === 'predicate') throw new UnknownValueError({ known: false, reason: e.description, loc: e.loc });
    if (e.kind === 'none') continue;
    const m = e.kind === 'any' ? origin === '*' : matchEntry(e, origin);
    if (m === undefined) throw new UnknownValueError({ known: false, reason: `cannot evaluate ${e.kind} origin`, loc: e.loc });
    if (m) return e;
  }
  return undefined;
}
