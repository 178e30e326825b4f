import { describe, expect, it } from 'vitest';
import type { OriginEntry } from '../../src/model/index.js';
import { derive, entrySeeds, generateProbes, hostInfo, isDevHost, isLoopback } from '../../src/probes/index.js';

const loc = { file: 'x.js', line: 1, column: 1, endLine: 1, endColumn: 2 };
const regex = (source: string, flavor: 'js' | 'python-match' | 'pcre' | 'nginx' = 'js', flags = ''): OriginEntry => ({ kind: 'regex', source, flags, flavor, loc });
const exact = (origin: string): OriginEntry => ({ kind: 'exact', origin, loc });
const seedsOf = (e: OriginEntry) => entrySeeds(e).map((s) => s.origin);

describe('trusted origins a pattern encodes', () => {
  it('samples regexes structurally, smallest choices first', () => {
    expect(seedsOf(regex('^https://([a-z0-9-]+\\.)?example\\.com$'))).toEqual(['https://example.com', 'https://app.example.com']);
    expect(seedsOf(regex('^https?://(www|admin)\\.example\\.org$'))).toEqual([
      'http://www.example.org',
      'http://admin.example.org',
      'https://www.example.org',
      'https://admin.example.org',
    ]);
  });

  it('fills in what an unanchored fragment leaves out', () => {
    expect(seedsOf(regex('example\\.com$'))).toEqual(['https://example.com']);
    expect(seedsOf(regex('\\.example\\.com$'))).toEqual(['https://app.example.com']);
    expect(seedsOf(regex('#^https://app\\.example\\.com(:\\d+)?\\z#', 'pcre'))).toEqual(['https://app.example.com', 'https://app.example.com:8080']);
  });

  it('samples a lone unescaped dot as the dot the author meant', () => {
    expect(seedsOf(regex('^https://app.example.com$'))).toEqual(['https://app.example.com']);
  });

  it('marks seeds whose host has a variable part', () => {
    const [seed] = entrySeeds(regex('^https://[a-z]+\\.example\\.com$'));
    expect(seed).toMatchObject({ origin: 'https://app.example.com', variableHost: true });
    expect(entrySeeds(exact('https://app.example.com'))[0]!.variableHost).toBe(false);
  });

  it('reads wildcards and custom checks', () => {
    expect(seedsOf({ kind: 'wildcard', pattern: 'https://*.example.com', loc })).toEqual(['https://app.example.com']);
    expect(seedsOf({ kind: 'wildcard', pattern: 'https://*example.com', loc })).toEqual(['https://example.com', 'https://appexample.com']);
    const check: OriginEntry = {
      kind: 'check',
      description: '...',
      loc,
      test: { op: 'or', args: [{ op: 'endsWith', value: '.example.com' }, { op: 'oneOf', values: ['https://partner.example.net'] }] },
    };
    expect(seedsOf(check)).toEqual(['https://app.example.com', 'https://partner.example.net']);
  });

  it('seeds a bare host entry under both schemes (old django-cors-headers compared hosts only)', () => {
    expect(seedsOf(exact('app.example.com'))).toEqual(['https://app.example.com', 'http://app.example.com']);
    expect(seedsOf(exact('localhost:4200'))).toEqual(['https://localhost:4200', 'http://localhost:4200']);
    expect(seedsOf(exact('not an origin'))).toEqual([]);
  });

  it('gives none for allow-all, reflection, null and undecidable predicates', () => {
    expect(seedsOf({ kind: 'any', loc })).toEqual([]);
    expect(seedsOf({ kind: 'reflect', loc })).toEqual([]);
    expect(seedsOf({ kind: 'predicate', description: 'isAllowed(origin)', loc })).toEqual([]);
    expect(seedsOf(exact('null'))).toEqual([]);
  });
});

describe('probes', () => {
  it('derives every probe class from a trusted origin', () => {
    expect(derive('https://app.example.com')).toEqual([
      ['https://app.example.com.evil.example', 'suffix'],
      ['https://evilapp.example.com', 'prefix'],
      ['https://evil-app.example.com', 'prefix'],
      ['https://evilexample.com', 'prefix'],
      ['https://evil-example.com', 'prefix'],
      ['https://appxexample.com', 'unescaped-dot'],
      ['https://evil.com', 'lookalike'],
      ['http://app.example.com', 'downgrade'],
      ['https://x.app.example.com', 'subdomain'],
      ['https://app.example.com:444', 'port'],
    ]);
  });

  it('uses the Public Suffix List for shared hosting and look-alikes', () => {
    expect(derive('https://acme.vercel.app')).toContainEqual(['https://evil.vercel.app', 'shared-host']);
    expect(derive('https://shop.example.co.uk')).toContainEqual(['https://evil.co.uk', 'lookalike']);
    expect(derive('https://shop.example.co.uk')).toContainEqual(['https://evilexample.co.uk', 'prefix']);
  });

  it('keeps IPs and ports sensible', () => {
    expect(derive('http://127.0.0.1:3000')).toEqual([['http://127.0.0.1:3001', 'port']]);
    expect(derive('https://[::1]')).toEqual([
      ['http://[::1]', 'downgrade'],
      ['https://[::1]:444', 'port'],
    ]);
  });

  it('always starts with the attacker site and null, then the trusted origins', () => {
    const set = generateProbes([exact('https://app.example.com')]);
    expect(set.probes.slice(0, 3).map((p) => [p.kind, p.origin])).toEqual([
      ['evil', 'https://evil.example'],
      ['null', 'null'],
      ['trusted', 'https://app.example.com'],
    ]);
  });

  it('marks as attacker only what someone else can register', () => {
    const set = generateProbes([exact('https://app.example.com'), exact('https://acme.vercel.app')]);
    const attacker = (o: string) => set.probes.find((p) => p.origin === o)!.attacker;
    expect(attacker('https://evil.example')).toBe(true);
    expect(attacker('null')).toBe(true);
    expect(attacker('https://app.example.com.evil.example')).toBe(true);
    expect(attacker('https://evilexample.com')).toBe(true);
    expect(attacker('https://appxexample.com')).toBe(true);
    expect(attacker('https://evil.vercel.app')).toBe(true);
    expect(attacker('https://evilacme.vercel.app')).toBe(true);
    // Subdomains of a trusted registrable domain, other ports and http belong to its owner.
    expect(attacker('https://evilapp.example.com')).toBe(false);
    expect(attacker('https://x.app.example.com')).toBe(false);
    expect(attacker('https://app.example.com:444')).toBe(false);
    expect(attacker('http://app.example.com')).toBe(false);
    expect(attacker('https://x.acme.vercel.app')).toBe(false);
  });

  it('adds the configured trustedOrigins as seeds', () => {
    const set = generateProbes([], ['https://*.example.org']);
    expect(set.probes.map((p) => p.origin)).toContain('https://app.example.org');
    expect(set.probes.map((p) => p.origin)).toContain('https://x.app.example.org');
  });

  it('stays bounded for huge allowlists', () => {
    const many = Array.from({ length: 500 }, (_, i) => exact(`https://app${i}.example.com`));
    const set = generateProbes(many);
    expect(set.probes.filter((p) => p.kind === 'trusted')).toHaveLength(500);
    expect(set.probes.length).toBeLessThan(1000);
    expect(Math.max(...set.probes.map((p) => p.origin.length))).toBeLessThan(120);
  });
});

describe('hosts', () => {
  it('classifies loopback and development hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '0.0.0.0', 'api.localhost']) expect(isLoopback(h), h).toBe(true);
    expect(isDevHost('printer.local')).toBe(true);
    expect(isLoopback('localhost.evil.example')).toBe(false);
    expect(isDevHost('app.example.com')).toBe(false);
  });

  it('reads registrable domains from the PSL, private section included', () => {
    expect(hostInfo('a.b.example.co.uk')).toMatchObject({ domain: 'example.co.uk', publicSuffix: 'co.uk', shared: false, registrable: true });
    expect(hostInfo('acme.github.io')).toMatchObject({ domain: 'acme.github.io', publicSuffix: 'github.io', shared: true });
    expect(hostInfo('app.internal').registrable).toBe(false);
  });
});
