import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/extractors/nginx/conf.js';
import { parseNginx } from '../../src/extractors/nginx/parser.js';
import { buildPolicies } from '../../src/extractors/nginx/policies.js';
import type { CorsRequest, CorsResponse, Policy, ResponseHeader } from '../../src/model/index.js';
import { evaluate } from '../../src/semantics/index.js';
import { droppedCorsHeaders, nginxUpstreams, programOf } from '../../src/semantics/nginx.js';

const EVIL = 'https://evil.example';
const APP = 'https://app.example.com';

function policies(text: string): Policy[] {
  return buildPolicies(buildConfig(parseNginx(text, 'n.conf').directives));
}

/** The single policy of a config (or the one whose label contains `pick`). */
function policy(text: string, pick?: string): Policy {
  const ps = policies(text).filter((p) => !pick || programOf(p)!.label.includes(pick));
  expect(ps, ps.map((p) => programOf(p)!.label).join(' | ')).toHaveLength(1);
  return ps[0]!;
}

function answer(p: Policy, req: Partial<CorsRequest> = {}): Extract<CorsResponse, { known: true }> {
  const res = evaluate(p, { origin: EVIL, credentialed: false, preflight: false, method: 'GET', ...req }).response;
  if (!res.known) throw new Error(`unknown: ${res.reason}`);
  return res;
}

const values = (res: { headers: ResponseHeader[] }, name: string) => res.headers.filter((h) => h.name === name).map((h) => h.value);
const acao = (res: { headers: ResponseHeader[] }) => res.headers.find((h) => h.name === 'access-control-allow-origin');

describe('add_header inheritance (ngx_http_headers_merge_conf)', () => {
  const server = (inner: string) => `server {\n  add_header Access-Control-Allow-Origin ${APP} always;\n  add_header X-Server 1 always;\n  location /a/ {\n${inner}\n    return 200;\n  }\n}`;

  it('inherits the outer list only when a level has none of its own', () => {
    expect(values(answer(policy(server(''), '/a/')), 'access-control-allow-origin')).toEqual([APP]);
    const own = policy(server('    add_header X-Own 1 always;'), '/a/');
    expect(answer(own).headers.map((h) => h.name)).toEqual(['x-own']);
    const d = droppedCorsHeaders(own);
    expect(d).toHaveLength(1);
    expect(d[0]!.at.name).toBe('X-Own');
    expect(d[0]!.dropped.map((h) => h.loc.line)).toEqual([2]);
  });

  it('merges with add_header_inherit merge: own headers first, then the inherited ones', () => {
    const p = policy(server('    add_header_inherit merge;\n    add_header X-Own 1 always;'), '/a/');
    expect(answer(p).headers.map((h) => h.name)).toEqual(['x-own', 'access-control-allow-origin', 'x-server']);
    expect(droppedCorsHeaders(p)).toEqual([]);
  });

  it('inherits the inherit mode itself, and off drops even without own headers', () => {
    const merge = `http {\n add_header_inherit merge;\n add_header Access-Control-Allow-Origin * always;\n server {\n  location / { add_header X 1 always; return 200; }\n }\n}`;
    expect(answer(policy(merge, 'location /')).headers.map((h) => h.name)).toEqual(['x', 'access-control-allow-origin']);
    const off = `server {\n add_header Access-Control-Allow-Origin * always;\n location / { add_header_inherit off; return 200; }\n}`;
    expect(policies(off).find((p) => programOf(p)!.label.includes('location /'))).toBeUndefined();
  });

  it('lets the last matching if decide the configuration', () => {
    const text = `map $http_origin $a { default 0; "${APP}" 1; }\nserver {\n location / {\n  add_header Access-Control-Allow-Origin base always;\n  if ($a) { add_header Access-Control-Allow-Origin one always; }\n  if ($http_origin ~ app) { add_header Access-Control-Allow-Origin two always; }\n  return 200;\n }\n}`;
    const p = policy(text);
    expect(values(answer(p, { origin: APP }), 'access-control-allow-origin')).toEqual(['two']);
    expect(values(answer(p, { origin: EVIL }), 'access-control-allow-origin')).toEqual(['base']);
    expect(values(answer(p, { origin: 'https://APP.example.com' }), 'access-control-allow-origin')).toEqual(['one']);
  });
});

describe('statuses and values', () => {
  const text = `server {\n location / {\n  add_header Access-Control-Allow-Origin ${APP};\n  add_header Access-Control-Allow-Credentials true always;\n  add_header X-Empty "";\n  proxy_pass http://127.0.0.1:3000;\n }\n}`;

  it('sends add_header without always only with success statuses', () => {
    const p = policy(text);
    for (const status of [200, 201, 204, 206, 301, 302, 303, 304, 307, 308]) expect(acao(answer(p, { status }))?.value).toBe(APP);
    for (const status of [400, 401, 403, 404, 405, 500, 502]) {
      const res = answer(p, { status });
      expect(acao(res)).toBeUndefined();
      expect(values(res, 'access-control-allow-credentials')).toEqual(['true']);
    }
  });

  it('never sends an empty value', () => {
    expect(answer(policy(text)).headers.some((h) => h.name === 'x-empty')).toBe(false);
  });

  it('answers with the status of `return`, and 405 to a preflight of static files', () => {
    const ret = policy(`server { location / { add_header Access-Control-Allow-Origin * ; return 204; } }`);
    expect(answer(ret, { status: 500 })).toMatchObject({ status: 204 });
    expect(acao(answer(ret, { status: 500 }))?.value).toBe('*');
    const stat = policy(`server { location / { add_header Access-Control-Allow-Origin *; root /srv; } }`);
    expect(answer(stat, { preflight: true })).toMatchObject({ status: 405 });
    expect(acao(answer(stat, { preflight: true }))).toBeUndefined();
    expect(answer(stat)).toMatchObject({ status: 200 });
  });

  it('sends the same header twice when it is added twice', () => {
    const p = policy(`server { location / { add_header Access-Control-Allow-Origin a always; add_header access-control-allow-origin b always; return 200; } }`);
    expect(values(answer(p), 'access-control-allow-origin')).toEqual(['a', 'b']);
  });
});

describe('origin values', () => {
  it('reflects $http_origin at the add_header (decision 2)', () => {
    const p = policy(`server {\n location / {\n  add_header Access-Control-Allow-Origin $http_origin always;\n  return 200;\n }\n}`);
    const h = acao(answer(p))!;
    expect(h.value).toBe(EVIL);
    expect(h.loc!.line).toBe(3);
    expect(p.origins).toMatchObject({ known: true, value: [{ kind: 'reflect' }] });
  });

  it('reports a copy through set at the set', () => {
    const p = policy(`server {\n set $o $http_origin;\n set $copy $o;\n location / {\n  add_header Access-Control-Allow-Origin $copy always;\n  return 200;\n }\n}`);
    const h = acao(answer(p))!;
    expect(h.value).toBe(EVIL);
    expect(h.loc!.line).toBe(2);
    expect(h.emittedBy!.line).toBe(5);
  });

  it('looks maps up like ngx_http_map_find: exact keys without case, then regexes in order, then default', () => {
    const text = [
      'map $http_origin $cors {',
      '  default "";',
      `  "${APP}" $http_origin;`,
      '  ~^https://b\\.example\\.com $http_origin;',
      '  "~*^https://(c)\\.example\\.com$" "https://$1.example.com";',
      '}',
      'server { location / { add_header Access-Control-Allow-Origin $cors always; return 200; } }',
    ].join('\n');
    const p = policy(text);
    const get = (origin: string) => acao(answer(p, { origin }));
    expect(get('https://APP.Example.com')).toMatchObject({ value: 'https://APP.Example.com', loc: { line: 3 } });
    expect(get('https://b.example.com.evil.example')).toMatchObject({ value: 'https://b.example.com.evil.example', loc: { line: 4 } });
    expect(get('https://B.example.com')).toBeUndefined();
    expect(get('https://C.EXAMPLE.com')).toMatchObject({ value: 'https://C.example.com', loc: { line: 5 } });
    expect(get(EVIL)).toBeUndefined();
    expect(p.origins.known && p.origins.value.map((e) => e.kind)).toEqual(['exact', 'regex', 'regex']);
  });

  it('reports a reflecting map default at the default', () => {
    const p = policy('map $http_origin $cors {\n  default $http_origin;\n}\nserver { location / { add_header Access-Control-Allow-Origin $cors always; return 200; } }');
    expect(acao(answer(p))).toMatchObject({ value: EVIL, loc: { line: 2 } });
  });

  it('matches hostnames keys by their trailing labels', () => {
    const p = policy('map $http_origin $cors {\n hostnames;\n *.example.com $http_origin;\n}\nserver { location / { add_header Access-Control-Allow-Origin $cors always; return 200; } }');
    expect(acao(answer(p, { origin: 'http://a.example.com' }))?.value).toBe('http://a.example.com');
    expect(acao(answer(p, { origin: 'https://example.com' }))).toBeUndefined();
    expect(acao(answer(p, { origin: 'https://a.example.com:8443' }))).toBeUndefined();
  });

  it('puts a value that passed an Origin guard at the guard', () => {
    const text = `server {\n location / {\n  set $c "";\n  if ($http_origin ~* "^https://app\\.example\\.com$") {\n   set $c $http_origin;\n  }\n  add_header Access-Control-Allow-Origin $c always;\n  return 200;\n }\n}`;
    const p = policy(text);
    expect(acao(answer(p, { origin: APP }))).toMatchObject({ value: APP, loc: { line: 4, column: 23 } });
    expect(acao(answer(p))).toBeUndefined();
    expect(p.origins).toMatchObject({ value: [{ kind: 'regex', source: '^https://app\\.example\\.com$', flags: 'i', flavor: 'nginx' }] });
  });

  it('treats a refusing negative guard as the allowlist of what follows', () => {
    const text = `server {\n location / {\n  if ($http_origin !~ "^https://app\\.example\\.com$") { return 403; }\n  add_header Access-Control-Allow-Origin $http_origin always;\n  proxy_pass http://x;\n }\n}`;
    const p = policy(text);
    expect(acao(answer(p, { origin: APP }))).toMatchObject({ value: APP, loc: { line: 3 } });
    // The 403 still runs the header filter: with `always`, the refused origin is echoed at the add_header.
    expect(answer(p)).toMatchObject({ status: 403 });
    expect(acao(answer(p))).toMatchObject({ value: EVIL, loc: { line: 4 } });
    expect(p.origins).toMatchObject({ value: [{ kind: 'regex', flags: '' }] });
  });

  it('does not guess template placeholders', () => {
    const p = policy('server { location / { add_header Access-Control-Allow-Origin ${CORS_ORIGIN} always; return 200; } }');
    const res = evaluate(p, { origin: EVIL, credentialed: false, preflight: false }).response;
    expect(res).toMatchObject({ known: false, reason: 'template variable ${CORS_ORIGIN}' });
  });

  it('keeps other variables as opaque text', () => {
    const p = policy('server { location / { add_header Access-Control-Allow-Origin https://$host always; return 200; } }');
    expect(acao(answer(p))?.value).toBe('https://$host');
  });
});

describe('forks on conditions the Origin does not decide', () => {
  const text = `server {\n location /api/ {\n  if ($request_method = OPTIONS) {\n   add_header Access-Control-Allow-Origin ${APP};\n   add_header Access-Control-Allow-Methods "GET, POST";\n   return 204;\n  }\n  if ($http_x_debug) { set $unused 1; }\n  add_header Access-Control-Allow-Origin ${APP} always;\n  proxy_pass http://127.0.0.1:3000;\n }\n}`;

  it('gives one policy per outcome of a relevant condition', () => {
    const ps = policies(text);
    expect(ps.map((p) => programOf(p)!.label)).toEqual([
      'server _ › location /api/ › not if ($request_method = "OPTIONS")',
      'server _ › location /api/ › if ($request_method = "OPTIONS")',
    ]);
    const [actual, preflight] = ps;
    expect(answer(actual!, { status: 500 })).toMatchObject({ headers: [{ name: 'access-control-allow-origin' }] });
    expect(answer(preflight!, { status: 500 })).toMatchObject({ status: 204 });
    expect(values(answer(preflight!, { status: 500 }), 'access-control-allow-methods')).toEqual(['GET, POST']);
  });
});

describe('upstream headers', () => {
  const app: ResponseHeader[] = [
    { name: 'access-control-allow-origin', value: APP },
    { name: 'vary', value: 'Origin' },
  ];
  const conf = (inner: string) => `server { location / { ${inner} add_header Access-Control-Allow-Origin ${APP} always; } }`;

  it('pass through a proxy and duplicate the header nginx adds', () => {
    const p = policy(conf('proxy_pass http://127.0.0.1:3000;'));
    expect(values(answer(p, { upstream: app }), 'access-control-allow-origin')).toEqual([APP, APP]);
    expect(nginxUpstreams(p)[0]).toMatchObject({ upstream: { kind: 'proxy', servers: [{ host: '127.0.0.1', port: 3000 }] }, hidden: [] });
  });

  it('are hidden only by the hide directive of the pass in use', () => {
    expect(values(answer(policy(conf('proxy_hide_header Access-Control-Allow-Origin; proxy_pass http://a;')), { upstream: app }), 'access-control-allow-origin')).toEqual([APP]);
    expect(values(answer(policy(conf('proxy_hide_header Access-Control-Allow-Origin; fastcgi_pass php:9000;')), { upstream: app }), 'access-control-allow-origin')).toEqual([APP, APP]);
    expect(values(answer(policy(conf('fastcgi_hide_header access-control-allow-origin; fastcgi_pass php:9000;')), { upstream: app }), 'access-control-allow-origin')).toEqual([APP]);
  });

  it('are ignored when the location answers itself', () => {
    expect(values(answer(policy(conf('return 204;')), { upstream: app }), 'access-control-allow-origin')).toEqual([APP]);
  });

  it('are replaced by more_set_headers, appended to with -a, cleared by more_clear_headers', () => {
    const set = policy('server { location / { more_set_headers "Access-Control-Allow-Origin: x"; proxy_pass http://a; } }');
    expect(values(answer(set, { upstream: app, status: 500 }), 'access-control-allow-origin')).toEqual(['x']);
    const add = policy('server { location / { more_set_headers -a "Access-Control-Allow-Origin: x"; proxy_pass http://a; } }');
    expect(values(answer(add, { upstream: app }), 'access-control-allow-origin')).toEqual([APP, 'x']);
    const clear = policy('server { location / { more_set_headers "Access-Control-Allow-Origin: y"; more_clear_headers "Access-Control-*"; proxy_pass http://a; } }');
    expect(answer(clear, { upstream: app }).headers.map((h) => h.name)).toEqual(['vary']);
  });

  it('resolve upstream blocks to their servers', () => {
    const p = policy(`upstream api { server 10.0.0.2:8080; server unix:/x.sock; }\nserver { location / { add_header Access-Control-Allow-Origin * always; proxy_pass http://api/v1/; } }`);
    expect(nginxUpstreams(p)[0]!.upstream).toMatchObject({ target: 'http://api/v1/', uri: '/v1/', servers: [{ host: '10.0.0.2', port: 8080 }] });
  });
});
