import type * as ES from 'estree';
import type { Loc } from '../../model/index.js';
import { known } from '../../model/index.js';
import { isFunction, isIdent, locOf, unwrap } from '../express/ast.js';
import { analyzeOriginFunction, callbackAnswer } from '../express/cors-calls.js';
import type { Outcome } from '../express/decide.js';
import { decide } from '../express/decide.js';
import type { AV, Evaluator, Mode } from '../express/evaluate.js';
import { lookupKey, truthy } from '../express/evaluate.js';
import type { ExecCtx } from '../express/paths.js';
import type { OriginReading } from '../js-middleware/options.js';
import { locKey } from '../js-middleware/options.js';
import type { Func } from '../js-middleware/returns.js';
import { decideAnswers, paramBinding } from '../js-middleware/returns.js';
import type { OptionsPolicy } from '../js-middleware/parts.js';
import { chosenByVariable } from '../js-middleware/parts.js';
import { answerOfValue, originOfDecision, predicateOrigin } from '../js-middleware/origin-function.js';
import { fastifyDefaults, fastifyOptions, fastifyUnknown, hookOf } from './options.js';

/**
 * An `origin` function. @fastify/cors calls it as `origin(req.headers.origin, cb)`
 * and, when it returns a promise, calls back what the promise resolves to.
 * The callback form is Express cors's (cors-calls.ts decides it); an async
 * function is read through its `return`s, each standing for `cb(null, value)`.
 */
export function fastifyOriginFunction(ev: Evaluator, f: Func, mode: Mode): OriginReading {
  if (!f.fn.async) return analyzeOriginFunction(ev, f, mode);
  const fnLoc = locOf(f.fn, f.mod.file);
  const predicate = (description: string) => predicateOrigin(description, fnLoc);
  const classify = (e: ES.Expression | null, ctx: ExecCtx<Outcome>, at: Loc): Outcome => {
    if (e === null) return { k: 'reject' };
    const x = ctx.resolveLocal(e);
    if (x === null) return { k: 'reject' };
    if (ctx.isOrigin(x)) return { k: 'accept', loc: at };
    if (x.type === 'ConditionalExpression') return ctx.cond(x.test) ? classify(x.consequent, ctx, at) : classify(x.alternate, ctx, at);
    if (x.type === 'AwaitExpression') return { k: 'unknown', reason: 'an awaited value' };
    return answerOfValue(x, ctx, at);
  };
  const r = decideAnswers(ev, f, mode, { onReturn: (e, ctx) => classify(e, ctx, e ? locOf(e, f.mod.file) : fnLoc) }, paramBinding(f, 0));
  if (!r) return predicate('an origin function with too many branches');
  // The plugin has set Vary: Origin before the function answers: a rejection is the function's answer (fromFunction), not CORS off as in Express's cors.
  return originOfDecision(r.decision, fnLoc, mode, (o) => (o.k === 'reject' ? { entries: [{ kind: 'none', loc: fnLoc }], form: 'list', fromFunction: fnLoc } : callbackAnswer(o, fnLoc)));
}

const analyze = (ev: Evaluator) => (g: Func, mode: Mode) => fastifyOriginFunction(ev, g, mode);

/**
 * The second argument of `register(cors, opts)`: an options object, nothing
 * (the defaults), or a function. Fastify calls an options function with the
 * instance and uses what it returns; when that is itself a function,
 * @fastify/cors takes it as the options delegator (the README's
 * `register(cors, () => delegate)`).
 */
export function registerOptions(ev: Evaluator, av: AV, unset: () => AV, callLoc: Loc, argLoc: Loc): OptionsPolicy {
  if (av.t === 'func') {
    const ret = returnedValue(ev, av);
    if (!ret) return fastifyUnknown('an options function corslint cannot follow', argLoc);
    if (ret.value.t === 'func') return delegatorOptions(ev, ret.value, callLoc, undefined);
    if (ret.value.t === 'object') return objectOptions(ev, ret.value, () => ev.eval(ret.node, av.mod, 'unset'), callLoc);
    if (ret.value.t === 'undef' || ret.value.t === 'null') return fastifyDefaults(callLoc);
    return fastifyUnknown(ret.value.t === 'unknown' ? ret.value.reason : 'options function', argLoc);
  }
  if (av.t === 'object') return objectOptions(ev, av, unset, callLoc);
  if (av.t === 'undef' || av.t === 'null') return fastifyDefaults(callLoc);
  const reason = av.t === 'unknown' ? av.reason : `options ${av.t}`;
  if (av.t === 'unknown' && av.vars.length) {
    const u = unset();
    if (u.t === 'object') return chosenByVariable(fastifyOptions(u, u, callLoc, analyze(ev)), reason, av.vars.join('/'), argLoc, { extra: 'keep' });
  }
  return fastifyUnknown(reason, argLoc);
}

/** An options object; `{ delegator, ...rest }` hands every request to the delegator (only `hook` of the rest is read). */
function objectOptions(ev: Evaluator, obj: Extract<AV, { t: 'object' }>, unset: () => AV, callLoc: Loc): OptionsPolicy {
  const del = lookupKey(obj, 'delegator');
  if (del && !('unknownSpread' in del) && truthy(del.value) !== false) {
    if (del.value.t === 'func') return delegatorOptions(ev, del.value, callLoc, obj);
    return fastifyUnknown(del.value.t === 'unknown' ? del.value.reason : 'delegator', del.valueLoc);
  }
  return fastifyOptions(obj, unset(), callLoc, analyze(ev));
}

/**
 * An options delegator: `(req, cb) => cb(null, options)` (two parameters) or
 * a function returning a promise of the options. The same options on every
 * path are the policy; `{ origin: true }` for some request Origins and
 * `{ origin: false }` for the rest (the README pattern) is that allowlist.
 * Delegated options always send `Vary: Origin` (`dynamic`).
 */
function delegatorOptions(ev: Evaluator, f: Func, callLoc: Loc, rest: AV | undefined): OptionsPolicy {
  const fnLoc = locOf(f.fn, f.mod.file);
  const callbackForm = f.fn.params.length === 2;
  const cbB = callbackForm ? paramBinding(f, 1) : undefined;
  if (!callbackForm && !f.fn.async) return fastifyUnknown('an options delegator that must return a promise', fnLoc);
  if (callbackForm && !cbB) return fastifyUnknown('an options delegator whose callback corslint cannot follow', fnLoc);
  const nodes = new Map<string, ES.Expression>();
  const classify = (e: ES.Expression | null, ctx: ExecCtx<Outcome>): Outcome => {
    if (e === null) return { k: 'unknown', reason: 'no options' };
    const x = ctx.resolveLocal(e);
    if (x === null) return { k: 'unknown', reason: 'no options' };
    if (x.type === 'ConditionalExpression') return ctx.cond(x.test) ? classify(x.consequent, ctx) : classify(x.alternate, ctx);
    const v = ctx.value(x);
    if (v.t !== 'object') return { k: 'unknown', reason: v.t === 'unknown' ? v.reason : `options ${v.t}` };
    const key = locKey(v.loc);
    nodes.set(key, x);
    return { k: 'value', key, av: v, loc: v.loc };
  };
  const isCb = (call: ES.CallExpression) => {
    const c = call.callee.type === 'Super' ? undefined : unwrap(call.callee);
    return !!cbB && !!c && isIdent(c) && f.mod.scopes.bindingOf(c) === cbB;
  };
  const r = decideAnswers(
    ev,
    f,
    'normal',
    callbackForm
      ? {
          onCall(call, ctx) {
            if (!isCb(call)) return undefined;
            const err = call.arguments[0];
            const errV = err && err.type !== 'SpreadElement' ? truthy(ctx.value(err)) : false;
            // An error goes to Fastify's error handler: no CORS header at all.
            if (errV !== false) return { k: 'unknown', reason: 'the delegator calls back an error' };
            const a = call.arguments[1];
            return a && a.type !== 'SpreadElement' ? classify(a, ctx) : { k: 'unknown', reason: 'no options' };
          },
          escapes: (b) => b === cbB,
        }
      : { onReturn: classify },
  );
  if (!r) return fastifyUnknown('an options delegator with too many branches', fnLoc);
  const optionsFor = (o: Extract<Outcome, { k: 'value' }>): OptionsPolicy => {
    const node = nodes.get(o.key);
    const p = fastifyOptions(o.av, node ? ev.eval(node, f.mod, 'unset') : undefined, callLoc, analyze(ev));
    p.extra.dynamic = known(true, fnLoc);
    if (rest) {
      const hook = hookOf(rest);
      if (hook) p.extra.hook = hook;
      else delete p.extra.hook;
    } else delete p.extra.hook;
    return p;
  };
  const d = r.decision;
  if (d.k === 'same') {
    const o = d.outcome;
    if (o.k === 'value') return optionsFor(o);
    return fastifyUnknown(o.k === 'unknown' ? `options delegator (${o.reason})` : 'options delegator', fnLoc);
  }
  // Per-request options: `{ origin: true }` for some origins, `{ origin: false }` for the rest.
  const accepting = new Map<string, Extract<Outcome, { k: 'value' }>>();
  const mapped = (p: Parameters<typeof r.outcomeOf>[0]): Outcome => {
    const o = r.outcomeOf(p);
    if (o.k !== 'value' || o.av.t !== 'object') return o;
    const origin = lookupKey(o.av, 'origin');
    if (origin && !('unknownSpread' in origin)) {
      if (origin.value.t === 'bool' && !origin.value.v) return { k: 'reject' };
      if (origin.value.t === 'bool' || (origin.value.t === 'num' && origin.value.v !== 0)) {
        accepting.set(o.key, o);
        return { k: 'accept', loc: origin.valueLoc };
      }
    }
    return { k: 'unknown', reason: 'options chosen per request' };
  };
  const d2 = decide(r.set, mapped);
  const only = accepting.size === 1 ? [...accepting.values()][0] : undefined;
  if (!only || d2.k === 'same') return fastifyUnknown('options chosen per request', fnLoc);
  const p = optionsFor(only);
  p.origins = known(d2.k === 'allowlist' ? d2.entries : [{ kind: 'predicate', description: d2.description, loc: fnLoc }], fnLoc);
  p.originForm = 'list';
  p.extra.originFunction = known(true, fnLoc);
  return p;
}

/** What a function returns when that is one expression: an arrow's body, or a block whose only `return` is its last statement. */
function returnedValue(ev: Evaluator, f: Func): { value: AV; node: ES.Expression } | undefined {
  const body = f.fn.body;
  if (body.type !== 'BlockStatement') return { value: ev.eval(body, f.mod, 'normal'), node: body };
  const last = body.body[body.body.length - 1];
  if (last?.type !== 'ReturnStatement' || !last.argument) return undefined;
  let returns = 0;
  const count = (n: ES.Node): void => {
    if (n.type === 'ReturnStatement') returns++;
    if (isFunction(n) && n !== f.fn) return;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'loc' || k === 'range' || k === 'parent') continue;
      if (Array.isArray(v)) for (const c of v) if (c && typeof c === 'object' && 'type' in c) count(c as ES.Node);
      if (v && typeof v === 'object' && !Array.isArray(v) && 'type' in v) count(v as ES.Node);
    }
  };
  count(body);
  if (returns !== 1) return undefined;
  return { value: ev.eval(last.argument, f.mod, 'normal'), node: last.argument };
}
