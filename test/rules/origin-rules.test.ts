import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { isDevelopmentPath } from '../../rules/dev-origin.js';
import { isTrusted } from '../../rules/untrusted-origin.js';
import { runRules } from '../../src/engine/run-rules.js';
import type { Finding, OriginEntry, Policy, Severity } from '../../src/model/index.js';
import { known, unknown } from '../../src/model/index.js';

/** Express policies built by hand: the rules only see the model and the semantics. */
const L = (line: number, file = 'server/app.js') => ({ file, line, column: 5, endLine: line, endColumn: 30 });

function policy(entries: OriginEntry[], opts: { credentials?: boolean; maxAge?: number | null; allowHeaders?: string[]; file?: string } = {}): Policy {
  const file = opts.file ?? 'server/app.js';
  return {
    framework: 'express',
    layer: 'app',
    scope: {},
    loc: L(1, file),
    origins: known(entries, L(2, file)),
    originForm: 'list',
    credentials: known(opts.credentials ?? true, L(3, file)),
    methods: known(['GET', 'POST'], L(4, file), true),
    allowHeaders: opts.allowHeaders ? known(opts.allowHeaders, L(5, file)) : known([], L(5, file), true),
    exposeHeaders: known([], L(6, file), true),
    maxAge: opts.maxAge === undefined || opts.maxAge === null ? known(null, L(7, file), true) : known(opts.maxAge, L(7, file)),
    headers: [],
    unknownOptions: [],
  };
}

const regex = (source: string, line: number): OriginEntry => ({ kind: 'regex', source, flags: '', flavor: 'js', loc: L(line) });
const exact = (origin: string, line: number, file?: string): OriginEntry => ({ kind: 'exact', origin, loc: L(line, file) });
const check = (test: Extract<OriginEntry, { kind: 'check' }>['test'], description: string, line: number): OriginEntry => ({ kind: 'check', test, description, loc: L(line) });

function lintPolicies(policies: Policy[], opts: { trustedOrigins?: string[]; severities?: Record<string, Severity> } = {}): Finding[] {
  return runRules(allRules, {
    root: '/repo',
    cwd: '/repo',
    policies,
    facts: [],
    parseErrors: [],
    severities: opts.severities ?? {},
    trustedOrigins: opts.trustedOrigins,
  });
}

const ids = (fs: Finding[]) => fs.map((f) => `${f.line} ${f.ruleId}`);

describe('origin-pattern-bypass', () => {
  it('names the probe that passes and the anchored fix', () => {
    const [f] = lintPolicies([policy([regex('example\\.com$', 10)], { credentials: false })]).filter((x) => x.ruleId === 'origin-pattern-bypass');
    expect(f).toMatchObject({ line: 10, severity: 'error' });
    expect(f!.message).toContain('`/example\\.com$/` also accepts `https://evilexample.com`');
    expect(f!.message).toContain('Anchor it as `/^https:\\/\\/([a-z0-9-]+\\.)?example\\.com$/`');
  });

  it('reports each probe class on the pattern that lets it in', () => {
    const fs = lintPolicies([
      policy([regex('^https://app\\.example\\.com', 10)]),
      policy([regex('^https://app.example\\.com$', 11)]),
      policy([regex('^https://[a-z]+\\.co\\.uk$', 12)]),
    ]).filter((f) => f.ruleId === 'origin-pattern-bypass');
    expect(fs.map((f) => [f.line, /accepts `([^`]+)`/.exec(f.message)![1]])).toEqual([
      [10, 'https://app.example.com.evil.example'],
      [11, 'https://appxexample.com'],
      [12, 'https://evil.co.uk'],
    ]);
  });

  it('runs custom checks (OriginCheck) through the same probes', () => {
    const fs = lintPolicies([
      policy([check({ op: 'endsWith', value: 'example.com' }, "origin.endsWith('example.com')", 20)]),
      policy([check({ op: 'includes', value: 'app.example.com' }, "origin.indexOf('app.example.com') !== -1", 21)]),
      policy([check({ op: 'startsWith', value: 'https://app.example.com' }, "origin.startsWith('https://app.example.com')", 22)]),
      policy([check({ op: 'endsWith', value: '.example.com', subject: 'hostname' }, "new URL(origin).hostname.endsWith('.example.com')", 23)]),
      policy([check({ op: 'oneOf', values: ['https://a.example.com'] }, 'allowed.includes(origin)', 24)]),
    ]).filter((f) => f.ruleId === 'origin-pattern-bypass');
    expect(fs.map((f) => [f.line, /accepts `([^`]+)`/.exec(f.message)![1]])).toEqual([
      [20, 'https://evilexample.com'],
      [21, 'https://app.example.com.evil.example'],
      [22, 'https://app.example.com.evil.example'],
    ]);
    expect(fs[0]!.message).toContain("new URL(origin)");
  });

  it('leaves anchored, escaped patterns alone', () => {
    const fs = lintPolicies([
      policy([regex('^https://([a-z0-9-]+\\.)?example\\.com$', 10)]),
      policy([regex('^https://(app|admin)\\.example\\.com(:8443)?$', 11)]),
      policy([{ kind: 'wildcard', pattern: 'https://*.example.com', loc: L(12) }]),
    ]);
    expect(fs).toEqual([]);
  });

  it('stays quiet when every origin gets in: that is the reflection rules’ finding', () => {
    const fs = lintPolicies([policy([regex('.*', 10)])]);
    expect(ids(fs)).toEqual(['10 credentialed-reflected-origin']);
  });
});

describe('shared-host-origin', () => {
  it('reports a whole shared hosting domain, not one exact deployment (decision 4)', () => {
    const fs = lintPolicies([policy([exact('https://acme.vercel.app', 10), { kind: 'wildcard', pattern: 'https://*.vercel.app', loc: L(11) }, regex('^https://.*\\.github\\.io$', 12)])]);
    expect(ids(fs)).toEqual(['11 shared-host-origin', '12 shared-host-origin']);
    expect(fs[0]!.message).toContain('https://evil.vercel.app');
  });

  it('is a bypass when only look-alike names on the shared host get in', () => {
    const fs = lintPolicies([policy([regex('^https://.*acme\\.vercel\\.app$', 10)])]);
    expect(ids(fs)).toEqual(['10 origin-pattern-bypass']);
    expect(fs[0]!.message).toContain('https://evilacme.vercel.app');
  });
});

describe('null-origin', () => {
  it('reports an explicitly listed null', () => {
    const fs = lintPolicies([policy([exact('https://app.example.com', 10), exact('null', 11)])]);
    expect(ids(fs)).toEqual(['11 null-origin']);
    expect(fs[0]!.message).toContain("with the user's cookies");
  });

  it('leaves reflection to the reflection rules (decision 1)', () => {
    expect(ids(lintPolicies([policy([{ kind: 'reflect', loc: L(10) }])]))).toEqual(['10 credentialed-reflected-origin']);
  });
});

describe('insecure-origin and dev-origin', () => {
  it('reports http origins, directly or through a pattern, but not loopback (decision 9)', () => {
    const fs = lintPolicies([policy([exact('http://api.example.com', 10), regex('^https?://app\\.example\\.com$', 11), exact('http://localhost:3000', 12)])]);
    expect(ids(fs)).toEqual(['10 insecure-origin', '11 insecure-origin', '12 dev-origin']);
    expect(fs[0]!.message).toContain('Trust `https://api.example.com` instead');
  });

  it('ignores env fallbacks (decision 8)', () => {
    const p = policy([]);
    p.origins = unknown('process.env.CORS_ORIGIN', L(2), [exact('http://localhost:3000', 2), exact('http://staging.example.com', 2)], 'CORS_ORIGIN');
    expect(lintPolicies([p])).toEqual([]);
  });

  it('stays quiet in development configurations', () => {
    expect(ids(lintPolicies([policy([exact('http://localhost:3000', 10, 'config/dev/cors.js')], { file: 'config/dev/cors.js' })]))).toEqual([]);
    for (const p of ['config/dev/cors.php', 'settings_local.py', 'src/app.test.js', 'devServer.js', 'e2e/server.js', 'config/development.js']) expect(isDevelopmentPath(p), p).toBe(true);
    for (const p of ['src/devices.js', 'server/app.js', 'latest/config.py', 'localhost.js', 'contest.js']) expect(isDevelopmentPath(p), p).toBe(false);
  });
});

describe('untrusted-origin', () => {
  const p = () => policy([exact('https://app.example.com', 10), exact('https://partner.example.net', 11), regex('^https://app\\.example\\.com(:\\d+)?$', 12)]);

  it('is off until trustedOrigins is configured', () => {
    expect(lintPolicies([p()])).toEqual([]);
  });

  it('reports accepted origins outside trustedOrigins, ports and subdomains included', () => {
    const fs = lintPolicies([p()], { trustedOrigins: ['https://app.example.com'] });
    expect(ids(fs)).toEqual(['11 untrusted-origin', '12 untrusted-origin']);
    expect(fs[0]).toMatchObject({ severity: 'warning' });
    expect(fs[1]!.message).toContain('https://app.example.com:444');
  });

  it('matches exact origins and subdomain wildcards', () => {
    expect(isTrusted('https://a.b.example.com', ['https://*.example.com'])).toBe(true);
    expect(isTrusted('https://example.com', ['https://*.example.com'])).toBe(false);
    expect(isTrusted('http://a.example.com', ['https://*.example.com'])).toBe(false);
    expect(isTrusted('https://a.example.com:8443', ['https://*.example.com'])).toBe(false);
    expect(isTrusted('https://app.example.com', ['https://app.example.com'])).toBe(true);
  });
});

describe('excessive-max-age and credentialed-wildcard-list', () => {
  it('reports Max-Age above 86400 at the value', () => {
    expect(ids(lintPolicies([policy([exact('https://app.example.com', 10)], { maxAge: 604800 })]))).toEqual(['7 excessive-max-age']);
    expect(lintPolicies([policy([exact('https://app.example.com', 10)], { maxAge: 86400 })])).toEqual([]);
  });

  it('reports a literal * list only with credentials (decision 10)', () => {
    expect(ids(lintPolicies([policy([exact('https://app.example.com', 10)], { allowHeaders: ['*'] })]))).toEqual(['5 credentialed-wildcard-list']);
    expect(lintPolicies([policy([exact('https://app.example.com', 10)], { allowHeaders: ['*'], credentials: false })])).toEqual([]);
  });
});
