import { parse } from 'tldts';

/**
 * What the Public Suffix List (tldts, ICANN and private sections) says about
 * a host: what an attacker can register next to it, and whether it sits on a
 * shared hosting domain (github.io, vercel.app, herokuapp.com, ...) where
 * anyone can publish a site.
 */
export interface HostInfo {
  hostname: string;
  /** The registrable domain (eTLD+1), or null for IPs, single labels and bare suffixes. */
  domain: string | null;
  publicSuffix: string | null;
  /** The public suffix comes from the PSL's private section: shared hosting. */
  shared: boolean;
  /** The suffix is a real one (ICANN or private): names under it can be registered. */
  registrable: boolean;
  isIp: boolean;
}

const OPTIONS = { allowPrivateDomains: true, extractHostname: false, validateHostname: false } as const;

const cache = new Map<string, HostInfo>();

export function hostInfo(hostname: string): HostInfo {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  let info = cache.get(h);
  if (!info) {
    const r = parse(h, OPTIONS);
    info = {
      hostname: h,
      domain: r.domain,
      publicSuffix: r.publicSuffix,
      shared: r.isPrivate === true,
      registrable: r.isIcann === true || r.isPrivate === true,
      isIp: r.isIp === true,
    };
    if (cache.size > 10_000) cache.clear();
    cache.set(h, info);
  }
  return info;
}

/** localhost, 127.0.0.0/8, [::1], 0.0.0.0: the user's own machine (decision 9: dev-origin, not insecure-origin). */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0.0.0.0';
}

/** Loopback plus mDNS `.local` names: origins that only exist on a developer's machine or LAN. */
export function isDevHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return isLoopback(h) || h === 'local' || h.endsWith('.local');
}

/** scheme, host and port of a serialized origin, or undefined when it is not one (e.g. `null`). */
export function parseOrigin(origin: string): { scheme: string; hostname: string; host: string; port: string } | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(origin)) return undefined;
  try {
    const u = new URL(origin);
    if (!u.hostname) return undefined;
    return { scheme: u.protocol.slice(0, -1), hostname: u.hostname, host: u.host, port: u.port };
  } catch {
    return undefined;
  }
}
