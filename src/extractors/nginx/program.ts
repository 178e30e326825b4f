import type { Loc } from '../../model/index.js';

/**
 * What one nginx serving unit (a location, or a server's default) does with
 * a request, in the terms the header filter and the rewrite module use. The
 * extractor builds it; src/semantics/nginx.ts runs it for a request. It is
 * stored in `policy.extra.nginx`.
 */
export interface NginxProgram {
  /** "server api.example.com › location /api". */
  label: string;
  /** Rewrite-phase directives of the server, run before the location is chosen. */
  serverSteps: Step[];
  /** Rewrite-phase directives of the location. */
  locationSteps: Step[];
  /** Header configurations by id: the server's, the location's, and each `if` block's. */
  confs: HeaderConf[];
  serverConf: number;
  baseConf: number;
  maps: Record<string, MapDef>;
  /**
   * Conditions that do not depend on the request Origin are not decided from
   * the request: each policy assumes one outcome (`if` id → taken or not).
   * Ifs missing here are decided from the request when it can be.
   */
  forks: Record<number, boolean>;
}

/** `var` is lower-cased (nginx variable names are case-insensitive); `name` is as written. */
export type Part = { lit: string } | { var: string; name: string; loc: Loc };

/** An nginx complex value ("https://$host", $http_origin, "") parsed into parts. */
export interface ComplexValue {
  raw: string;
  parts: Part[];
  loc: Loc;
}

export interface AddHeader {
  /** As written. */
  name: string;
  lname: string;
  value: ComplexValue;
  always: boolean;
  /** The add_header directive. */
  loc: Loc;
  /** The block that holds it ("server", "location /api"), for messages. */
  level: string;
  /** How deep that block is nested (http 0, server 1, location 2, nested location or if 3 ...). */
  depth: number;
}

/** headers-more `more_set_headers` / `more_clear_headers`. */
export interface MoreHeader {
  op: 'set' | 'clear';
  /** Lower-case; a trailing `*` clears every header with that prefix. */
  lname: string;
  name: string;
  value?: ComplexValue;
  /** -s: only for these statuses; undefined = every status. */
  statuses?: number[];
  /** -a: append instead of replacing. */
  append: boolean;
  loc: Loc;
}

export type PassKind = 'proxy' | 'fastcgi' | 'uwsgi' | 'grpc' | 'scgi';

export interface Upstream {
  kind: PassKind;
  /** The argument as written: http://127.0.0.1:3000/api, unix:/run/php.sock, backend. */
  target: string;
  /** Host and port the target points at; an `upstream` block's servers are listed. */
  servers: { host: string; port?: number; loc: Loc }[];
  /** The URI part of proxy_pass (`/` in proxy_pass http://app:3000/), when written. */
  uri?: string;
  loc: Loc;
}

export interface HeaderConf {
  id: number;
  /** "location /api", "if ($request_method = OPTIONS)". */
  label: string;
  kind: 'http' | 'server' | 'location' | 'if' | 'snippet';
  loc: Loc;
  depth: number;
  /** The add_header list after inheritance, in the order nginx sends them. */
  headers: AddHeader[];
  /** This level writes its own add_header. */
  own: boolean;
  inherit: 'on' | 'off' | 'merge';
  /** CORS headers an enclosing level sends that this level drops by having its own add_header. */
  dropped: AddHeader[];
  more: MoreHeader[];
  /** What produces the response body (and status) when no `return` runs. */
  handler: { kind: 'static' } | { kind: 'dynamic'; loc: Loc } | { kind: 'pass'; upstream: Upstream };
  /** Lower-case header names hidden from the upstream response, per pass kind (`proxy_hide_header` ...). */
  hidden: Partial<Record<PassKind, { lname: string; loc: Loc }[]>>;
}

export type Step =
  | { kind: 'set'; var: string; value: ComplexValue; loc: Loc }
  | { kind: 'if'; id: number; cond: Condition; loc: Loc; label: string; conf?: number; body: Step[] }
  | { kind: 'return'; status: number; loc: Loc }
  | { kind: 'break'; loc: Loc };

export type Condition =
  | { op: 'var'; left: ComplexValue }
  | { op: '=' | '!='; left: ComplexValue; right: ComplexValue }
  | { op: '~' | '~*' | '!~' | '!~*'; left: ComplexValue; regex: string; regexLoc: Loc }
  | { op: 'file'; test: string; left: ComplexValue };

export interface MapEntry {
  kind: 'exact' | 'regex' | 'head' | 'tail';
  /** exact: lower-cased key; regex: the pattern; head: `*.example.com` / `.example.com`; tail: `www.example.*`. */
  key: string;
  caseless: boolean;
  value: ComplexValue;
  /** The entry line (`"~^https://a\.example\.com$" $http_origin;`). */
  loc: Loc;
  keyLoc: Loc;
}

export interface MapDef {
  name: string;
  source: ComplexValue;
  hostnames: boolean;
  entries: MapEntry[];
  default?: { value: ComplexValue; loc: Loc };
  loc: Loc;
}

const VAR = /\$(?:\{([A-Za-z0-9_]+)\}|([1-9])|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Splits a complex value into literal text and variables, as ngx_http_script_compile does. */
export function complexValue(raw: string, loc: Loc): ComplexValue {
  const parts: Part[] = [];
  let last = 0;
  for (const m of raw.matchAll(VAR)) {
    if (m.index > last) parts.push({ lit: raw.slice(last, m.index) });
    // Variables sit on the argument's line; the column is approximate inside quoted multi-line values.
    const name = m[1] ?? m[2] ?? m[3]!;
    parts.push({ var: name.toLowerCase(), name, loc });
    last = m.index + m[0].length;
  }
  if (last < raw.length) parts.push({ lit: raw.slice(last) });
  return { raw, parts, loc };
}

export function varsOf(v: ComplexValue): string[] {
  return v.parts.flatMap((p) => ('var' in p ? [p.var] : []));
}

export function isCorsHeader(lname: string): boolean {
  return lname.startsWith('access-control-');
}

/** Statuses the headers filter treats as success: add_header without `always` is sent only with these. */
export const SAFE_STATUSES = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);

export function describeCondition(c: Condition): string {
  switch (c.op) {
    case 'var':
      return c.left.raw;
    case 'file':
      return `${c.test} ${c.left.raw}`;
    case '=':
    case '!=':
      return `${c.left.raw} ${c.op} ${JSON.stringify(c.right.raw)}`;
    default:
      return `${c.left.raw} ${c.op} ${JSON.stringify(c.regex)}`;
  }
}
