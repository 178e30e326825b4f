import type { Loc } from './loc.js';

/** A request as the browser sends it, reduced to what CORS middleware looks at. */
export interface CorsRequest {
  /** The Origin header value ('null' for opaque origins). */
  origin: string;
  /** fetch(..., {credentials: 'include'}): the browser then needs ACAC: true and an exact ACAO. */
  credentialed: boolean;
  /** OPTIONS with Access-Control-Request-Method. */
  preflight: boolean;
  method?: string;
  requestHeaders?: string;
  /** A Cookie header is sent (Starlette reflects for allow-all only then). */
  cookie?: boolean;
  path?: string;
  /** The preflight asks `Access-Control-Request-Private-Network: true` (django-cors-headers ≥ 4.0 answers it). */
  privateNetwork?: boolean;
  /**
   * Proxy layers (nginx): the status the handler behind it answers with
   * (default 200). add_header without `always` is dropped on 4xx/5xx.
   */
  status?: number;
  /**
   * Proxy layers: the headers the proxied app answers with. They pass
   * through unless the proxy hides or replaces them, which is how a
   * duplicate Access-Control-Allow-Origin across layers shows up.
   */
  upstream?: ResponseHeader[];
}

/** One header in the answer, with the configuration that put it there. */
export interface ResponseHeader {
  /** Lower-case. */
  name: string;
  value: string;
  loc?: Loc;
  /**
   * The directive or call that writes the header, when `loc` points
   * elsewhere: for nginx `loc` is the `set`/`map` entry that copies
   * $http_origin (RULES.md decision 2) and this is the `add_header`.
   */
  emittedBy?: Loc;
}

export type CorsResponse =
  | { known: true; status?: number; headers: ResponseHeader[] }
  | { known: false; reason: string; loc: Loc };

export function headerValues(res: CorsResponse, name: string): string[] {
  if (!res.known) return [];
  const n = name.toLowerCase();
  return res.headers.filter((h) => h.name === n).map((h) => h.value);
}

export function header(res: CorsResponse, name: string): ResponseHeader | undefined {
  if (!res.known) return undefined;
  const n = name.toLowerCase();
  return res.headers.find((h) => h.name === n);
}
