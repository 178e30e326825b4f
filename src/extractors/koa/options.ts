import type { Loc, OriginEntry } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { AV, Evaluator, Mode } from '../express/evaluate.js';
import { truthy } from '../express/evaluate.js';
import type { OriginReading } from '../js-middleware/options.js';
import { COMMON_ALIASES, entryOf, listOf, readField, unknownKeys, varsOf } from '../js-middleware/options.js';
import type { OptionsPolicy } from '../js-middleware/parts.js';
import { defaultParts, unknownParts } from '../js-middleware/parts.js';
import { koaCredentialsFunction, koaOriginFunction } from './origin.js';

/** What @koa/cors 5 reads (index.js); kcors and older @koa/cors read a subset of these. */
export const KOA_CORS_OPTIONS = ['origin', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'maxAge', 'credentials', 'keepHeadersOnError', 'secureContext', 'privateNetworkAccess'] as const;

export const KOA_DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH'];

/** Express cors / @fastify/cors spellings (the usual mistake when moving to Koa), and other frameworks'. */
const ALIASES: Record<string, string> = {
  ...COMMON_ALIASES,
  methods: 'allowMethods',
  method: 'allowMethods',
  allowedmethods: 'allowMethods',
  allowmethod: 'allowMethods',
  headers: 'allowHeaders',
  allowedheaders: 'allowHeaders',
  allowedheader: 'allowHeaders',
  allowheader: 'allowHeaders',
  exposedheaders: 'exposeHeaders',
  exposedheader: 'exposeHeaders',
  exposeheader: 'exposeHeaders',
  privatenetwork: 'privateNetworkAccess',
};

/**
 * The fields of `cors()` with no options. An unwritten origin is
 * `options.origin || <default>`: `'*'` in @koa/cors 5, the request Origin
 * before (and in kcors); `originDefaulted` lets the semantics pick by version.
 */
export function koaDefaults(loc: Loc): OptionsPolicy {
  const p = defaultParts(loc, KOA_DEFAULT_METHODS);
  p.extra.originDefaulted = known(true, loc, true);
  return p;
}

export function koaUnknown(reason: string, loc: Loc): OptionsPolicy {
  return unknownParts(reason, loc);
}

/**
 * `options.origin`: a function is called per request; any other truthy
 * value is sent as it is — Koa's `ctx.set` stringifies it, so `true` sends
 * `true`, a RegExp its source, and an array one header per element; a falsy
 * value (false, '', undefined) falls back to the default (`defaulted`).
 */
function originOf(ev: Evaluator, v: AV, valueLoc: Loc, mode: Mode): OriginReading | { defaulted: true } {
  if (v.t === 'func') return koaOriginFunction(ev, v, mode);
  if (v.t === 'unknown') return { unknown: v.reason, vars: v.vars };
  if (truthy(v) === false) return { defaulted: true };
  const literal = (x: AV): string | undefined => {
    switch (x.t) {
      case 'str':
        return x.v;
      case 'num':
      case 'bool':
        return String(x.v);
      case 'regex':
        return `/${x.source}/${x.flags}`;
      case 'null':
        return 'null';
      case 'undef':
        return undefined;
      case 'object':
        return '[object Object]';
      default:
        return undefined;
    }
  };
  if (v.t === 'array') {
    const entries: OriginEntry[] = [];
    for (const it of v.items) {
      const s = literal(it);
      if (s === undefined) return { unknown: it.t === 'unknown' ? it.reason : `origin list item ${it.t}`, vars: it.t === 'unknown' ? it.vars : [] };
      entries.push({ kind: 'exact', origin: s, loc: it.loc });
    }
    return { entries, form: 'list' };
  }
  if (v.t === 'str' && v.v === '*') return { entries: [{ kind: 'any', loc: valueLoc }], form: 'single' };
  const s = literal(v);
  if (s === undefined) return { unknown: `origin ${v.t}`, vars: [] };
  return { entries: [{ kind: 'exact', origin: s, loc: v.t === 'str' ? v.loc : valueLoc }], form: 'single' };
}

/** Read `cors(options)`; `unset` is the same object with every environment variable unset. */
export function koaOptions(ev: Evaluator, opts: AV, unset: AV | undefined, callLoc: Loc): OptionsPolicy {
  const p = koaDefaults(callLoc);
  if (opts.t !== 'object') return p;

  const oe = entryOf(opts, 'origin');
  if (oe) {
    if ('unknownSpread' in oe) {
      p.origins = unknown(oe.reason, oe.loc, undefined, varsOf(oe.vars));
      p.originForm = 'list';
      delete p.extra.originDefaulted;
    } else {
      const ov = originOf(ev, oe.value, oe.valueLoc, 'normal');
      delete p.extra.originDefaulted;
      if ('defaulted' in ov) {
        // Written, but falsy: the default applies, reported at the value.
        p.origins = known<OriginEntry[]>([{ kind: 'any', loc: oe.valueLoc }], oe.valueLoc);
        p.extra.originDefaulted = known(true, oe.valueLoc);
      } else if ('unknown' in ov) {
        const ue = entryOf(unset, 'origin');
        const fb = ue && !('unknownSpread' in ue) ? originOf(ev, ue.value, ue.valueLoc, 'unset') : undefined;
        const variable = varsOf(ov.vars);
        if (fb && 'defaulted' in fb) {
          // `origin: process.env.CORS_ORIGIN` unset: `undefined || default`.
          p.origins = unknown(ov.unknown, oe.valueLoc, [{ kind: 'any', loc: oe.valueLoc }], variable);
          p.originForm = 'single';
          p.extra.originDefaulted = unknown(ov.unknown, oe.valueLoc, true, variable);
        } else if (fb && !('unknown' in fb)) {
          p.origins = unknown(ov.unknown, oe.valueLoc, fb.entries, variable);
          p.originForm = fb.form;
          if (fb.fromFunction) p.extra.originFunction = known(true, fb.fromFunction);
        } else {
          p.origins = unknown(ov.unknown, oe.valueLoc, undefined, variable);
          p.originForm = 'single';
        }
      } else {
        p.origins = known(ov.entries, oe.valueLoc);
        p.originForm = ov.form;
        if (ov.fromFunction) p.extra.originFunction = known(true, ov.fromFunction);
      }
    }
  }

  // `!!options.credentials`, or what a credentials function returns (ACAC only for `true`).
  const ce = entryOf(opts, 'credentials');
  if (ce && !('unknownSpread' in ce) && ce.value.t === 'func') {
    const c = koaCredentialsFunction(ev, ce.value);
    p.credentials = typeof c === 'boolean' ? known(c, ce.valueLoc) : unknown(c.unknown, ce.valueLoc);
  } else {
    const cred = readField(opts, unset, 'credentials', (v) => truthy(v));
    if (cred) p.credentials = cred;
  }

  // `{ ...defaults, ...options }`: a written falsy allowMethods (undefined included) sends no Allow-Methods.
  const methods = readField(opts, unset, 'allowMethods', (v) => (truthy(v) === false ? [] : listOf(v)));
  if (methods) p.methods = methods;
  // Unset or falsy (also `[]`, joined to ''): the request's Access-Control-Request-Headers is echoed.
  const allow = readField(opts, unset, 'allowHeaders', (v) => (truthy(v) === false ? [] : listOf(v)));
  if (allow) p.allowHeaders = allow.known && allow.value.length === 0 ? known<string[]>([], allow.loc, true) : allow;
  const expose = readField(opts, unset, 'exposeHeaders', (v) => (truthy(v) === false ? [] : listOf(v)));
  if (expose) p.exposeHeaders = expose;
  // `if (options.maxAge)`: 0 sends nothing.
  const maxAge = readField(opts, unset, 'maxAge', (v): number | null | undefined => {
    if (truthy(v) === false) return null;
    if (v.t === 'num') return v.v;
    if (v.t === 'str' && v.v.trim() !== '' && Number.isFinite(Number(v.v))) return Number(v.v) === 0 ? null : Number(v.v);
    return undefined;
  });
  if (maxAge) p.maxAge = maxAge;

  for (const key of ['keepHeadersOnError', 'secureContext', 'privateNetworkAccess']) {
    const f = readField(opts, unset, key, (v) => truthy(v));
    if (f) p.extra[key] = f;
  }

  p.unknownOptions = unknownKeys(opts, KOA_CORS_OPTIONS, ALIASES);
  return p;
}
