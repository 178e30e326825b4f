import { describe, expect, it } from 'vitest';
import type { CorsRequest, CorsResponse, Loc, OriginEntry, Policy, Val } from '../../src/model/index.js';
import { header, headerValues, known } from '../../src/model/index.js';
import { FLASK_ALL_METHODS, probablyRegex, serializeMethods } from '../../src/semantics/flask.js';
import { evaluate } from '../../src/semantics/index.js';

const at = (line: number): Loc => ({ file: 'app.py', line, column: 1, endLine: line, endColumn: 10 });

interface Opts {
  origins?: (string | { regex: string; flags?: string })[];
  credentials?: boolean;
  sendWildcard?: boolean;
  varyHeader?: boolean;
  privateNetwork?: boolean;
  methods?: string[];
  allowHeaders?: string[];
  expose?: string[];
  maxAge?: number | null;
  urlRegex?: string;
  version?: string;
}

function policy(o: Opts): Policy {
  const entries: OriginEntry[] = (o.origins ?? ['*']).map((x, i) => {
    if (typeof x !== 'string') return { kind: 'regex', source: x.regex, flags: x.flags ?? 'i', flavor: 'python-match', loc: at(10 + i) };
    if (x === '*') return { kind: 'any', loc: at(10 + i) };
    return probablyRegex(x) ? { kind: 'regex', source: x, flags: 'i', flavor: 'python-match', loc: at(10 + i) } : { kind: 'exact', origin: x, loc: at(10 + i) };
  });
  const extra: Record<string, Val<unknown>> = {};
  if (o.sendWildcard !== undefined) extra.sendWildcard = known(o.sendWildcard, at(3));
  if (o.varyHeader !== undefined) extra.varyHeader = known(o.varyHeader, at(4));
  if (o.privateNetwork !== undefined) extra.allowPrivateNetwork = known(o.privateNetwork, at(5));
  const p: Policy = {
    framework: 'flask',
    layer: 'app',
    scope: o.urlRegex ? { urlRegex: o.urlRegex } : {},
    loc: at(1),
    origins: known(entries, at(1), !o.origins),
    originForm: 'list',
    credentials: known(o.credentials ?? false, at(2), o.credentials === undefined),
    methods: known(o.methods ?? FLASK_ALL_METHODS, at(6), !o.methods),
    allowHeaders: known(o.allowHeaders ?? ['*'], at(7), !o.allowHeaders),
    exposeHeaders: known(o.expose ?? [], at(8), !o.expose),
    maxAge: known(o.maxAge ?? null, at(9), o.maxAge === undefined),
    headers: [],
    unknownOptions: [],
    extra,
  };
  if (o.version) p.version = o.version;
  return p;
}

const get = (origin: string, extra: Partial<CorsRequest> = {}): CorsRequest => ({ origin, credentialed: true, cookie: true, preflight: false, method: 'GET', ...extra });
const preflight = (origin: string, extra: Partial<CorsRequest> = {}): CorsRequest => ({ origin, credentialed: true, preflight: true, method: 'GET', ...extra });

function answer(p: Policy, r: CorsRequest): CorsResponse & { known: true } {
  const ev = evaluate(p, r);
  if (!ev.response.known) throw new Error(`unknown: ${ev.response.reason}`);
  return ev.response;
}

const acao = (r: CorsResponse) => headerValues(r, 'access-control-allow-origin');
const vary = (r: CorsResponse) => headerValues(r, 'vary');

describe('flask-cors semantics: origins', () => {
  it('echoes every Origin for the default origins, null included, with Vary: Origin', () => {
    const p = policy({});
    for (const o of ['https://evil.example', 'null']) {
      const r = answer(p, get(o));
      expect(acao(r)).toEqual([o]);
      expect(vary(r)).toEqual(['Origin']);
    }
  });

  it('sends ACAC only together with an allowed origin', () => {
    const p = policy({ origins: ['https://app.example.com'], credentials: true });
    expect(headerValues(answer(p, get('https://app.example.com')), 'access-control-allow-credentials')).toEqual(['true']);
    expect(answer(p, get('https://evil.example')).headers).toEqual([]);
  });

  it('compares plain origins case-insensitively and echoes the request, without Vary for a single one', () => {
    const one = answer(policy({ origins: ['https://app.example.com'] }), get('https://APP.Example.com'));
    expect(acao(one)).toEqual(['https://APP.Example.com']);
    expect(vary(one)).toEqual([]);
    expect(vary(answer(policy({ origins: ['https://app.example.com', 'https://b.example.com'] }), get('https://app.example.com')))).toEqual(['Origin']);
  });

  it('matches pattern strings with re.match and IGNORECASE (start-anchored only)', () => {
    const p = policy({ origins: ['https://.*\\.example\\.com'] });
    expect(acao(answer(p, get('https://APP.EXAMPLE.COM')))).toEqual(['https://APP.EXAMPLE.COM']);
    expect(acao(answer(p, get('https://app.example.com.evil.example')))).toEqual(['https://app.example.com.evil.example']);
    expect(vary(answer(p, get('https://app.example.com')))).toEqual(['Origin']);
    // A compiled pattern keeps only its own flags.
    expect(acao(answer(policy({ origins: [{ regex: 'https://app', flags: '' }] }), get('https://APP.example.com')))).toEqual([]);
  });

  it('sends * with send_wildcard (no Vary), and nothing at all when credentials make Flask-CORS raise', () => {
    const r = answer(policy({ sendWildcard: true }), get('https://evil.example'));
    expect(acao(r)).toEqual(['*']);
    expect(vary(r)).toEqual([]);
    expect(header(r, 'access-control-allow-origin')?.loc?.line).toBe(10);
    const broken = answer(policy({ sendWildcard: true, credentials: true }), get('https://evil.example'));
    expect(broken.headers).toEqual([]);
    expect(broken.status).toBe(500);
  });

  it('sends no Vary when vary_header is off', () => {
    expect(vary(answer(policy({ varyHeader: false }), get('https://evil.example')))).toEqual([]);
  });

  it('answers only on paths its resource pattern matches (re.match; case-insensitive before 6.0)', () => {
    const p = policy({ urlRegex: '/api/*' });
    expect(acao(answer(p, get('https://evil.example', { path: '/api/items' })))).toEqual(['https://evil.example']);
    expect(answer(p, get('https://evil.example', { path: '/other' })).headers).toEqual([]);
    expect(answer(p, get('https://evil.example', { path: '/API/items' })).headers).toEqual([]);
    expect(acao(answer({ ...p, version: '5.0.1' }, get('https://evil.example', { path: '/API/items' })))).toEqual(['https://evil.example']);
  });
});

describe('flask-cors semantics: preflight', () => {
  it('adds methods, matching requested headers (sorted) and max-age when the requested method is allowed', () => {
    const p = policy({ origins: ['https://app.example.com'], allowHeaders: ['Content-Type', 'X-Request-.*'], maxAge: 600, methods: ['post', 'GET'] });
    const r = answer(p, preflight('https://app.example.com', { method: 'POST', requestHeaders: 'x-request-id, content-type, x-other' }));
    expect(r.status).toBe(200);
    expect(headerValues(r, 'access-control-allow-methods')).toEqual(['GET, POST']);
    expect(headerValues(r, 'access-control-allow-headers')).toEqual(['content-type, x-request-id']);
    expect(headerValues(r, 'access-control-max-age')).toEqual(['600']);
    const refused = answer(p, preflight('https://app.example.com', { method: 'PUT' }));
    expect(acao(refused)).toEqual(['https://app.example.com']);
    expect(headerValues(refused, 'access-control-allow-methods')).toEqual([]);
  });

  it('sorts and upper-cases a method list the way flexible_str does', () => {
    expect(serializeMethods(FLASK_ALL_METHODS)).toBe('DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT');
    expect(serializeMethods(['get,post'])).toBe('GET,POST');
  });

  it('answers Access-Control-Request-Private-Network by release', () => {
    const ask = preflight('https://app.example.com', { privateNetwork: true });
    const pna = (p: Policy) => headerValues(answer(p, ask), 'access-control-allow-private-network');
    const base = { origins: ['https://app.example.com'] };
    expect(pna(policy({ ...base, version: '3.0.10' }))).toEqual([]);
    expect(pna(policy({ ...base, version: '4.0.1' }))).toEqual(['true']);
    expect(pna(policy({ ...base, version: '4.0.2' }))).toEqual(['true']);
    expect(pna(policy({ ...base, version: '5.0.0' }))).toEqual(['false']);
    expect(pna(policy({ ...base, privateNetwork: true }))).toEqual(['true']);
  });
});
