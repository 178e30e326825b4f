import type { CorsRequest, CorsResponse, Evaluation, Policy, Unknown, Val } from '../model/index.js';

/** Thrown while answering when the answer depends on a value nobody wrote down. */
export class UnknownValueError extends Error {
  constructor(readonly val: Unknown<unknown>) {
    super(val.reason);
  }
}

/**
 * Reads policy values for one evaluation. In the `written` world only known
 * values are read; in the `fallback` world an unknown value with a written
 * fallback reads as that fallback, and the assumption is recorded so messages
 * can say "when CORS_ORIGIN is unset".
 */
export class Resolver {
  readonly assumptions: string[] = [];
  constructor(readonly world: 'written' | 'fallback') {}

  get<T>(val: Val<T>): T {
    if (val.known) return val.value;
    if (this.world === 'fallback' && val.fallback !== undefined) {
      const what = val.variable ? `when ${val.variable} is unset` : `when ${val.reason} falls back to its default`;
      if (!this.assumptions.includes(what)) this.assumptions.push(what);
      return val.fallback;
    }
    throw new UnknownValueError(val as Unknown<unknown>);
  }

  /**
   * The framework default applies to `val`: nothing was written, or (in the
   * fallback world) the branch taken when the variable is unset leaves it at
   * the default, as in `cors(process.env.X ? strict : {})`.
   */
  isDefault(val: Val<unknown>): boolean {
    if (val.known) return val.isDefault === true;
    if (!val.fallbackIsDefault) return false;
    this.get(val);
    return true;
  }
}

export type AnswerFn = (policy: Policy, request: CorsRequest, r: Resolver) => CorsResponse;

export function evaluateWith(answer: AnswerFn | undefined, policy: Policy, request: CorsRequest): Evaluation {
  if (!answer) {
    return { response: { known: false, reason: `no semantics for ${policy.framework}`, loc: policy.loc }, world: 'written' };
  }
  let firstUnknown: Unknown<unknown> | undefined;
  for (const world of ['written', 'fallback'] as const) {
    const r = new Resolver(world);
    try {
      const response = answer(policy, request, r);
      const ev: Evaluation = { response, world };
      if (r.assumptions.length) ev.assumption = r.assumptions.join(' and ');
      return ev;
    } catch (e) {
      if (!(e instanceof UnknownValueError)) throw e;
      firstUnknown ??= e.val;
    }
  }
  const u = firstUnknown!;
  return { response: { known: false, reason: u.reason, loc: u.loc }, world: 'written' };
}
