import type { Evaluation, Policy, RelatedLocation, ResponseHeader, RuleContext } from '../model/index.js';
import { header, relatedAt } from '../model/index.js';

/** The parts of an answer the origin rules look at. */
export interface OriginAnswer {
  evaluation: Evaluation;
  /** The first Access-Control-Allow-Origin the server sends, with the config that caused it. */
  acao?: ResponseHeader;
  /** Access-Control-Allow-Credentials: true is sent. */
  credentials: boolean;
  credentialsHeader?: ResponseHeader;
}

/**
 * What `policy` answers to an actual (non-preflight) request from `origin`.
 * A credentialed request carries cookies, which matters to Starlette.
 */
export function answerTo(ctx: RuleContext, policy: Policy, origin: string, credentialed: boolean): OriginAnswer | undefined {
  const evaluation = ctx.evaluate(policy, { origin, credentialed, preflight: false, cookie: credentialed, method: 'GET' });
  if (!evaluation.response.known) return undefined;
  const acac = header(evaluation.response, 'access-control-allow-credentials');
  const out: OriginAnswer = { evaluation, credentials: acac?.value.trim().toLowerCase() === 'true' };
  const acao = header(evaluation.response, 'access-control-allow-origin');
  if (acao) out.acao = acao;
  if (acac) out.credentialsHeader = acac;
  return out;
}

/** The Access-Control-Allow-Credentials value as a related location, when it is written apart from the origin the finding is at. */
export function credentialsRelated(a: OriginAnswer): RelatedLocation[] {
  const at = a.credentialsHeader?.loc;
  return at && at !== a.acao?.loc ? [relatedAt(at, 'credentials enabled here')] : [];
}

/** " (when CORS_ORIGIN is unset)" or "". */
export function assumptionSuffix(ev: Evaluation): string {
  return ev.assumption ? ` (${ev.assumption})` : '';
}
