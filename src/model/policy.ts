import type { Loc } from './loc.js';
import type { OriginEntry } from './origin.js';
import type { Val } from './value.js';

export type Framework =
  | 'express'
  | 'fastify'
  | 'koa'
  | 'nestjs'
  | 'manual-headers'
  | 'laravel'
  | 'django'
  | 'nginx'
  | 'starlette'
  | 'flask'
  | 'apache';

/** Where a policy applies. Empty means everywhere the middleware runs. */
export interface Scope {
  /** Route paths or path patterns (Express route, Laravel `paths`). An empty array means no route: CORS is off. */
  paths?: string[];
  /** Django CORS_URLS_REGEX and the like. */
  urlRegex?: string;
  /** nginx server_name / listen. */
  server?: string;
  /** nginx location. */
  location?: string;
  /**
   * HTTP methods the route answers (Express `app.get('/x', cors())` → GET, HEAD).
   * Absent means every method. A preflight (OPTIONS) reaches the policy only
   * when OPTIONS is listed or this is absent.
   */
  methods?: string[];
}

/**
 * A header the configuration writes itself (nginx add_header, res.setHeader,
 * PHP header()). Header-level layers are described by these; middleware
 * policies leave the list empty and let their semantics build the headers.
 */
export interface EmittedHeader {
  /** Lower-case header name. */
  name: string;
  value: Val<string>;
  loc: Loc;
  /** nginx `always`: also on 4xx/5xx. */
  always?: boolean;
  /** Appends rather than replaces (nginx add_header, res.append, more_set_headers -a). */
  append?: boolean;
  /**
   * Written only on the code paths that also send the request's Origin back
   * (inside the origin check), so it is absent for rejected origins. Hand-written
   * handlers often put Access-Control-Allow-Credentials and Vary there.
   */
  onlyIfOriginAllowed?: boolean;
  /** Written only when the request is a preflight (`if (req.method === 'OPTIONS')`). */
  onlyOnPreflight?: boolean;
  /** Written only on actual requests (after an early return for OPTIONS). */
  notOnPreflight?: boolean;
  /**
   * An Access-Control-Allow-Origin value written on the other paths, for the
   * origins the check rejects (`if (in_array($origin, $list)) { echo it } else
   * { header('Access-Control-Allow-Origin: *') }`). Added for hand-written PHP
   * headers; the origin entries alone cannot say what rejected origins get.
   */
  unlessOriginAllowed?: boolean;
}

/** An option the framework does not know: it is silently ignored and the default applies. */
export interface UnknownOption {
  key: string;
  loc: Loc;
  /** The option the user probably meant. */
  suggestion?: string;
}

/** How the origin setting was written, which some frameworks answer differently. */
export type OriginForm =
  | 'single' // one value (Express string: sent verbatim)
  | 'list'; // a list or matcher (matched per request)

export interface Policy {
  framework: Framework;
  /** `proxy` for servers in front of an app (nginx, Apache). */
  layer: 'app' | 'proxy';
  scope: Scope;
  /** The call, file or block that configures CORS. */
  loc: Loc;
  origins: Val<OriginEntry[]>;
  originForm: OriginForm;
  credentials: Val<boolean>;
  methods: Val<string[]>;
  /** Default (isDefault) usually means the request's Access-Control-Request-Headers is echoed. */
  allowHeaders: Val<string[]>;
  exposeHeaders: Val<string[]>;
  /** Seconds; null when no Max-Age is sent. */
  maxAge: Val<number | null>;
  headers: EmittedHeader[];
  unknownOptions: UnknownOption[];
  /** The middleware's version, when the project pins it (lockfile, requirements). */
  version?: string;
  /** Framework-specific settings the semantics need (kept typed by each semantics module). */
  extra?: Record<string, Val<unknown>>;
}
