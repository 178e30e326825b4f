import type { OriginEntry, RegexFlavor } from '../model/index.js';
import { generateProbes, hostInfo, isLoopback, parseOrigin, patternShape, splitPcreDelimiters, testRegex, type ProbeKind, type Seed } from '../probes/index.js';

/** How each flavour applies a pattern, for messages. */
const MATCHER: Record<RegexFlavor, string> = {
  js: 'RegExp.test searches anywhere in the Origin',
  'python-match': 're.match anchors only the start',
  'python-fullmatch': 're.fullmatch anchors both ends',
  pcre: 'preg_match searches anywhere in the Origin',
  nginx: 'nginx `~` searches anywhere in the Origin',
};

/** Why a probe of this kind gets past a pattern, in a few words. */
export function bypassReason(kind: ProbeKind, entry: OriginEntry | undefined, probeOrigin: string, from?: string): string {
  const host = from ? parseOrigin(from)?.hostname : undefined;
  const check = entry?.kind === 'check';
  const shape = entry?.kind === 'regex' ? patternShape(entry.source, entry.flags, entry.flavor) : undefined;
  switch (kind) {
    case 'suffix':
      if (check) return 'the check also matches longer hosts that merely start with the trusted one';
      if (shape && !shape.anchoredEnd) return `${MATCHER[entry!.kind === 'regex' ? entry!.flavor : 'js']} and the pattern has no \`$\``;
      return 'nothing anchors the end of the pattern';
    case 'prefix': {
      const tail = host ? hostInfo(host).domain ?? host : undefined;
      if (entry?.kind === 'wildcard') return '`*` also matches the start of another domain name';
      if (shape && !shape.anchoredStart) return `${MATCHER[entry!.kind === 'regex' ? entry!.flavor : 'js']} and the pattern has no \`^\``;
      return tail ? `nothing anchors what comes before \`${tail}\`` : 'nothing anchors the start of the host';
    }
    case 'unescaped-dot':
      return 'an unescaped `.` matches any character';
    case 'lookalike': {
      const suffix = hostInfo(parseOrigin(probeOrigin)?.hostname ?? '').publicSuffix;
      return suffix ? `it admits any domain under \`.${suffix}\`` : 'it admits domains anyone can register';
    }
    default:
      return 'the pattern admits more than the trusted origins';
  }
}

/** A replacement for `entry` that accepts the trusted origin `seed` stands for and nothing an attacker can register. */
export function anchoredFix(entry: OriginEntry | undefined, seed: Seed | undefined, kind?: ProbeKind): string {
  let parts = seed ? fixParts(seed) : undefined;
  // Open to a whole public suffix: the author's own domain is not in the pattern at all.
  if (parts && kind === 'lookalike') {
    const suffix = hostInfo(parts.host).publicSuffix;
    if (suffix) {
      const base = `your-domain.${suffix}`;
      const esc = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parts = { ...parts, host: base, base, family: true, apex: true, hostRe: `([a-z0-9-]+\\.)?${esc}` };
    }
  }
  if (!entry || !parts) return 'Match the whole origin: scheme, full host and port, anchored at both ends, with dots escaped.';
  // The author's own pattern, anchored and escaped, keeps what it meant (`preview-\d+`) where it is safe.
  const body = (entry.kind === 'regex' && kind !== 'lookalike' && tightened(entry, seed)) || `^${parts.scheme}://${parts.hostRe}${parts.portRe}$`;
  switch (entry.kind) {
    case 'regex': {
      const f = entry.flags.replace(/[gy]/g, '');
      switch (entry.flavor) {
        case 'js':
          return `Anchor it as \`/${escapeSlashes(body)}/${f}\`.`;
        case 'python-match':
        case 'python-fullmatch':
          return `Anchor it as \`r'${body}'\`.`;
        case 'pcre': {
          const d = splitPcreDelimiters(entry.source);
          const open = d?.delimiter ?? '#';
          const close = ({ '(': ')', '[': ']', '{': '}', '<': '>' } as Record<string, string>)[open] ?? open;
          const inner = open === '/' ? escapeSlashes(body) : body;
          return `Anchor it as \`'${open}${inner}${close}${d?.flags ?? ''}'\`.`;
        }
        case 'nginx':
          return `Anchor it as \`"~${f.includes('i') ? '*' : ''}${body}"\`.`;
      }
      break;
    }
    case 'wildcard': {
      const o = `${parts.scheme}://*.${parts.base}${parts.port}`;
      return parts.apex ? `Write \`'${o}'\` (and \`'${parts.scheme}://${parts.base}${parts.port}'\` if the bare domain is needed).` : `Write \`'${o}'\` with the dot after \`*\`.`;
    }
    case 'check': {
      const host = parts.family
        ? `(hostname === '${parts.base}' || hostname.endsWith('.${parts.base}'))`
        : `hostname === '${parts.host}'`;
      return (
        `Compare whole values instead: \`const { protocol, hostname } = new URL(origin); ` +
        `protocol === '${parts.scheme}:' && ${host}\`, or use an allowlist of exact origins.`
      );
    }
    default:
      break;
  }
  return 'Match the whole origin: scheme, full host and port, anchored at both ends, with dots escaped.';
}

interface FixParts {
  scheme: string;
  host: string;
  /** The domain the family of hosts shares. */
  base: string;
  /** The entry means a family of hosts (subdomains), not one host. */
  family: boolean;
  /** The family includes the bare domain (`example\.com$` means example.com and its subdomains). */
  apex: boolean;
  hostRe: string;
  port: string;
  portRe: string;
}

function fixParts(seed: Seed): FixParts | undefined {
  const p = parseOrigin(seed.origin);
  if (!p) return undefined;
  const scheme = p.scheme === 'http' && !isLoopback(p.hostname) ? 'https' : p.scheme;
  const domain = hostInfo(p.hostname).domain ?? p.hostname;
  const port = p.port ? `:${p.port}` : '';
  const portRe = p.port ? `:${p.port}` : '';
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (p.hostname === domain && !seed.variableHost) {
    // `/example\.com$/`: the author meant the domain, and probably its subdomains.
    return { scheme, host: p.hostname, base: domain, family: true, apex: true, hostRe: `([a-z0-9-]+\\.)?${esc(domain)}`, port, portRe };
  }
  if (seed.variableHost) {
    const labels = p.hostname.split('.');
    const base = labels.length > domain.split('.').length ? labels.slice(1).join('.') : domain;
    const apex = base === p.hostname;
    return { scheme, host: p.hostname, base, family: true, apex, hostRe: apex ? `([a-z0-9-]+\\.)?${esc(base)}` : `[a-z0-9-]+\\.${esc(base)}`, port, portRe };
  }
  return { scheme, host: p.hostname, base: domain, family: false, apex: false, hostRe: esc(p.hostname), port, portRe };
}

type RegexEntry = Extract<OriginEntry, { kind: 'regex' }>;

/**
 * The entry's own pattern with a scheme if it lacks one, dots between name
 * characters escaped and both ends anchored — returned only when the probes
 * confirm it still accepts the trusted origin and no attacker origin.
 */
function tightened(entry: RegexEntry, seed: Seed | undefined): string | undefined {
  // A pattern written for one host or a bare domain is better served by the synthesized fix (which keeps subdomains).
  if (!seed?.variableHost) return undefined;
  const pcre = entry.flavor === 'pcre' ? splitPcreDelimiters(entry.source) : undefined;
  if (entry.flavor === 'pcre' && !pcre) return undefined;
  let body = pcre ? pcre.body : entry.source;
  body = body.replace(/^(\^|\\A)/, '').replace(/(\$|\\[zZ])$/, '');
  if (!/^\(?(\?:)?(https?|\w+:|\[)/i.test(body)) body = `https://${body}`;
  body = `^${body.replace(/(?<=[a-z0-9])\.(?=[a-z0-9])/gi, '\\.')}$`;
  const flags = pcre ? pcre.flags : entry.flags.replace(/[gy]/g, '');
  const source = pcre ? `${pcre.delimiter}${body}${closing(pcre.delimiter)}${flags}` : body;
  if (testRegex(source, flags, entry.flavor, seed.origin) !== true) return undefined;
  const { probes } = generateProbes([{ ...entry, source }]);
  const safe = probes.every((p) => !p.attacker || testRegex(source, flags, entry.flavor, p.origin) === false);
  return safe ? body : undefined;
}

function closing(open: string): string {
  return ({ '(': ')', '[': ']', '{': '}', '<': '>' } as Record<string, string>)[open] ?? open;
}

/** Escape the slashes a `/…/` literal needs, leaving those the author escaped already. */
function escapeSlashes(body: string): string {
  return body.replace(/(?<!\\)\//g, '\\/');
}
