import type { Loc, OriginEntry, Policy, Scope, UnknownOption, Val } from '../../model/index.js';
import { unknown } from '../../model/index.js';
import type { FlaskExtra } from '../../semantics/flask.js';
import { FLASK_ALL_METHODS, probablyRegex } from '../../semantics/flask.js';
import type { OptionLayer, OptionSource } from '../django/app-calls.js';
import { dictLayer, guardOrigins, mergeLayers, optionVal, stringItems } from '../django/app-calls.js';
import type { Guard } from '../django/evaluate.js';
import { closest } from '../django/settings.js';
import type { KnownPy, PyVal } from '../django/values.js';
import { fallbackOf, truthy } from '../django/values.js';

/** Flask-CORS's DEFAULT_OPTIONS keys (3.0–6.0): what `CORS(...)`, `init_app`, `@cross_origin` and resource dicts take. */
export const FLASK_OPTIONS = [
  'origins',
  'methods',
  'allow_headers',
  'expose_headers',
  'supports_credentials',
  'max_age',
  'send_wildcard',
  'automatic_options',
  'vary_header',
  'resources',
  'intercept_exceptions',
  'always_send',
  'allow_private_network',
];

/** The `app.config` keys Flask-CORS reads (CONFIG_OPTIONS): `CORS_` + an option name. */
export const CONFIG_KEYS = FLASK_OPTIONS.map((o) => `CORS_${o.toUpperCase()}`);

/** Names people write for another framework's option. */
const ALIASES: Record<string, string> = {
  origin: 'origins',
  allow_origins: 'origins',
  allowed_origins: 'origins',
  allow_origin: 'origins',
  credentials: 'supports_credentials',
  allow_credentials: 'supports_credentials',
  allow_methods: 'methods',
  allowed_methods: 'methods',
  headers: 'allow_headers',
  allowed_headers: 'allow_headers',
  expose: 'expose_headers',
  exposed_headers: 'expose_headers',
  max_age_seconds: 'max_age',
};

export function suggestOption(key: string): string | undefined {
  return ALIASES[key] ?? closest(key, FLASK_OPTIONS);
}

export function suggestConfigKey(key: string): string | undefined {
  const alias = ALIASES[key.replace(/^CORS_/, '').toLowerCase()];
  return alias ? `CORS_${alias.toUpperCase()}` : closest(key, CONFIG_KEYS);
}

/** Where a policy's options come from, lowest priority first. */
export interface FlaskSetup {
  /** The `CORS(...)` / `init_app(...)` call or the `@cross_origin(...)` decorator. */
  loc: Loc;
  layers: OptionLayer[];
  /** Options that are no Flask-CORS option, already collected (config keys, keywords). */
  unknownOptions: UnknownOption[];
  guards: Guard[];
  version?: string;
  /** `@cross_origin` on a view: the route's rule and methods. */
  route?: { paths?: string[]; methods?: string[] };
  /** The extension (`CORS`) splits its options into resources; the decorator has none. */
  kind: 'extension' | 'decorator';
}

const WHAT = 'Flask-CORS';

/** The policies one Flask-CORS setup answers with: one per resource for the extension, one for a decorator. */
export function flaskPolicies(setup: FlaskSetup): Policy[] {
  const opts = mergeLayers(setup.layers, FLASK_OPTIONS);
  const unknownOptions = [...setup.unknownOptions, ...unknownKeys(opts)];
  if (setup.kind === 'decorator') return [policyFrom(opts, setup, setup.route ?? {}, unknownOptions)];
  const out: Policy[] = [];
  for (const r of resources(opts.get('resources'))) {
    const merged = r.layer ? mergeLayers([{ options: opts }, r.layer], FLASK_OPTIONS) : opts;
    const extraUnknown = r.layer ? unknownKeys(r.layer.options) : [];
    const scope: Scope = r.pattern === undefined || r.pattern === '/*' || r.pattern === '.*' ? {} : { urlRegex: r.pattern };
    const p = policyFrom(merged, setup, scope, [...unknownOptions, ...extraUnknown]);
    if (r.unknownReason) p.origins = unknown(r.unknownReason, p.origins.loc);
    out.push(p);
  }
  return out;
}

function unknownKeys(opts: Map<string, OptionSource>): UnknownOption[] {
  const out: UnknownOption[] = [];
  for (const [key, src] of opts) {
    if (FLASK_OPTIONS.includes(key) || key === 'app') continue;
    const o: UnknownOption = { key, loc: src.keyLoc };
    const s = suggestOption(key);
    if (s) o.suggestion = s;
    out.push(o);
  }
  return out;
}

interface Resource {
  /** The path pattern (`re.match` on the path); undefined for the default `/*`. */
  pattern?: string;
  layer?: OptionLayer;
  /** The resources option could not be read: nothing is known about this policy's origins. */
  unknownReason?: string;
}

/** `parse_resources`: a dict of pattern → options, one pattern, or a list of patterns; `'*'` means every path. */
function resources(src: OptionSource | undefined): Resource[] {
  if (!src || src.value.t === 'absent') return [{}];
  let v: PyVal = src.value;
  if (v.t === 'unknown') {
    const fb = fallbackOf(v);
    if (!fb) return [{ unknownReason: v.reason }];
    // A config source corslint cannot read may set CORS_RESOURCES; when it does not, every path.
    if (fb.t === 'absent') return [{}];
    v = fb;
  }
  const fix = (p: string) => (p === '*' ? '.*' : p);
  if (v.t === 'str') return [{ pattern: fix(v.v) }];
  if (v.t === 'regex') return [{ pattern: v.source }];
  if (v.t === 'seq') return v.items.map((i) => (i.t === 'str' ? { pattern: fix(i.v) } : i.t === 'regex' ? { pattern: i.source } : { unknownReason: `resource ${i.t}` }));
  if (v.t === 'dict') {
    return v.entries.map(([k, opts]) => {
      const pattern = k.t === 'str' ? fix(k.v) : k.t === 'regex' ? k.source : undefined;
      if (pattern === undefined) return { unknownReason: 'a resource pattern corslint cannot read' };
      return { pattern, layer: dictLayer(opts) };
    });
  }
  return [{ unknownReason: 'resources corslint cannot read' }];
}

function policyFrom(opts: Map<string, OptionSource>, setup: FlaskSetup, scope: Scope, unknownOptions: UnknownOption[]): Policy {
  const at = setup.loc;
  const credentials = optionVal(opts.get('supports_credentials'), at, false, (v) => truthy(v), WHAT);
  // RULES.md: a default origin is reported at the credentials value, or at the call when both are defaults.
  const originDefaultLoc = credentials.known && credentials.isDefault ? at : credentials.loc;
  const origins = optionVal<OriginEntry[]>(opts.get('origins'), originDefaultLoc, [{ kind: 'any', loc: originDefaultLoc }], originEntries, WHAT);
  const flag = (name: string): Val<boolean> | undefined => (opts.has(name) ? optionVal(opts.get(name), at, false, (v) => truthy(v), WHAT) : undefined);
  const extra: FlaskExtra = {};
  const sendWildcard = flag('send_wildcard');
  if (sendWildcard) extra.sendWildcard = sendWildcard;
  const vary = flag('vary_header');
  if (vary) extra.varyHeader = vary;
  const pna = flag('allow_private_network');
  if (pna) extra.allowPrivateNetwork = pna;

  const policy: Policy = {
    framework: 'flask',
    layer: 'app',
    scope: { ...scope },
    loc: at,
    origins: guardOrigins(origins, setup.guards, at),
    originForm: 'list',
    credentials,
    methods: optionVal(opts.get('methods'), at, FLASK_ALL_METHODS, (v) => stringItems(v, 'one'), WHAT),
    allowHeaders: optionVal(opts.get('allow_headers'), at, ['*'], (v) => stringItems(v, 'one'), WHAT),
    exposeHeaders: optionVal(opts.get('expose_headers'), at, [], exposeList, WHAT),
    maxAge: optionVal<number | null>(opts.get('max_age'), at, null, maxAge, WHAT),
    headers: [],
    unknownOptions: dedupe(unknownOptions),
    extra: extra as Record<string, Val<unknown>>,
  };
  if (setup.kind === 'decorator' && setup.route) {
    const automatic = optionVal(opts.get('automatic_options'), at, true, (v) => truthy(v), WHAT);
    const methods = setup.route.methods;
    // The decorator answers OPTIONS itself when automatic_options is on (it asks Flask to route OPTIONS to the view).
    if (methods) policy.scope.methods = [...new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : []), ...(automatic.known && automatic.value ? ['OPTIONS'] : [])])];
  }
  if (setup.version) policy.version = setup.version;
  return policy;
}

/** An `origins` value: `'*'` (or `'.*'`) is allow-all; strings with regex characters are patterns (re.match, IGNORECASE); others compare case-insensitively. */
function originEntries(v: KnownPy): OriginEntry[] | undefined {
  const items = v.t === 'seq' ? v.items : [v];
  const out: OriginEntry[] = [];
  for (const i of items) {
    if (i.t === 'str') {
      if (i.v === '*' || i.v === '.*') out.push({ kind: 'any', loc: i.loc });
      else if (probablyRegex(i.v)) out.push({ kind: 'regex', source: i.v, flags: 'i', flavor: 'python-match', loc: i.loc });
      else out.push({ kind: 'exact', origin: i.v, loc: i.loc });
    } else if (i.t === 'regex') {
      // A compiled pattern goes to re.match with its own flags only.
      out.push({ kind: 'regex', source: i.source, flags: i.flags, flavor: 'python-match', loc: i.loc });
    } else return undefined;
  }
  return out;
}

/** `flexible_str`: a list is sorted and joined; a string is sent as written; None sends nothing. */
function exposeList(v: KnownPy): string[] | undefined {
  if (v.t === 'none') return [];
  const items = stringItems(v, 'one');
  return items && v.t === 'seq' ? [...items].sort() : items;
}

function maxAge(v: KnownPy): number | null | undefined {
  if (v.t === 'none') return null;
  if (v.t === 'num') return v.v;
  if (v.t === 'str' && /^\d+$/.test(v.v.trim())) return Number(v.v);
  return undefined;
}

function dedupe(opts: UnknownOption[]): UnknownOption[] {
  const seen = new Set<string>();
  return opts.filter((o) => {
    const k = `${o.key}@${o.loc.file}:${o.loc.line}:${o.loc.column}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
