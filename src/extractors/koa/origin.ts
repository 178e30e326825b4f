import type * as ES from 'estree';
import type { Loc } from '../../model/index.js';
import { isIdent, locOf, memberName, unwrap } from '../express/ast.js';
import type { Outcome } from '../express/decide.js';
import type { Evaluator, Mode } from '../express/evaluate.js';
import type { ExecCtx } from '../express/paths.js';
import type { Func } from '../js-middleware/returns.js';
import { decideAnswers } from '../js-middleware/returns.js';
import type { OriginReading } from '../js-middleware/options.js';
import { originOfDecision, predicateOrigin } from '../js-middleware/origin-function.js';

/**
 * The request Origin in Koa: besides `ctx.get('Origin')` and
 * `ctx.headers.origin` (which the Express rules know), `ctx.header.origin`
 * and `ctx.request.header.origin`, where `header` is the headers object.
 * `ctx.origin` / `ctx.request.origin` are the server's own origin (protocol
 * and Host), never the request's Origin header.
 */
export function koaIsOrigin(f: Func): (e: ES.Expression) => boolean | undefined {
  const headersObject = (x: ES.Expression): boolean => {
    const o = unwrap(x);
    return o.type === 'MemberExpression' && (memberName(o) === 'header' || memberName(o) === 'headers');
  };
  return (e) => {
    const x = unwrap(e);
    if (x.type === 'MemberExpression') {
      const name = memberName(x);
      if (name === 'origin' && headersObject(x.object as ES.Expression)) return true;
      if (name === 'origin') return false;
      return undefined;
    }
    if (isIdent(x)) {
      // const { origin } = ctx.request.header
      const b = f.mod.scopes.bindingOf(x);
      const step = b?.path?.length === 1 ? b.path[0] : undefined;
      if (b && !b.reassigned && b.init && step && 'key' in step && step.key === 'origin' && headersObject(b.init)) return true;
    }
    return undefined;
  };
}

/**
 * What `origin(ctx)` returns decides the answer: a falsy value → no CORS
 * headers (only `Vary: Origin`), anything else is sent as
 * Access-Control-Allow-Origin. Returning the request's Origin on every path
 * is reflection; returning it only after a check against written values is
 * that allowlist; a fixed value is that value; anything else is a
 * `predicate`, never a guess.
 */
export function koaOriginFunction(ev: Evaluator, f: Func, mode: Mode): OriginReading {
  const fnLoc = locOf(f.fn, f.mod.file);
  const predicate = (description: string) => predicateOrigin(description, fnLoc);
  const r = decideAnswers(ev, f, mode, { onReturn: (e, ctx) => classifyReturn(e, ctx, fnLoc), isOrigin: koaIsOrigin(f) });
  if (!r) return predicate('an origin function with too many branches');
  return originOfDecision(r.decision, fnLoc, mode, (o) => {
    switch (o.k) {
      case 'accept':
        return { entries: [{ kind: 'reflect', loc: fnLoc }], form: 'list', fromFunction: fnLoc };
      case 'reject':
        return { entries: [{ kind: 'none', loc: fnLoc }], form: 'list', fromFunction: fnLoc };
      case 'fixed':
        // The same value for every request is the string option it stands for ('*' included).
        return { entries: [o.value === '*' ? { kind: 'any', loc: o.loc } : { kind: 'exact', origin: o.value, loc: o.loc }], form: 'single' };
      default:
        return predicate(o.k === 'unknown' ? `an origin function (${o.reason})` : 'an origin function');
    }
  });
}

function classifyReturn(e: ES.Expression | null, ctx: ExecCtx<Outcome>, fnLoc: Loc): Outcome {
  if (e === null) return { k: 'reject' };
  const x = ctx.resolveLocal(e);
  if (x === null) return { k: 'reject' };
  if (ctx.isOrigin(x)) return { k: 'accept', loc: fnLoc };
  switch (x.type) {
    case 'ConditionalExpression':
      return ctx.cond(x.test) ? classifyReturn(x.consequent, ctx, fnLoc) : classifyReturn(x.alternate, ctx, fnLoc);
    case 'LogicalExpression':
      // `ok && origin`: a falsy left side is returned, and a falsy origin means no CORS.
      if (x.operator === '&&') return ctx.cond(x.left) ? classifyReturn(x.right, ctx, fnLoc) : { k: 'reject' };
      if (x.operator === '||') return ctx.cond(x.left) ? classifyReturn(x.left, ctx, fnLoc) : classifyReturn(x.right, ctx, fnLoc);
      return { k: 'unknown', reason: '??' };
    case 'AwaitExpression':
      return { k: 'unknown', reason: 'an awaited value' };
    default:
      break;
  }
  const v = ctx.value(x);
  switch (v.t) {
    case 'str':
      return v.v === '' ? { k: 'reject' } : { k: 'fixed', value: v.v, loc: v.loc };
    case 'bool':
      // `return true` sends the literal `true` (Koa stringifies the value).
      return v.v ? { k: 'fixed', value: 'true', loc: v.loc } : { k: 'reject' };
    case 'num':
      return v.v === 0 || Number.isNaN(v.v) ? { k: 'reject' } : { k: 'fixed', value: String(v.v), loc: v.loc };
    case 'undef':
    case 'null':
      return { k: 'reject' };
    case 'regex':
      return { k: 'fixed', value: `/${v.source}/${v.flags}`, loc: v.loc };
    default:
      return { k: 'unknown', reason: v.t === 'unknown' ? v.reason : `returns ${v.t}` };
  }
}

/**
 * `credentials(ctx)`: true or false on every path is that; anything that
 * depends on the request is unknown (the model has one credentials value).
 * ACAC needs the result to be exactly `true`.
 */
export function koaCredentialsFunction(ev: Evaluator, f: Func): boolean | { unknown: string } {
  const fnLoc = locOf(f.fn, f.mod.file);
  const r = decideAnswers(ev, f, 'normal', {
    onReturn: (e, ctx) => {
      if (e === null) return { k: 'reject' };
      const v = ctx.value(e);
      if (v.t === 'bool') return v.v ? { k: 'accept', loc: fnLoc } : { k: 'reject' };
      if (v.t === 'undef' || v.t === 'null') return { k: 'reject' };
      return { k: 'unknown', reason: 'credentials decided per request' };
    },
    isOrigin: koaIsOrigin(f),
  });
  if (r?.decision.k === 'same') {
    const o = r.decision.outcome;
    if (o.k === 'accept') return true;
    if (o.k === 'reject') return false;
  }
  return { unknown: 'credentials decided per request' };
}
