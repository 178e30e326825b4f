import { describe, expect, it } from 'vitest';
import type { CorsRequest, CorsResponse, Loc, OriginEntry, Policy, RegexFlavor } from '../../src/model/index.js';
import { header, headerValues, known, unknown } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';

const at = (line: number): Loc => ({ file: 'main.py', line, column: 1, endLine: line, endColumn: 10 });

interface Opts {
  origins?: string[];
  asString?: string;
  regex?: string;
  flavor?: RegexFlavor;
  credentials?: boolean;
  methods?: string[];
  allowHeaders?: string[];
  expose?: string[];
  maxAge?: number | null;
  version?: string;
}

function policy(o: Opts): Policy {
  const entries: OriginEntry[] = [];
  for (const [i, origin] of (o.origins ?? []).entries()) entries.push(origin === '*' ? { kind: 'any', loc: at(10 + i) } : { kind: 'exact', origin, loc: at(10 + i) });
  if (o.asString !== undefined) entries.push({ kind: 'exact', origin: o.asString, loc: at(10) });
  if (o.regex) entries.push({ kind: 'regex', source: o.regex, flags: '', flavor: o.flavor ?? 'python-fullmatch', loc: at(20) });
  const p: Policy = {
    framework: 'starlette',
    layer: 'app',
    scope: {},
    loc: at(1),
    origins: known(entries, at(1)),
    originForm: 'list',
    credentials: known(o.credentials ?? false, at(2), o.credentials === undefined),
    methods: known(o.methods ?? ['GET'], at(3), !o.methods),
    allowHeaders: known(o.allowHeaders ?? [], at(4), !o.allowHeaders),
    exposeHeaders: known(o.expose ?? [], at(5), !o.expose),
    maxAge: known(o.maxAge === undefined ? 600 : o.maxAge, at(6), o.maxAge === undefined),
    headers: [],
    unknownOptions: [],
    extra: { originsString: known(o.asString !== undefined, at(10)) },
  };
  if (o.version) p.version = o.version;
  return p;
}

const get = (origin: string, cookie = false): CorsRequest => ({ origin, credentialed: cookie, cookie, preflight: false, method: 'GET' });
const preflight = (origin: string, extra: Partial<CorsRequest> = {}): CorsRequest => ({ origin, credentialed: false, preflight: true, method: 'GET', ...extra });

function answer(p: Policy, r: CorsRequest): CorsResponse & { known: true } {
  const ev = evaluate(p, r);
  if (!ev.response.known) throw new Error(`unknown: ${ev.response.reason}`);
  return ev.response;
}

const acao = (r: CorsResponse) => headerValues(r, 'access-control-allow-origin');
const acac = (r: CorsResponse) => headerValues(r, 'access-control-allow-credentials');
const vary = (r: CorsResponse) => headerValues(r, 'vary');

describe('starlette semantics: actual requests', () => {
  it("allow_origins=['*'] answers * without a cookie and echoes the Origin with one (Vary: Origin)", () => {
    const p = policy({ origins: ['*'] });
    expect(acao(answer(p, get('https://evil.example')))).toEqual(['*']);
    expect(vary(answer(p, get('https://evil.example')))).toEqual([]);
    const withCookie = answer(p, get('https://evil.example', true));
    expect(acao(withCookie)).toEqual(['https://evil.example']);
    expect(vary(withCookie)).toEqual(['Origin']);
    expect(acac(withCookie)).toEqual([]);
  });

  it('sends Access-Control-Allow-Credentials to every origin, allowed or not, and places it at the setting', () => {
    const p = policy({ origins: ['https://app.example.com'], credentials: true });
    const miss = answer(p, get('https://evil.example', true));
    expect(acao(miss)).toEqual([]);
    expect(acac(miss)).toEqual(['true']);
    expect(header(miss, 'access-control-allow-credentials')?.loc?.line).toBe(2);
    const hit = answer(p, get('https://app.example.com', true));
    expect(acao(hit)).toEqual(['https://app.example.com']);
    expect(header(hit, 'access-control-allow-origin')?.loc?.line).toBe(10);
  });

  it('compares listed origins exactly (case-sensitive) and sends Expose-Headers even on a miss', () => {
    const p = policy({ origins: ['https://app.example.com'], expose: ['X-Total'] });
    expect(acao(answer(p, get('https://APP.example.com')))).toEqual([]);
    expect(headerValues(answer(p, get('https://evil.example')), 'access-control-expose-headers')).toEqual(['X-Total']);
  });

  it('applies allow_origin_regex with fullmatch, or with re.match when the entry says so (< 0.13.1)', () => {
    const full = policy({ regex: 'https://[a-z]+\\.example\\.com' });
    expect(acao(answer(full, get('https://app.example.com')))).toEqual(['https://app.example.com']);
    expect(acao(answer(full, get('https://app.example.com.evil.example')))).toEqual([]);
    const match = policy({ regex: 'https://[a-z]+\\.example\\.com', flavor: 'python-match', version: '0.12.9' });
    expect(acao(answer(match, get('https://app.example.com.evil.example')))).toEqual(['https://app.example.com.evil.example']);
  });

  it('tests substrings when allow_origins is one string', () => {
    const p = policy({ asString: 'https://app.example.com,https://admin.example.com' });
    expect(acao(answer(p, get('https://admin.example.com')))).toEqual(['https://admin.example.com']);
    expect(acao(answer(p, get('https://app.example.co')))).toEqual(['https://app.example.co']);
    // A `*` anywhere in the string turns allow-all on.
    expect(acao(answer(policy({ asString: 'https://*.example.com' }), get('https://evil.example')))).toEqual(['*']);
  });

  it('answers nothing where the middleware is not installed (a `none` origin)', () => {
    const p = policy({ origins: ['*'], credentials: true });
    p.origins = unknown('ENV', at(1), [{ kind: 'none', loc: at(1) }], 'ENV');
    const ev = evaluate(p, get('https://evil.example', true));
    expect(ev.world).toBe('fallback');
    expect(ev.response.known && ev.response.headers).toEqual([]);
  });

  it('before 0.15.0 echoes a cookie request to allow-all without Vary', () => {
    const r = answer(policy({ origins: ['*'], version: '0.14.2' }), get('https://evil.example', true));
    expect(acao(r)).toEqual(['https://evil.example']);
    expect(vary(r)).toEqual([]);
  });
});

describe('starlette semantics: preflight', () => {
  it('allow-all without credentials answers *, with credentials the Origin (0.15+), with the fixed headers', () => {
    const plain = answer(policy({ origins: ['*'] }), preflight('https://evil.example'));
    expect(plain.status).toBe(200);
    expect(acao(plain)).toEqual(['*']);
    expect(vary(plain)).toEqual([]);
    const creds = answer(policy({ origins: ['*'], credentials: true }), preflight('https://evil.example'));
    expect(acao(creds)).toEqual(['https://evil.example']);
    expect(vary(creds)).toEqual(['Origin']);
    expect(acac(creds)).toEqual(['true']);
    expect(headerValues(creds, 'access-control-allow-methods')).toEqual(['GET']);
    expect(headerValues(creds, 'access-control-max-age')).toEqual(['600']);
    expect(headerValues(creds, 'access-control-allow-headers')).toEqual(['Accept, Accept-Language, Content-Language, Content-Type']);
  });

  it('answers * to allow-all preflights even with credentials before 0.15.0', () => {
    expect(acao(answer(policy({ origins: ['*'], credentials: true, version: '0.14.2' }), preflight('https://evil.example')))).toEqual(['*']);
  });

  it('refuses a disallowed origin, method or header with 400, keeping Vary and the fixed headers', () => {
    const p = policy({ origins: ['https://app.example.com'], credentials: true, methods: ['POST'] });
    const miss = answer(p, preflight('https://evil.example', { method: 'POST' }));
    expect(miss.status).toBe(400);
    expect(acao(miss)).toEqual([]);
    expect(acac(miss)).toEqual(['true']);
    expect(vary(miss)).toEqual(['Origin']);
    expect(answer(p, preflight('https://app.example.com', { method: 'PUT' })).status).toBe(400);
    const badHeader = answer(p, preflight('https://app.example.com', { method: 'POST', requestHeaders: 'content-type,x-custom' }));
    expect(badHeader.status).toBe(400);
    expect(acao(badHeader)).toEqual(['https://app.example.com']);
    expect(answer(p, preflight('https://app.example.com', { method: 'POST', requestHeaders: 'Content-Type' })).status).toBe(200);
  });

  it("echoes the requested headers for allow_headers=['*'] and lists every method for allow_methods=['*']", () => {
    const p = policy({ origins: ['https://app.example.com'], allowHeaders: ['*'], methods: ['*'] });
    const r = answer(p, preflight('https://app.example.com', { method: 'DELETE', requestHeaders: 'x-a,x-b' }));
    expect(r.status).toBe(200);
    expect(headerValues(r, 'access-control-allow-headers')).toEqual(['x-a,x-b']);
    expect(headerValues(r, 'access-control-allow-methods')).toEqual(['DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT']);
    const old = answer({ ...p, version: '0.14.2' }, preflight('https://app.example.com', { method: 'DELETE' }));
    expect(headerValues(old, 'access-control-allow-methods')).toEqual(['DELETE, GET, OPTIONS, PATCH, POST, PUT']);
  });

  it('merges the safelisted headers into Allow-Headers from 0.13.3 (sorted), not before', () => {
    const p = policy({ origins: ['https://app.example.com'], allowHeaders: ['x-token', 'Authorization'] });
    expect(headerValues(answer(p, preflight('https://app.example.com')), 'access-control-allow-headers')).toEqual([
      'Accept, Accept-Language, Authorization, Content-Language, Content-Type, x-token',
    ]);
    const old = { ...p, version: '0.13.2' };
    expect(headerValues(answer(old, preflight('https://app.example.com')), 'access-control-allow-headers')).toEqual(['x-token, Authorization']);
    expect(answer(old, preflight('https://app.example.com', { requestHeaders: 'content-type' })).status).toBe(400);
  });

  it('sends max_age=None as the string None', () => {
    expect(headerValues(answer(policy({ origins: ['*'], maxAge: null }), preflight('https://a.example')), 'access-control-max-age')).toEqual(['None']);
  });
});
