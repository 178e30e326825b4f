import type * as ES from 'estree';
import type { Decision, Outcome } from '../express/decide.js';
import { decide } from '../express/decide.js';
import type { AV, Evaluator, Mode } from '../express/evaluate.js';
import type { ExecCtx, Hooks, Path } from '../express/paths.js';
import { PathSet, runPaths } from '../express/paths.js';
import type { Binding } from '../express/scope.js';

export type Func = Extract<AV, { t: 'func' }>;

export interface AnswerHooks {
  /** What a `return` (null: `return;` / the end of the function) answers; omit for callback-only functions. */
  onReturn?(value: ES.Expression | null, ctx: ExecCtx<Outcome>): Outcome;
  /** A call that answers (the callback), or undefined when the call is not one. */
  onCall?(call: ES.CallExpression, ctx: ExecCtx<Outcome>): Outcome | undefined;
  escapes?(b: Binding): boolean;
  isOrigin?(e: ES.Expression): boolean | undefined;
}

/**
 * Every path through a function that answers per request (Koa's
 * `origin(ctx)`, an async Fastify origin function or options delegator),
 * through the Express extractor's symbolic execution, and the decision on
 * what it accepts (decide.ts). The first answer on a path counts: the
 * middleware acts on it. Undefined when there are too many paths.
 */
export function decideAnswers(ev: Evaluator, f: Func, mode: Mode, hooks: AnswerHooks, originParam?: Binding): { decision: Decision; set: PathSet<Outcome>; outcomeOf: (p: Path<Outcome>) => Outcome } | undefined {
  const h: Hooks<Outcome> = {
    onCall(call, ctx) {
      const o = hooks.onCall?.(call, ctx);
      if (!o) return false;
      ctx.emit(o);
      return true;
    },
  };
  if (hooks.escapes) h.escapes = hooks.escapes;
  if (hooks.isOrigin) h.isOrigin = hooks.isOrigin;
  const onReturn = hooks.onReturn;
  if (onReturn) h.onReturn = (value, ctx) => ctx.emit(onReturn(value, ctx));
  const paths = runPaths<Outcome>(ev, f.mod, f.fn, h, mode, originParam);
  if (!paths) return undefined;
  const set = new PathSet(paths);
  const outcomeOf = (p: Path<Outcome>): Outcome => (p.unknown ? { k: 'unknown', reason: p.unknown } : (p.events[0] ?? { k: 'unknown', reason: 'never answers' }));
  return { decision: decide(set, outcomeOf), set, outcomeOf };
}

/** The parameter at `index` when it is a plain name. */
export function paramBinding(f: Func, index: number): Binding | undefined {
  const p = f.fn.params[index];
  return p?.type === 'Identifier' ? f.mod.scopes.bindingOf(p) : undefined;
}
