import { expect } from 'vitest';
import type { CorsRequest, CorsResponse, Framework, Loc, OriginEntry, Policy } from '../../src/model/index.js';
import { headerValues, known } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';

/**
 * Hand-built policies of the JS middlewares (Express's cors, @fastify/cors,
 * @koa/cors) for the semantics tests: values at `L(line)` of app.js, the
 * call on line 1.
 */

export const L = (line: number): Loc => ({ file: 'app.js', line, column: 1, endLine: line, endColumn: 10 });
export const CALL = L(1);
export const EVIL = 'https://evil.example';
export const TRUSTED = 'https://app.example.com';

/** The policy of a middleware called with no options (`methods`: the package's default); `over` replaces fields. */
export function defaultPolicy(framework: Framework, methods: string[], over: Partial<Policy> = {}): Policy {
  return {
    framework,
    layer: 'app',
    scope: {},
    loc: CALL,
    origins: known<OriginEntry[]>([{ kind: 'any', loc: CALL }], CALL, true),
    originForm: 'single',
    credentials: known(false, CALL, true),
    methods: known(methods, CALL, true),
    allowHeaders: known<string[]>([], CALL, true),
    exposeHeaders: known<string[]>([], CALL, true),
    maxAge: known<number | null>(null, CALL, true),
    headers: [],
    unknownOptions: [],
    ...over,
  };
}

/** An origin entry without its location (distributes over the union). */
export type Bare = OriginEntry extends infer E ? (E extends OriginEntry ? Omit<E, 'loc'> : never) : never;

/** An `origin` option written on `line`. */
export const origin = (entries: Bare[], form: 'single' | 'list', line = 2) => ({
  origins: known(
    entries.map((e) => ({ ...e, loc: L(line) }) as OriginEntry),
    L(line),
  ),
  originForm: form,
});

/** The answer to a request from `o`, which must be known. */
export function answer(p: Policy, o: string, more: Partial<CorsRequest> = {}): Extract<CorsResponse, { known: true }> {
  const ev = evaluate(p, { origin: o, credentialed: false, preflight: false, ...more });
  expect(ev.response.known).toBe(true);
  return ev.response as Extract<CorsResponse, { known: true }>;
}

export const acao = (r: CorsResponse) => headerValues(r, 'access-control-allow-origin');
export const acac = (r: CorsResponse) => headerValues(r, 'access-control-allow-credentials');
export const varyOrigin = (r: CorsResponse) => headerValues(r, 'vary').includes('Origin');
