import type { Loc, OriginEntry, Policy, RegexFlavor, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { StarletteExtra } from '../../semantics/starlette.js';
import type { OptionLayer, OptionSource } from '../django/app-calls.js';
import { guardOrigins, mergeLayers, optionVal, stringItems } from '../django/app-calls.js';
import type { Guard } from '../django/evaluate.js';
import type { KnownPy, PyVal } from '../django/values.js';
import { truthy } from '../django/values.js';
import { compareVersions } from '../django/version.js';

/** `CORSMiddleware.__init__` after `app`, in order (positional arguments map onto these). */
export const CORS_MIDDLEWARE_PARAMS = [
  'allow_origins',
  'allow_methods',
  'allow_headers',
  'allow_credentials',
  'allow_origin_regex',
  'expose_headers',
  'max_age',
];

export interface StarletteCall {
  /** The `add_middleware(...)`, `Middleware(...)` or `CORSMiddleware(app, ...)` call. */
  loc: Loc;
  /** Arguments after the middleware class (or after `app`). */
  positional: PyVal[];
  keywords: OptionLayer;
  guards: Guard[];
  version?: string;
}

/**
 * The policy one CORSMiddleware call configures, or undefined when the call
 * names a keyword CORSMiddleware does not take: its `__init__` then raises
 * TypeError and the application does not start, which no CORS rule is about.
 */
export function starlettePolicy(call: StarletteCall): Policy | undefined {
  const positional = new Map<string, OptionSource>();
  call.positional.forEach((v, i) => {
    const name = CORS_MIDDLEWARE_PARAMS[i];
    if (name) positional.set(name, { value: v, keyLoc: v.loc });
  });
  if (call.positional.length > CORS_MIDDLEWARE_PARAMS.length) return undefined;
  for (const k of call.keywords.options.keys()) if (!CORS_MIDDLEWARE_PARAMS.includes(k)) return undefined;
  const opts = mergeLayers([{ options: positional }, call.keywords], CORS_MIDDLEWARE_PARAMS);
  const at = call.loc;
  const what = "Starlette's CORSMiddleware";
  const flavor: RegexFlavor = call.version && compareVersions(call.version, '0.13.1') < 0 ? 'python-match' : 'python-fullmatch';

  const list = optionVal<{ entries: OriginEntry[]; asString: boolean }>(opts.get('allow_origins'), at, { entries: [], asString: false }, listEntries, what);
  const regex = optionVal<OriginEntry[]>(opts.get('allow_origin_regex'), at, [], (v) => regexEntries(v, flavor), what);
  const origins = guardOrigins(combine(list, regex, at), call.guards, at);
  const originsString: Val<boolean> = list.known
    ? known(list.value.asString, list.loc, list.isDefault)
    : unknown(list.reason, list.loc, list.fallback?.asString, list.variable);

  const chars = (v: KnownPy) => stringItems(v, 'chars');
  const extra: StarletteExtra = { originsString };
  const policy: Policy = {
    framework: 'starlette',
    layer: 'app',
    scope: {},
    loc: at,
    origins,
    originForm: 'list',
    credentials: optionVal(opts.get('allow_credentials'), at, false, (v) => truthy(v), what),
    methods: optionVal(opts.get('allow_methods'), at, ['GET'], chars, what),
    allowHeaders: optionVal(opts.get('allow_headers'), at, [], chars, what),
    exposeHeaders: optionVal(opts.get('expose_headers'), at, [], chars, what),
    maxAge: optionVal<number | null>(opts.get('max_age'), at, 600, (v) => (v.t === 'num' ? v.v : v.t === 'none' ? null : undefined), what),
    headers: [],
    unknownOptions: [],
    extra: extra as Record<string, Val<unknown>>,
  };
  if (call.version) policy.version = call.version;
  return policy;
}

/** `allow_origins`: `'*'` anywhere is allow-all; other strings compare exactly. A lone string is kept whole (Python's `in` tests substrings of it). */
function listEntries(v: KnownPy): { entries: OriginEntry[]; asString: boolean } | undefined {
  if (v.t === 'str') return { entries: [{ kind: 'exact', origin: v.v, loc: v.loc }], asString: true };
  if (v.t !== 'seq') return undefined;
  const entries: OriginEntry[] = [];
  for (const i of v.items) {
    if (i.t === 'unknown') return undefined;
    // Anything but a string never equals an Origin header.
    if (i.t !== 'str') continue;
    entries.push(i.v === '*' ? { kind: 'any', loc: i.loc } : { kind: 'exact', origin: i.v, loc: i.loc });
  }
  return { entries, asString: false };
}

function regexEntries(v: KnownPy, flavor: RegexFlavor): OriginEntry[] | undefined {
  if (v.t === 'none') return [];
  if (v.t === 'str') return [{ kind: 'regex', source: v.v, flags: '', flavor, loc: v.loc }];
  // re.compile(...) passed in: re.compile returns it unchanged, flags included.
  if (v.t === 'regex') return [{ kind: 'regex', source: v.source, flags: v.flags, flavor, loc: v.loc }];
  return undefined;
}

function combine(list: Val<{ entries: OriginEntry[]; asString: boolean }>, regex: Val<OriginEntry[]>, at: Loc): Val<OriginEntry[]> {
  const loc = !list.known || !list.isDefault ? list.loc : !regex.known || !regex.isDefault ? regex.loc : at;
  if (list.known && regex.known) return known([...list.value.entries, ...regex.value], loc, list.isDefault && regex.isDefault);
  const u = (!list.known ? list : regex) as Extract<Val<unknown>, { known: false }>;
  const l = list.known ? list.value : list.fallback;
  const r = regex.known ? regex.value : regex.fallback;
  return unknown(u.reason, u.loc, l && r ? [...l.entries, ...r] : undefined, u.variable);
}
