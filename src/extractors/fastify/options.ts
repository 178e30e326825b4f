import type { Loc, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { OriginFnAnalyzer } from '../express/cors-options.js';
import { originFromAV } from '../express/cors-options.js';
import type { AV, Mode } from '../express/evaluate.js';
import { truthy } from '../express/evaluate.js';
import type { OriginReading, OriginValue } from '../js-middleware/options.js';
import { COMMON_ALIASES, entryOf, listOf, numberOf, readField, readOrigin, unknownKeys, varsOf } from '../js-middleware/options.js';
import type { OptionsPolicy } from '../js-middleware/parts.js';
import { defaultParts, unknownParts } from '../js-middleware/parts.js';

/** What @fastify/cors 11 reads (index.js `defaultOptions`, types), plus the options Fastify's `register` takes for itself. */
export const FASTIFY_CORS_OPTIONS = [
  'origin',
  'methods',
  'allowedHeaders',
  'exposedHeaders',
  'credentials',
  'maxAge',
  'preflightContinue',
  'optionsSuccessStatus',
  'preflight',
  'strictPreflight',
  'hook',
  'delegator',
  'cacheControl',
  'hideOptionsRoute',
  'logLevel',
] as const;

const REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers'];
const KNOWN_KEYS: readonly string[] = [...FASTIFY_CORS_OPTIONS, ...REGISTER_OPTIONS];

/** The newest default (v11: the CORS-safelisted methods); the semantics use the older list for a project on @fastify/cors < 11. */
export const FASTIFY_DEFAULT_METHODS = ['GET', 'HEAD', 'POST'];

export const VALID_HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization'];

/** Spellings of other CORS packages (Express's `headers`, Koa's `allowMethods`, Django's names). */
const ALIASES: Record<string, string> = {
  ...COMMON_ALIASES,
  method: 'methods',
  allowmethods: 'methods',
  allowedmethods: 'methods',
  headers: 'allowedHeaders',
  allowheaders: 'allowedHeaders',
  allowedheader: 'allowedHeaders',
  allowheader: 'allowedHeaders',
  exposeheaders: 'exposedHeaders',
  exposedheader: 'exposedHeaders',
  exposeheader: 'exposedHeaders',
  successstatus: 'optionsSuccessStatus',
};

/** The policy fields of `register(cors)` with no options. `loc` is the register call. */
export function fastifyDefaults(loc: Loc): OptionsPolicy {
  return defaultParts(loc, FASTIFY_DEFAULT_METHODS);
}

export function fastifyUnknown(reason: string, loc: Loc): OptionsPolicy {
  return unknownParts(reason, loc);
}

/**
 * @fastify/cors reads `origin` like Express's cors (string sent as is, `'*'`,
 * arrays, RegExp, booleans, functions) except: `false` turns CORS off, and
 * any other falsy value (`undefined` from an unset variable, `''`, `null`,
 * `0`) makes every request fail with "Invalid CORS origin option" (`error`).
 */
function originOf(v: AV, valueLoc: Loc, analyzeFn: OriginFnAnalyzer, mode: Mode): OriginReading | (OriginValue & { error?: string }) {
  if (v.t === 'bool' && !v.v) return { entries: [{ kind: 'none', loc: valueLoc }], form: 'single' };
  // `error` is the value's typeof: a string option (even '') gets no Vary: Origin, the others do.
  if (v.t !== 'unknown' && v.t !== 'func' && truthy(v) === false) {
    return { entries: [{ kind: 'none', loc: valueLoc }], form: 'single', error: v.t === 'str' ? 'string' : v.t === 'num' ? 'number' : v.t === 'null' ? 'object' : 'undefined' };
  }
  return originFromAV(v, valueLoc, analyzeFn, mode);
}

/**
 * Read `register(cors, opts)`'s options object. `unset` is the same object
 * with every environment variable unset (the written fallbacks); `callLoc`
 * is where defaults are reported.
 */
export function fastifyOptions(opts: AV, unset: AV | undefined, callLoc: Loc, analyzeFn: OriginFnAnalyzer): OptionsPolicy {
  const p = fastifyDefaults(callLoc);
  if (opts.t !== 'object') return p;

  const oe = entryOf(opts, 'origin');
  // A function origin sends Vary: Origin whatever it calls back.
  if (oe && !('unknownSpread' in oe) && oe.value.t === 'func') p.extra.originIsFunction = known(true, oe.valueLoc);
  const from = readOrigin(p, opts, unset, (v, loc, mode) => originOf(v, loc, analyzeFn, mode));
  if (from && 'error' in from && from.error) {
    const o = p.origins;
    p.extra.originError = o.known ? known(from.error, o.loc) : unknown(o.reason, o.loc, from.error, o.variable);
  }

  // `if (corsOptions.credentials)`: any truthy value sends the header.
  const cred = readField(opts, unset, 'credentials', (v) => truthy(v));
  if (cred) p.credentials = cred;

  // Lists are sent as written; an array is joined with ', ' (`Array.isArray(x) ? x.join(', ') : x`).
  const list = (key: string, nullMeans: 'default' | 'unknown') =>
    readField(opts, unset, key, (v): string[] | undefined => {
      if (v.t === 'undef') return []; // `reply.header(name, undefined)` sends an empty value
      if (v.t === 'null') return nullMeans === 'default' ? [] : undefined;
      return listOf(v);
    });
  const isNull = (key: string) => {
    const e = entryOf(opts, key);
    return !!e && !('unknownSpread' in e) && e.value.t === 'null';
  };
  const methods = list('methods', 'unknown');
  if (methods) p.methods = methods;
  const allow = list('allowedHeaders', 'default');
  // `allowedHeaders: null` is the default: the request's Access-Control-Request-Headers is echoed.
  if (allow) p.allowHeaders = isNull('allowedHeaders') && allow.known ? known<string[]>([], allow.loc, true) : allow;
  const expose = list('exposedHeaders', 'default');
  if (expose) p.exposeHeaders = isNull('exposedHeaders') && expose.known ? known<string[]>([], expose.loc, true) : expose;
  const arrays = ['methods', 'allowedHeaders', 'exposedHeaders'].filter((k) => writtenAsArray(opts, unset, k));
  if (arrays.length) p.extra.arrayLists = known(arrays, callLoc);

  const maxAge = readField(opts, unset, 'maxAge', (v) => numberOf(v, (x) => x.t === 'null'));
  if (maxAge) p.maxAge = maxAge;

  const pc = readField(opts, unset, 'preflightContinue', (v) => truthy(v));
  if (pc) p.extra.preflightContinue = pc;
  const oss = readField(opts, unset, 'optionsSuccessStatus', (v) => (v.t === 'num' ? v.v : undefined));
  if (oss) p.extra.optionsSuccessStatus = oss;
  // Both are compared with `=== true`.
  const pf = readField(opts, unset, 'preflight', (v) => (v.t === 'unknown' ? undefined : v.t === 'bool' && v.v));
  if (pf) p.extra.preflight = pf;
  const sp = readField(opts, unset, 'strictPreflight', (v) => (v.t === 'unknown' ? undefined : v.t === 'bool' && v.v));
  if (sp) p.extra.strictPreflight = sp;
  const hook = hookOf(opts);
  if (hook) p.extra.hook = hook;

  p.unknownOptions = unknownKeys(opts, KNOWN_KEYS, ALIASES);
  return p;
}

/**
 * `hook`: which Fastify hook answers. An invalid name makes the plugin fail
 * to register (the app does not start): no answer is modelled then.
 */
export function hookOf(opts: AV): Val<string> | undefined {
  const e = entryOf(opts, 'hook');
  if (!e) return undefined;
  if ('unknownSpread' in e) return unknown(e.reason, e.loc);
  const v = e.value;
  if (v.t === 'undef') return undefined;
  if (v.t === 'str' && VALID_HOOKS.includes(v.v)) return known(v.v, e.valueLoc);
  if (v.t === 'unknown') return unknown(v.reason, e.valueLoc, undefined, varsOf(v.vars));
  return unknown(`invalid hook ${v.t === 'str' ? `'${v.v}'` : v.t}: @fastify/cors refuses to register`, e.valueLoc);
}

function writtenAsArray(opts: AV, unset: AV | undefined, key: string): boolean {
  const e = entryOf(opts, key);
  if (!e || 'unknownSpread' in e) return false;
  if (e.value.t === 'array') return true;
  if (e.value.t !== 'unknown') return false;
  const u = entryOf(unset, key);
  return !!u && !('unknownSpread' in u) && u.value.t === 'array';
}
