import type { Loc, OriginEntry, Policy, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';

/** What one middleware's options say, before the call site adds where it applies. */
export type OptionsPolicy = Pick<Policy, 'origins' | 'originForm' | 'credentials' | 'methods' | 'allowHeaders' | 'exposeHeaders' | 'maxAge' | 'unknownOptions'> & {
  extra: NonNullable<Policy['extra']>;
};

/**
 * The fields of a middleware called with no options: every origin, no
 * credentials, the package's default `methods`, the request's headers
 * echoed, no max age. `loc` is the call, where defaults are reported.
 */
export function defaultParts(loc: Loc, methods: string[]): OptionsPolicy {
  return {
    origins: known<OriginEntry[]>([{ kind: 'any', loc }], loc, true),
    originForm: 'single',
    credentials: known(false, loc, true),
    methods: known(methods, loc, true),
    allowHeaders: known<string[]>([], loc, true),
    exposeHeaders: known<string[]>([], loc, true),
    maxAge: known<number | null>(null, loc, true),
    unknownOptions: [],
    extra: {},
  };
}

/** Every field unknown: options that cannot be read (a parameter, an import from a package). */
export function unknownParts(reason: string, loc: Loc): OptionsPolicy {
  return {
    origins: unknown(reason, loc),
    originForm: 'list',
    credentials: unknown(reason, loc),
    methods: unknown(reason, loc),
    allowHeaders: unknown(reason, loc),
    exposeHeaders: unknown(reason, loc),
    maxAge: unknown(reason, loc),
    unknownOptions: [],
    extra: {},
  };
}

/** The policy of one middleware call at `loc`; `extra` replaces the parts' own when given. */
export function policyOfParts(framework: Policy['framework'], scope: Policy['scope'], loc: Loc, parts: OptionsPolicy, version?: string, extra: NonNullable<Policy['extra']> = parts.extra): Policy {
  const policy: Policy = {
    framework,
    layer: 'app',
    scope,
    loc,
    origins: parts.origins,
    originForm: parts.originForm,
    credentials: parts.credentials,
    methods: parts.methods,
    allowHeaders: parts.allowHeaders,
    exposeHeaders: parts.exposeHeaders,
    maxAge: parts.maxAge,
    headers: [],
    unknownOptions: parts.unknownOptions,
  };
  if (version) policy.version = version;
  if (Object.keys(extra).length) policy.extra = extra;
  return policy;
}

/**
 * Options an environment variable chooses as a whole (`cors(process.env.X ?
 * a : b)`): every field unknown (`reason`, at `loc`), with the unset world's
 * value as its fallback. `extra` says whether the framework's own fields
 * stay as read there (`keep`) or depend on the variable too (`wrap`). A
 * default of the unset world stays a default (`fallbackIsDefault`: no
 * allowedHeaders still means echo the request's).
 */
export function chosenByVariable(p: OptionsPolicy, reason: string, variable: string, loc: Loc, how: { extra: 'keep' | 'wrap' }): OptionsPolicy {
  const wrap = <T>(v: Val<T>): Val<T> => {
    const fb = v.known ? v.value : v.fallback;
    const u = unknown<T>(reason, loc, fb, variable);
    if (v.known && v.isDefault && fb !== undefined) u.fallbackIsDefault = true;
    return u;
  };
  let extra = p.extra;
  if (how.extra === 'wrap') {
    extra = {};
    for (const [k, v] of Object.entries(p.extra)) extra[k] = wrap(v);
  }
  return {
    ...p,
    origins: wrap(p.origins),
    credentials: wrap(p.credentials),
    methods: wrap(p.methods),
    allowHeaders: wrap(p.allowHeaders),
    exposeHeaders: wrap(p.exposeHeaders),
    maxAge: wrap(p.maxAge),
    unknownOptions: [],
    extra,
  };
}
