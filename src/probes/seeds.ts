import type { OriginEntry } from '../model/index.js';
import { checkLiterals, checkRegexes } from './check.js';
import { parseOrigin } from './domains.js';
import { wildcardSource } from './match.js';
import { compileOriginRegex } from './regex/compile.js';
import { regexSamples, type RegexSample } from './regex/samples.js';

/** A trusted origin a policy entry encodes: what its author meant to let in. */
export interface Seed {
  origin: string;
  /** The entry it comes from; undefined for the project's configured trustedOrigins. */
  entry?: OriginEntry;
  /** The host was written with a variable part (`[a-z]+`, `*`, `.*`): the entry means a family of hosts. */
  variableHost: boolean;
}

const SEEDS_PER_ENTRY = 4;

/**
 * The origins an entry means to trust, derived structurally: an exact origin
 * is itself; a regex or wildcard gives representative strings built from its
 * AST (regexpp), smallest choices first; a custom check gives the literals it
 * compares against. `*`, reflection and undecidable predicates trust no
 * particular origin.
 */
export function entrySeeds(e: OriginEntry): Seed[] {
  switch (e.kind) {
    case 'exact': {
      const o = normalizeOrigin(e.origin);
      if (o) return [{ origin: o.origin, entry: e, variableHost: false }];
      // A bare host (`app.example.com`, `localhost:4200`): django-cors-headers before 3.0 compared
      // only the Origin's host, so it trusts that host under either scheme. Where the framework
      // needs a scheme, the semantics reject both probes and nothing is reported.
      if (/^[a-z0-9.-]+(:\d+)?$/i.test(e.origin) && /[.:]|^localhost$/i.test(e.origin)) {
        return ['https', 'http'].flatMap((scheme) => {
          const h = normalizeOrigin(`${scheme}://${e.origin}`);
          return h ? [{ origin: h.origin, entry: e, variableHost: false }] : [];
        });
      }
      return [];
    }
    case 'wildcard':
      return patternSeeds(wildcardSource(e.pattern), '', 'js', e);
    case 'regex':
      return patternSeeds(e.source, e.flags, e.flavor, e);
    case 'check': {
      const out: Seed[] = [];
      for (const lit of checkLiterals(e.test)) {
        const s = literalSeed(lit.op, lit.value, lit.subject);
        if (s) out.push({ ...s, entry: e });
      }
      for (const r of checkRegexes(e.test)) out.push(...patternSeeds(r.source, r.flags, r.flavor ?? 'js', e, r.subject !== undefined && r.subject !== 'origin'));
      return dedupe(out).slice(0, SEEDS_PER_ENTRY * 2);
    }
    case 'any':
    case 'reflect':
    case 'predicate':
    case 'none':
      return [];
  }
}

/** A configured trusted origin (`https://app.example.com`, `https://*.example.com`) as a seed. */
export function configSeed(trusted: string): Seed | undefined {
  const wild = trusted.includes('*');
  const o = normalizeOrigin(trusted.replace(/\*/g, 'app'));
  return o ? { origin: o.origin, variableHost: wild } : undefined;
}

function patternSeeds(source: string, flags: string, flavor: Parameters<typeof compileOriginRegex>[2], entry: OriginEntry, hostOnly = false): Seed[] {
  const c = compileOriginRegex(source, flags, flavor);
  if (!c.ok) return [];
  const out: Seed[] = [];
  const accepted: Seed[] = [];
  for (const s of regexSamples(c.regex.ast, 12)) {
    const seed = sampleSeed(hostOnly ? { text: `https://${s.text}`, mask: `LLLLLLLL${s.mask}` } : s);
    if (!seed) continue;
    out.push({ ...seed, entry });
    // Prefer samples the pattern itself accepts (a sample of `^https?://` may need the rest).
    if (hostOnly ? c.regex.test(new URL(seed.origin).hostname) : c.regex.test(seed.origin)) accepted.push({ ...seed, entry });
  }
  return dedupe(accepted.length ? accepted : out).slice(0, SEEDS_PER_ENTRY);
}

function dedupe(seeds: Seed[]): Seed[] {
  const seen = new Set<string>();
  return seeds.filter((s) => (seen.has(s.origin) ? false : (seen.add(s.origin), true)));
}

/**
 * Turn a sample of a pattern into an origin: fill in a missing or non-web
 * scheme (`example\.com$` samples as `example.com`), drop what follows the
 * host, and give a leading-dot fragment (`\.example\.com$`) a label.
 */
function sampleSeed(s: RegexSample): Omit<Seed, 'entry'> | undefined {
  let text = s.text;
  let mask = s.mask;
  const scheme = /^([a-z][a-z0-9+.-]*)?:\/\//i.exec(text);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1] ?? '')) {
      text = `https://${text.slice(scheme[0].length)}`;
      mask = `LLLLLLLL${mask.slice(scheme[0].length)}`;
    }
  } else if (text.startsWith('//')) {
    text = `https:${text}`;
    mask = `LLLLLL${mask}`;
  } else {
    if (text.startsWith('.')) {
      text = `app${text}`;
      mask = `VVV${mask}`;
    }
    text = `https://${text}`;
    mask = `LLLLLLLL${mask}`;
  }
  const hostStart = text.indexOf('://') + 3;
  let hostEnd = text.slice(hostStart).search(/[:/?#]/);
  hostEnd = hostEnd === -1 ? text.length : hostStart + hostEnd;
  const variableHost = mask.slice(hostStart, hostEnd).includes('V');
  const o = normalizeOrigin(text.replace(/^(\w+:\/\/[^/?#]*).*$/, '$1'));
  return o ? { origin: o.origin, variableHost } : undefined;
}

function literalSeed(op: string, value: string, subject: string): Omit<Seed, 'entry'> | undefined {
  if (subject === 'protocol') return undefined;
  const fragment = subject === 'origin' ? value : `https://${value}`;
  switch (op) {
    case 'equals': {
      const o = normalizeOrigin(fragment);
      return o ? { origin: o.origin, variableHost: false } : undefined;
    }
    case 'startsWith':
      return sampleSeed({ text: fragment, mask: 'L'.repeat(fragment.length) });
    case 'endsWith':
    case 'includes': {
      // `.example.com` is the tail of a family of hosts; `example.com` may be the whole host.
      const lead = fragment.startsWith('.') ? 'app' : '';
      return sampleSeed({ text: lead + fragment, mask: 'V'.repeat(lead.length) + 'L'.repeat(fragment.length) });
    }
  }
  return undefined;
}

/** The browser's serialization of `s` when it is a web origin (`https://host[:port]`), else undefined. */
export function normalizeOrigin(s: string): { origin: string } | undefined {
  const p = parseOrigin(s);
  if (!p || (p.scheme !== 'http' && p.scheme !== 'https')) return undefined;
  if (/[\s<>"{}|\\^`]/.test(p.hostname) || p.hostname.includes('..') || p.hostname.startsWith('.') || p.hostname.endsWith('.')) return undefined;
  return { origin: `${p.scheme}://${p.host}` };
}
