import type * as ES from 'estree';
import type { Loc } from '../../model/index.js';
import type { Decision, Outcome } from '../express/decide.js';
import type { Mode } from '../express/evaluate.js';
import type { ExecCtx } from '../express/paths.js';
import { locKey } from './options.js';
import type { OriginReading, OriginValue } from './options.js';

/** An origin function corslint cannot reduce to written values: a predicate at the function. */
export function predicateOrigin(description: string, fnLoc: Loc): OriginValue {
  return { entries: [{ kind: 'predicate', description, loc: fnLoc }], form: 'list', fromFunction: fnLoc };
}

/**
 * What an origin function accepts, from the decision over its paths: the
 * same answer on every path is what `same` makes of it (that differs by
 * package); the request's Origin accepted only after checks against written
 * values is that allowlist; checks that depend on an environment variable
 * are unknown in the normal world; anything else is a predicate, never a guess.
 */
export function originOfDecision(d: Decision, fnLoc: Loc, mode: Mode, same: (o: Outcome) => OriginReading): OriginReading {
  if (d.k === 'same') return same(d.outcome);
  if (d.k === 'allowlist') return { entries: d.entries, form: 'list', fromFunction: fnLoc };
  if (d.vars.length && mode === 'normal') return { unknown: `origin check depends on ${d.vars.join(', ')}`, vars: d.vars };
  return predicateOrigin(d.description, fnLoc);
}

/**
 * The answer of a value an origin function calls back or resolves to
 * (Express cors, @fastify/cors): a truthy value accepts the request's
 * Origin, a falsy one rejects it, a string is sent as written; any other
 * value is matched as the option it stands for.
 */
export function answerOfValue(x: ES.Expression, ctx: ExecCtx<Outcome>, at: Loc): Outcome {
  const v = ctx.value(x);
  switch (v.t) {
    case 'bool':
      return v.v ? { k: 'accept', loc: at } : { k: 'reject' };
    case 'undef':
    case 'null':
      return { k: 'reject' };
    case 'str':
      return v.v === '' ? { k: 'reject' } : { k: 'fixed', value: v.v, loc: v.loc };
    case 'num':
      return v.v === 0 || Number.isNaN(v.v) ? { k: 'reject' } : { k: 'accept', loc: at };
    case 'unknown':
      // A boolean expression over the origin: `list.includes(origin)`, `origin && re.test(origin)`.
      return ctx.cond(x) ? { k: 'accept', loc: at } : { k: 'reject' };
    default:
      return { k: 'value', key: locKey(v.loc), av: v, loc: v.loc };
  }
}
