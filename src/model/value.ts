import type { Loc } from './loc.js';

/**
 * A configuration value together with where it was written, in the style of
 * defsec's typed values. An unknown value (an env lookup, a function argument,
 * an import from outside the repository) keeps the reason and, when the code
 * writes one, the fallback that applies when the variable is unset.
 */
export type Val<T> = Known<T> | Unknown<T>;

export interface Known<T> {
  known: true;
  value: T;
  loc: Loc;
  /** The framework default: the user did not write this value; `loc` is where it would go. */
  isDefault?: boolean;
}

export interface Unknown<T> {
  known: false;
  /** Human-readable, e.g. "process.env.CORS_ORIGIN". */
  reason: string;
  loc: Loc;
  /** The value written as the default, e.g. `env('X', 'd')` → 'd'. */
  fallback?: T;
  /** Name of the variable the fallback depends on, for messages ("when CORS_ORIGIN is unset"). */
  variable?: string;
  /**
   * The fallback is the framework default rather than a written value (what
   * `isDefault` says of a known value). Express `cors` options chosen by an
   * environment variable as a whole fall back to an object that may leave
   * `allowedHeaders` out, which means "echo the request's headers", not `[]`.
   */
  fallbackIsDefault?: boolean;
}

export function known<T>(value: T, loc: Loc, isDefault = false): Known<T> {
  return isDefault ? { known: true, value, loc, isDefault: true } : { known: true, value, loc };
}

export function unknown<T>(reason: string, loc: Loc, fallback?: T, variable?: string): Unknown<T> {
  const u: Unknown<T> = { known: false, reason, loc };
  if (fallback !== undefined) u.fallback = fallback;
  if (variable !== undefined) u.variable = variable;
  return u;
}

export function isKnown<T>(v: Val<T>): v is Known<T> {
  return v.known;
}
