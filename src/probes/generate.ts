import type { OriginEntry } from '../model/index.js';
import { hostInfo, parseOrigin } from './domains.js';
import { EVIL_DOMAIN, EVIL_ORIGIN, NULL_ORIGIN } from './constants.js';
import { configSeed, entrySeeds, type Seed } from './seeds.js';

/**
 * The probe classes, in the order they are tried and reported:
 * - evil: an unrelated attacker site; null: `Origin: null` (sandboxed iframes, data: URLs)
 * - trusted: an origin the policy means to trust (from an entry or the configured trustedOrigins)
 * - suffix: the trusted host followed by the attacker's domain (`https://app.example.com.evil.example`)
 * - prefix: the attacker's name glued before it (`https://evilapp.example.com`, `https://evilexample.com`)
 * - unescaped-dot: a dot of the host replaced (`https://appxexample.com`)
 * - lookalike: another name under the same public suffix (`https://evil.co.uk`)
 * - shared-host: another site on the same shared hosting domain (`https://evil.vercel.app`)
 * - downgrade: the trusted host over http; subdomain: `https://x.app.example.com`; port: `https://app.example.com:444`
 */
export type ProbeKind =
  | 'evil'
  | 'null'
  | 'trusted'
  | 'suffix'
  | 'prefix'
  | 'unescaped-dot'
  | 'lookalike'
  | 'shared-host'
  | 'downgrade'
  | 'subdomain'
  | 'port';

export interface Probe {
  origin: string;
  kind: ProbeKind;
  /** The trusted origin it was derived from. */
  from?: string;
  /** The seed's entry (undefined for probes from the configured trustedOrigins and for evil/null). */
  entry?: OriginEntry;
  /**
   * An outside attacker can send this Origin: evil, null, or a host whose
   * registrable domain (Public Suffix List, private section included) is
   * not one the policy trusts and can be registered by anyone.
   */
  attacker: boolean;
  /** The shared hosting suffix (vercel.app) the host is under, if any. */
  sharedSuffix?: string;
  /** The public suffix the host is under, if any. */
  publicSuffix?: string;
}

export interface ProbeSet {
  probes: Probe[];
  seeds: Seed[];
  /** Registrable domains (or hostnames, for IPs and single labels) of every seed. */
  trustedDomains: string[];
}

const MAX_PROBES = 400;
const MAX_TRUSTED = 2000;

/**
 * The attack origins for a policy's entries, plus the trusted origins
 * themselves. Every probe is a short, well-formed origin; evaluating the
 * policy on them is what decides whether one gets in.
 */
export function generateProbes(entries: OriginEntry[], trustedOrigins: string[] = []): ProbeSet {
  const seeds: Seed[] = [];
  for (const e of entries) seeds.push(...entrySeeds(e));
  for (const t of trustedOrigins) {
    const s = configSeed(t);
    if (s) seeds.push(s);
  }
  // Patterns first: their derived probes are the ones that can get in.
  const ordered = [...seeds.filter((s) => s.variableHost || s.entry?.kind !== 'exact'), ...seeds.filter((s) => !(s.variableHost || s.entry?.kind !== 'exact'))];

  const trustedDomains = new Set<string>();
  for (const s of seeds) {
    const p = parseOrigin(s.origin)!;
    trustedDomains.add(hostInfo(p.hostname).domain ?? p.hostname.toLowerCase());
  }

  const byOrigin = new Map<string, Probe>();
  const add = (origin: string, kind: ProbeKind, seed?: Seed) => {
    if (byOrigin.has(origin)) return;
    const p: Probe = { origin, kind, attacker: isAttacker(origin, kind, trustedDomains) };
    if (seed) {
      p.from = seed.origin;
      if (seed.entry) p.entry = seed.entry;
    }
    const host = parseOrigin(origin);
    if (host) {
      const info = hostInfo(host.hostname);
      if (info.publicSuffix && info.registrable) p.publicSuffix = info.publicSuffix;
      if (info.shared && info.publicSuffix) p.sharedSuffix = info.publicSuffix;
    }
    byOrigin.set(origin, p);
  };

  add(EVIL_ORIGIN, 'evil');
  add(NULL_ORIGIN, 'null');
  for (const s of ordered.slice(0, MAX_TRUSTED)) add(s.origin, 'trusted', s);
  let derived = 0;
  const hosts = new Set<string>();
  for (const s of ordered) {
    if (derived >= MAX_PROBES) break;
    // Seeds that differ only in port (`(:\d+)?`) share their host-derived probes.
    const p = parseOrigin(s.origin)!;
    const hostKey = `${p.scheme}://${p.hostname}`;
    const seen = hosts.has(hostKey);
    hosts.add(hostKey);
    for (const [origin, kind] of derive(s.origin)) {
      if (seen && kind !== 'port') continue;
      if (byOrigin.has(origin)) continue;
      add(origin, kind, s);
      derived++;
    }
  }
  return { probes: [...byOrigin.values()], seeds, trustedDomains: [...trustedDomains] };
}

function isAttacker(origin: string, kind: ProbeKind, trusted: Set<string>): boolean {
  if (kind === 'evil' || kind === 'null') return true;
  const p = parseOrigin(origin);
  if (!p) return false;
  const info = hostInfo(p.hostname);
  if (!info.domain || trusted.has(info.domain)) return false;
  return info.registrable || info.domain === EVIL_DOMAIN;
}

/** The probes derived from one trusted origin, most telling first. */
export function derive(origin: string): [string, ProbeKind][] {
  const p = parseOrigin(origin);
  if (!p) return [];
  const out: [string, ProbeKind][] = [];
  const { scheme, hostname } = p;
  const port = p.port ? `:${p.port}` : '';
  const info = hostInfo(hostname);
  const isName = !info.isIp && !hostname.startsWith('[');
  if (isName) {
    out.push([`${scheme}://${hostname}.${EVIL_DOMAIN}${port}`, 'suffix']);
    out.push([`${scheme}://evil${hostname}${port}`, 'prefix']);
    out.push([`${scheme}://evil-${hostname}${port}`, 'prefix']);
    if (info.domain && info.domain !== hostname) {
      out.push([`${scheme}://evil${info.domain}${port}`, 'prefix']);
      out.push([`${scheme}://evil-${info.domain}${port}`, 'prefix']);
    }
    for (let i = hostname.indexOf('.'); i !== -1; i = hostname.indexOf('.', i + 1)) {
      const h = `${hostname.slice(0, i)}x${hostname.slice(i + 1)}`;
      if (hostInfo(h).registrable) out.push([`${scheme}://${h}${port}`, 'unescaped-dot']);
    }
    if (info.publicSuffix && info.registrable && info.publicSuffix !== hostname) {
      out.push([`${scheme}://evil.${info.publicSuffix}${port}`, info.shared ? 'shared-host' : 'lookalike']);
    }
  }
  if (scheme === 'https') out.push([`http://${p.host}`, 'downgrade']);
  if (isName) out.push([`${scheme}://x.${hostname}${port}`, 'subdomain']);
  const defaultPort = scheme === 'https' ? 443 : 80;
  const nextPort = p.port ? Number(p.port) + 1 : defaultPort === 443 ? 444 : 8080;
  out.push([`${scheme}://${p.hostname}:${nextPort}`, 'port']);
  return out;
}
