import type { CorsRequest, Evaluation, Framework, Policy } from '../model/index.js';
import { answerDjango } from './django.js';
import { answerExpress } from './express.js';
import { answerFastify } from './fastify.js';
import { answerFlask } from './flask.js';
import { answerKoa } from './koa.js';
import { answerLaravel } from './laravel.js';
import { answerManualHeaders } from './manual-headers.js';
import { answerNginx } from './nginx.js';
import { answerStarlette } from './starlette.js';
import type { AnswerFn } from './resolve.js';
import { evaluateWith } from './resolve.js';

/** What each framework's middleware really sends (SEMANTICS.md, docs/semantics.md). */
const answers: Partial<Record<Framework, AnswerFn>> = {
  express: answerExpress,
  nestjs: answerExpress,
  fastify: answerFastify,
  koa: answerKoa,
  'manual-headers': answerManualHeaders,
  laravel: answerLaravel,
  django: answerDjango,
  nginx: answerNginx,
  starlette: answerStarlette,
  flask: answerFlask,
};


export function evaluate(policy: Policy, request: CorsRequest): Evaluation {
  return evaluateWith(answers[policy.framework], policy, request);
}

export { Resolver, UnknownValueError, evaluateWith } from './resolve.js';
export type { AnswerFn } from './resolve.js';
