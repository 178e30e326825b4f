import { describe, expect, it } from 'vitest';
import type { CorsRequest, CorsResponse, Loc, OriginEntry, Policy, Val } from '../../src/model/index.js';
import { headerValues, known, unknown } from '../../src/model/index.js';
import { DJANGO_DEFAULT_METHODS, djangoDefaultHeaders, urlsplit } from '../../src/semantics/django.js';
import { evaluate } from '../../src/semantics/index.js';

const at = (line: number): Loc => ({ file: 'settings.py', line, column: 1, endLine: line, endColumn: 10 });

interface Opts {
  allowAll?: boolean;
  list?: string[];
  regexes?: string[];
  credentials?: boolean;
  version?: string;
  maxAge?: number | null;
  expose?: string[];
  urlsRegex?: string;
  privateNetwork?: boolean;
  middleware?: string[];
  origins?: Val<OriginEntry[]>;
}

function policy(o: Opts): Policy {
  const entries: OriginEntry[] = [];
  if (o.allowAll) entries.push({ kind: 'any', loc: at(1) });
  for (const [i, origin] of (o.list ?? []).entries()) entries.push({ kind: 'exact', origin, loc: at(10 + i) });
  for (const [i, source] of (o.regexes ?? []).entries()) entries.push({ kind: 'regex', source, flags: '', flavor: 'python-match', loc: at(20 + i) });
  const extra: Record<string, Val<unknown>> = {
    urlsRegex: o.urlsRegex === undefined ? known('^.*$', at(1), true) : known(o.urlsRegex, at(3)),
    allowPrivateNetwork: known(o.privateNetwork ?? false, at(4), o.privateNetwork === undefined),
  };
  if (o.middleware) extra.middleware = known(o.middleware.map((name, i) => ({ name, loc: at(30 + i) })), at(29));
  const p: Policy = {
    framework: 'django',
    layer: 'app',
    scope: o.urlsRegex ? { urlRegex: o.urlsRegex } : {},
    loc: at(1),
    origins: o.origins ?? known(entries, at(1)),
    originForm: 'list',
    credentials: known(o.credentials ?? false, at(2), o.credentials === undefined),
    methods: known(DJANGO_DEFAULT_METHODS, at(1), true),
    allowHeaders: known(djangoDefaultHeaders(o.version), at(1), true),
    exposeHeaders: known(o.expose ?? [], at(5), !o.expose),
    maxAge: o.maxAge === undefined ? known(86400, at(1), true) : known(o.maxAge, at(6)),
    headers: [],
    unknownOptions: [],
    extra,
  };
  if (o.version) p.version = o.version;
  return p;
}

const get = (origin: string, extra: Partial<CorsRequest> = {}): CorsRequest => ({ origin, credentialed: true, preflight: false, method: 'GET', ...extra });
const preflight = (origin: string, extra: Partial<CorsRequest> = {}): CorsRequest => ({ origin, credentialed: true, preflight: true, method: 'OPTIONS', ...extra });

function answer(p: Policy, r: CorsRequest): CorsResponse & { known: true } {
  const ev = evaluate(p, r);
  if (!ev.response.known) throw new Error(`unknown: ${ev.response.reason}`);
  return ev.response;
}

const acao = (res: CorsResponse) => headerValues(res, 'access-control-allow-origin');
const acac = (res: CorsResponse) => headerValues(res, 'access-control-allow-credentials');
const vary = (res: CorsResponse) => headerValues(res, 'vary');

const EVIL = 'https://evil.example';

describe('django-cors-headers semantics (newest, 4.9)', () => {
  it('allow-all without credentials sends *', () => {
    const res = answer(policy({ allowAll: true }), get(EVIL));
    expect(acao(res)).toEqual(['*']);
    expect(acac(res)).toEqual([]);
    expect(vary(res)).toEqual(['origin']);
    expect(res.headers.find((h) => h.name === 'access-control-allow-origin')?.loc?.line).toBe(1);
  });

  it('allow-all with credentials reflects any origin, null included, with credentials', () => {
    const p = policy({ allowAll: true, credentials: true });
    expect(acao(answer(p, get(EVIL)))).toEqual([EVIL]);
    expect(acac(answer(p, get(EVIL)))).toEqual(['true']);
    expect(acao(answer(p, get('null')))).toEqual(['null']);
  });

  it('an allowlist compares urlsplit scheme (case-insensitive) and netloc (case-sensitive)', () => {
    const p = policy({ list: ['https://app.example.com', 'https://api.example.com:8443/'], credentials: true });
    expect(acao(answer(p, get('https://app.example.com')))).toEqual(['https://app.example.com']);
    expect(acao(answer(p, get('HTTPS://app.example.com')))).toEqual(['HTTPS://app.example.com']);
    expect(acao(answer(p, get('https://APP.example.com')))).toEqual([]);
    expect(acao(answer(p, get('http://app.example.com')))).toEqual([]);
    expect(acao(answer(p, get('https://app.example.com:443')))).toEqual([]);
    // A listed path does not matter to the comparison.
    expect(acao(answer(p, get('https://api.example.com:8443')))).toEqual(['https://api.example.com:8443']);
  });

  it('since 4.3.0 credentials go only to allowed origins', () => {
    const p = policy({ list: ['https://app.example.com'], credentials: true });
    const res = answer(p, get(EVIL));
    expect(acao(res)).toEqual([]);
    expect(acac(res)).toEqual([]);
    expect(vary(res)).toEqual(['origin']);
    expect(acac(answer(p, get('https://app.example.com')))).toEqual(['true']);
  });

  it('null only when literally listed (or an entry has neither scheme nor host)', () => {
    expect(acao(answer(policy({ list: ['https://app.example.com'] }), get('null')))).toEqual([]);
    expect(acao(answer(policy({ list: ['null'] }), get('null')))).toEqual(['null']);
    // urlsplit('app.example.com') has an empty scheme and netloc, like urlsplit('null').
    expect(acao(answer(policy({ list: ['app.example.com'] }), get('null')))).toEqual(['null']);
  });

  it('regexes use re.match: anchored at the start only', () => {
    const open = policy({ regexes: ['^https://\\w+\\.example\\.com'], credentials: true });
    expect(acao(answer(open, get('https://app.example.com.evil.example')))).toEqual(['https://app.example.com.evil.example']);
    const closed = policy({ regexes: ['^https://\\w+\\.example\\.com$'] });
    expect(acao(answer(closed, get('https://app.example.com.evil.example')))).toEqual([]);
    const noCaret = policy({ regexes: ['https://app\\.example\\.com$'] });
    expect(acao(answer(noCaret, get('xhttps://app.example.com')))).toEqual([]);
  });

  it('a preflight is 200 with the allow headers only for allowed origins', () => {
    const p = policy({ list: ['https://app.example.com'], maxAge: 600, expose: ['X-Id', 'X-Other'] });
    const ok = answer(p, preflight('https://app.example.com'));
    expect(ok.status).toBe(200);
    expect(headerValues(ok, 'access-control-allow-methods')).toEqual(['DELETE, GET, OPTIONS, PATCH, POST, PUT']);
    expect(headerValues(ok, 'access-control-allow-headers')).toEqual(['accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with']);
    expect(headerValues(ok, 'access-control-max-age')).toEqual(['600']);
    expect(headerValues(ok, 'access-control-expose-headers')).toEqual(['X-Id, X-Other']);
    const no = answer(p, preflight(EVIL));
    expect(no.status).toBe(200);
    expect(no.headers.map((h) => h.name)).toEqual(['vary']);
  });

  it('max-age 0 (or None) sends no Access-Control-Max-Age; the default is 86400', () => {
    expect(headerValues(answer(policy({ allowAll: true, maxAge: null }), preflight(EVIL)), 'access-control-max-age')).toEqual([]);
    expect(headerValues(answer(policy({ allowAll: true }), preflight(EVIL)), 'access-control-max-age')).toEqual(['86400']);
  });

  it('private network access is answered when enabled and asked for', () => {
    const p = policy({ allowAll: true, privateNetwork: true });
    expect(headerValues(answer(p, preflight(EVIL, { privateNetwork: true })), 'access-control-allow-private-network')).toEqual(['true']);
    expect(headerValues(answer(p, preflight(EVIL)), 'access-control-allow-private-network')).toEqual([]);
  });

  it('outside CORS_URLS_REGEX nothing is added, not even Vary', () => {
    const p = policy({ allowAll: true, urlsRegex: '^/api/' });
    expect(answer(p, get(EVIL, { path: '/admin/' })).headers).toEqual([]);
    expect(acao(answer(p, get(EVIL, { path: '/api/users' })))).toEqual(['*']);
    // Without a path the request is taken to be one CORS covers.
    expect(acao(answer(p, get(EVIL)))).toEqual(['*']);
  });

  it('without CorsMiddleware in a known MIDDLEWARE nothing answers', () => {
    expect(answer(policy({ allowAll: true, middleware: ['django.middleware.common.CommonMiddleware'] }), get(EVIL)).headers).toEqual([]);
    expect(acao(answer(policy({ allowAll: true, middleware: ['corsheaders.middleware.CorsMiddleware'] }), get(EVIL)))).toEqual(['*']);
  });

  it('an unknown allow-all with a written fallback answers in the fallback world', () => {
    const p = policy({ origins: unknown("env.bool('ALL')", at(1), [{ kind: 'any', loc: at(1) }], 'ALL'), credentials: true });
    const ev = evaluate(p, get(EVIL));
    expect(ev.world).toBe('fallback');
    expect(ev.assumption).toBe('when ALL is unset');
    expect(acao(ev.response)).toEqual([EVIL]);
    const blind = evaluate(policy({ origins: unknown("os.environ['O']", at(1)) }), get(EVIL));
    expect(blind.response.known).toBe(false);
  });
});

describe('django-cors-headers semantics by version', () => {
  it('before 4.3.0 every response with an Origin gets Allow-Credentials', () => {
    for (const version of ['3.14.0', '4.2.0']) {
      const res = answer(policy({ list: ['https://app.example.com'], credentials: true, version }), get(EVIL));
      expect(acao(res)).toEqual([]);
      expect(acac(res)).toEqual(['true']);
    }
    expect(acac(answer(policy({ list: ['https://app.example.com'], credentials: true, version: '4.3.0' }), get(EVIL)))).toEqual([]);
  });

  it('3.x writes Vary: Origin, lists more default headers and knows no private network', () => {
    const p = policy({ allowAll: true, privateNetwork: true, version: '3.14.0' });
    const res = answer(p, preflight(EVIL, { privateNetwork: true }));
    expect(vary(res)).toEqual(['Origin']);
    expect(headerValues(res, 'access-control-allow-headers')).toEqual([
      'accept, accept-encoding, authorization, content-type, dnt, origin, user-agent, x-csrftoken, x-requested-with',
    ]);
    expect(headerValues(res, 'access-control-allow-private-network')).toEqual([]);
  });

  it('before 3.0 the whitelist holds hosts, compared with the netloc whatever the scheme', () => {
    const p = policy({ list: ['app.example.com'], version: '2.5.3' });
    expect(acao(answer(p, get('http://app.example.com')))).toEqual(['http://app.example.com']);
    expect(acao(answer(p, get('https://app.example.com')))).toEqual(['https://app.example.com']);
    expect(acao(answer(p, get(EVIL)))).toEqual([]);
  });
});

describe('urlsplit (CPython 3.11)', () => {
  it('splits scheme and netloc like Python', () => {
    expect(urlsplit('HTTPS://App.example.com:8443/x?y#z')).toEqual({ scheme: 'https', netloc: 'App.example.com:8443', path: '/x' });
    expect(urlsplit('null')).toEqual({ scheme: '', netloc: '', path: 'null' });
    expect(urlsplit('file://')).toEqual({ scheme: 'file', netloc: '', path: '' });
    expect(urlsplit('  https://a.example\t.com')).toEqual({ scheme: 'https', netloc: 'a.example.com', path: '' });
    expect(urlsplit('1http://a')).toEqual({ scheme: '', netloc: '', path: '1http://a' });
  });

  it('fails where Python raises ValueError', () => {
    expect(urlsplit('https://[::1')).toBeUndefined();
    expect(urlsplit('https://::1]')).toBeUndefined();
  });
});
