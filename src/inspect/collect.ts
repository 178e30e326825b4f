import { probePolicy, type ProbeOutcome } from '../analysis/probes.js';
import { lint, type LintOptions, type LintResult } from '../engine/lint.js';
import type { Finding, Loc, OriginCheck, OriginEntry, Policy, Val } from '../model/index.js';
import { describeEntry, headerValues } from '../model/index.js';
import { isDevHost, parseOrigin, type ProbeKind } from '../probes/index.js';
import { evaluate } from '../semantics/index.js';

/** A value as inspect shows it: what was written (or the default), or why it is unknown and what it falls back to. */
export type ValueView =
  | { known: true; value: unknown; default: boolean; file: string; line: number; column: number }
  | { known: false; reason: string; fallback?: unknown; variable?: string; file: string; line: number; column: number };

export interface EntryView {
  kind: OriginEntry['kind'];
  text: string;
  file: string;
  line: number;
  column: number;
}

export interface UnknownView {
  /** Which setting: `origins`, `credentials`, `header access-control-allow-origin`, `origin check`, ... */
  what: string;
  reason: string;
  fallback?: unknown;
  file: string;
  line: number;
}

/**
 * How the server answers one probe. `verdict`: `reads-with-cookies` (ACAO
 * echoes it and ACAC is true), `reads` (echoed, no credentials), `public`
 * (`*`), `blocked`, `unknown`. `attack` marks rows where someone who should
 * not gets in: an attacker-registrable origin, `null`, or an http origin.
 */
export interface ProbeView {
  kind: ProbeKind;
  origin: string;
  from?: string;
  attacker: boolean;
  acao: string | null;
  acac: boolean;
  vary: string | null;
  verdict: 'reads-with-cookies' | 'reads' | 'public' | 'blocked' | 'unknown';
  attack: boolean;
  assumption?: string;
  unknown?: string;
}

export interface PolicyView {
  framework: Policy['framework'];
  layer: Policy['layer'];
  file: string;
  line: number;
  column: number;
  scope: Policy['scope'];
  version?: string;
  originForm: Policy['originForm'];
  origins: ValueView & { entries: EntryView[] };
  credentials: ValueView;
  methods: ValueView;
  allowHeaders: ValueView;
  exposeHeaders: ValueView;
  maxAge: ValueView;
  headers: { name: string; value: ValueView; always?: boolean; append?: boolean; line: number }[];
  unknownOptions: { key: string; line: number; column: number; suggestion?: string }[];
  unknowns: UnknownView[];
  probes: ProbeView[];
}

export interface InspectResult {
  version: 1;
  root: string;
  configFile?: string;
  trustedOrigins?: string[];
  policies: PolicyView[];
  findings: Finding[];
}

/** Lint `paths` and describe every policy with its probe table. */
export async function inspect(paths: string[], options: LintOptions = {}): Promise<InspectResult> {
  const result = await lint(paths, options);
  return describeResult(result);
}

export function describeResult(result: LintResult): InspectResult {
  const policies = [...result.policies].sort((a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.line - b.loc.line || a.loc.column - b.loc.column));
  const out: InspectResult = { version: 1, root: result.root, policies: policies.map((p) => describePolicy(p, result.trustedOrigins ?? [])), findings: result.findings };
  if (result.configFile) out.configFile = result.configFile;
  if (result.trustedOrigins) out.trustedOrigins = result.trustedOrigins;
  return out;
}

export function describePolicy(policy: Policy, trustedOrigins: string[] = []): PolicyView {
  const pp = probePolicy({ evaluate }, policy, trustedOrigins);
  const entries = policy.origins.known ? policy.origins.value : (policy.origins.fallback ?? []);
  const view: PolicyView = {
    framework: policy.framework,
    layer: policy.layer,
    file: policy.loc.file,
    line: policy.loc.line,
    column: policy.loc.column,
    scope: policy.scope,
    originForm: policy.originForm,
    origins: { ...valueView(policy.origins, (v) => v.map(describeEntry)), entries: entries.map(entryView) },
    credentials: valueView(policy.credentials),
    methods: valueView(policy.methods),
    allowHeaders: valueView(policy.allowHeaders),
    exposeHeaders: valueView(policy.exposeHeaders),
    maxAge: valueView(policy.maxAge),
    headers: policy.headers.map((h) => {
      const o: PolicyView['headers'][number] = { name: h.name, value: valueView(h.value), line: h.loc.line };
      if (h.always) o.always = true;
      if (h.append) o.append = true;
      return o;
    }),
    unknownOptions: policy.unknownOptions.map((u) => {
      const o: PolicyView['unknownOptions'][number] = { key: u.key, line: u.loc.line, column: u.loc.column };
      if (u.suggestion) o.suggestion = u.suggestion;
      return o;
    }),
    unknowns: unknownsOf(policy, entries),
    probes: pp.outcomes.map(probeView),
  };
  if (policy.version) view.version = policy.version;
  return view;
}

function at(loc: Loc) {
  return { file: loc.file, line: loc.line, column: loc.column };
}

function valueView<T>(v: Val<T>, show: (x: T) => unknown = (x) => x): ValueView {
  if (v.known) return { known: true, value: show(v.value), default: Boolean(v.isDefault), ...at(v.loc) };
  const o: ValueView = { known: false, reason: v.reason, ...at(v.loc) };
  if (v.fallback !== undefined) o.fallback = show(v.fallback);
  if (v.variable) o.variable = v.variable;
  return o;
}

function entryView(e: OriginEntry): EntryView {
  return { kind: e.kind, text: describeEntry(e), ...at(e.loc) };
}

function unknownsOf(policy: Policy, entries: OriginEntry[]): UnknownView[] {
  const out: UnknownView[] = [];
  const add = (what: string, v: Val<unknown>) => {
    if (v.known) return;
    // Framework extras often restate `origins` (Laravel's allowed_origins): one line per unknown value.
    if (out.some((o) => o.reason === v.reason && o.file === v.loc.file && o.line === v.loc.line)) return;
    const u: UnknownView = { what, reason: v.reason, file: v.loc.file, line: v.loc.line };
    if (v.fallback !== undefined) u.fallback = showable(v.fallback);
    out.push(u);
  };
  if (!policy.origins.known) {
    const v = policy.origins;
    const u: UnknownView = { what: 'origins', reason: v.reason, file: v.loc.file, line: v.loc.line };
    if (v.fallback !== undefined) u.fallback = v.fallback.map(describeEntry);
    out.push(u);
  }
  add('credentials', policy.credentials);
  add('methods', policy.methods);
  add('allowHeaders', policy.allowHeaders);
  add('exposeHeaders', policy.exposeHeaders);
  add('maxAge', policy.maxAge);
  for (const h of policy.headers) add(`header ${h.name}`, h.value);
  for (const [k, v] of Object.entries(policy.extra ?? {})) add(k, v);
  for (const e of entries) {
    if (e.kind === 'predicate') out.push({ what: 'origin check', reason: e.description, file: e.loc.file, line: e.loc.line });
    if (e.kind === 'check') for (const d of unknownParts(e.test)) out.push({ what: 'origin check', reason: `${e.description}: ${d}`, file: e.loc.file, line: e.loc.line });
  }
  return out;
}

/** Origin entries read as written; other values as they are. */
function showable(v: unknown): unknown {
  const isEntry = (x: unknown): x is OriginEntry => typeof x === 'object' && x !== null && 'kind' in x && 'loc' in x;
  if (Array.isArray(v) && v.every(isEntry)) return v.map(describeEntry);
  return v;
}

function unknownParts(c: OriginCheck): string[] {
  switch (c.op) {
    case 'unknown':
      return [c.description];
    case 'and':
    case 'or':
      return c.args.flatMap(unknownParts);
    case 'not':
      return unknownParts(c.arg);
    default:
      return [];
  }
}

function probeView(o: ProbeOutcome): ProbeView {
  const answer = o.credentialed ?? o.plain;
  const res = answer?.evaluation.response;
  const acao = answer?.acao?.value ?? null;
  const vary = res?.known ? headerValues(res, 'vary').join(', ') || null : null;
  let verdict: ProbeView['verdict'];
  if (!answer) verdict = 'unknown';
  else if (o.acceptedWithCredentials) verdict = 'reads-with-cookies';
  else if (o.accepted) verdict = 'reads';
  else if (o.plain?.acao?.value === '*') verdict = 'public';
  else verdict = 'blocked';
  const p = parseOrigin(o.probe.origin);
  const insecure = p?.scheme === 'http' && !isDevHost(p.hostname);
  const view: ProbeView = {
    kind: o.probe.kind,
    origin: o.probe.origin,
    attacker: o.probe.attacker,
    acao,
    acac: Boolean(answer?.credentials),
    vary,
    verdict,
    attack: o.accepted && (o.probe.attacker || insecure),
  };
  if (o.probe.from) view.from = o.probe.from;
  const assumption = (o.evaluation ?? answer?.evaluation)?.assumption;
  if (assumption) view.assumption = assumption;
  if (o.unknown) view.unknown = `${o.unknown.reason} (${o.unknown.loc.file}:${o.unknown.loc.line})`;
  return view;
}
