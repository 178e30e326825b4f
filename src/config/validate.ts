import type { Severity } from '../model/index.js';
import { normalizeOrigin } from '../probes/index.js';
import { ConfigError } from './errors.js';

/** What `corslint.config.json` (or `"corslint"` in package.json) may say. JSON only, never executed. */
export interface CorslintConfig {
  /** Exact origins (`https://app.example.com`) and subdomain wildcards (`https://*.example.com`). */
  trustedOrigins?: string[];
  /** Severity per rule id. */
  rules?: Record<string, Severity>;
  /** Extra ignore globs (gitignore syntax), relative to the project root. */
  ignore?: string[];
}

const KEYS = ['$schema', 'trustedOrigins', 'rules', 'ignore'] as const;
const SEVERITIES: Severity[] = ['error', 'warning', 'off'];

/**
 * Check a parsed configuration. Throws ConfigError naming the first bad key,
 * with a suggestion for a misspelled key or rule id.
 */
export function validateConfig(raw: unknown, file: string, knownRules: readonly string[]): CorslintConfig {
  if (!isPlainObject(raw)) throw new ConfigError(file, undefined, 'the configuration must be a JSON object');
  const out: CorslintConfig = {};
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(file, key, `unknown key${hint(key, KEYS.filter((k) => k !== '$schema'))} (allowed: trustedOrigins, rules, ignore)`);
    }
  }
  if ('$schema' in raw && typeof raw.$schema !== 'string') throw new ConfigError(file, '$schema', 'expected a string');
  if ('trustedOrigins' in raw) out.trustedOrigins = trustedOrigins(raw.trustedOrigins, file);
  if ('rules' in raw) out.rules = rules(raw.rules, file, knownRules);
  if ('ignore' in raw) out.ignore = stringList(raw.ignore, file, 'ignore', 'glob');
  return out;
}

function trustedOrigins(v: unknown, file: string): string[] {
  const list = stringList(v, file, 'trustedOrigins', 'origin');
  list.forEach((o, i) => {
    const problem = originProblem(o);
    if (problem) throw new ConfigError(file, `trustedOrigins[${i}]`, `${JSON.stringify(o)} ${problem}`);
  });
  return list;
}

/** Why `o` is not an exact web origin or an `https://*.example.com` wildcard, or undefined. */
export function originProblem(o: string): string | undefined {
  const wildcard = /^(https?):\/\/\*\.(.+)$/.exec(o);
  if (o.includes('*') && !wildcard) return 'is not a valid wildcard: write it as https://*.example.com (one leading `*.`)';
  const candidate = wildcard ? `${wildcard[1]}://${wildcard[2]}` : o;
  if (wildcard && wildcard[2]!.includes('*')) return 'is not a valid wildcard: only one leading `*.` is allowed';
  const n = normalizeOrigin(candidate);
  if (!n) {
    const bare = /^[a-z0-9.-]+(:\d+)?$/i.test(o) ? `: write it as https://${o}` : ': expected scheme://host[:port], e.g. https://app.example.com';
    return `is not an http(s) origin${bare}`;
  }
  if (n.origin !== candidate) {
    return `is not written as the browser sends it: use ${wildcard ? n.origin.replace('://', '://*.') : n.origin}`;
  }
  return undefined;
}

function rules(v: unknown, file: string, known: readonly string[]): Record<string, Severity> {
  if (!isPlainObject(v)) throw new ConfigError(file, 'rules', 'expected an object of rule id → "error" | "warning" | "off"');
  const out: Record<string, Severity> = {};
  for (const [id, sev] of Object.entries(v)) {
    if (!known.includes(id)) throw new ConfigError(file, `rules.${id}`, `unknown rule${hint(id, known)}`);
    if (typeof sev !== 'string' || !(SEVERITIES as string[]).includes(sev)) {
      throw new ConfigError(file, `rules.${id}`, `expected "error", "warning" or "off", got ${JSON.stringify(sev)}`);
    }
    out[id] = sev as Severity;
  }
  return out;
}

function stringList(v: unknown, file: string, key: string, what: string): string[] {
  if (!Array.isArray(v)) throw new ConfigError(file, key, `expected an array of ${what} strings`);
  v.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '') throw new ConfigError(file, `${key}[${i}]`, `expected a non-empty ${what} string, got ${JSON.stringify(s)}`);
  });
  return v as string[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hint(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best && bestD <= Math.max(2, Math.floor(best.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
