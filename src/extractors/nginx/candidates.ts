/** Which files the nginx extractor reads: names first (cheap), then a content sniff. */

const NGINX_LINE =
  /^[ \t]*(add_header|more_set_headers|proxy_pass|fastcgi_pass|uwsgi_pass|grpc_pass|server_name|listen|location|server|http|include|map|upstream|add_header_inherit|proxy_hide_header|if)\b[^\n]*[;{][ \t]*(#[^\n]*)?$/m;

/** A file that fails to parse is reported only when it is evidently nginx (not Apache, not an ld.so.conf). */
export function looksLikeNginx(text: string): boolean {
  return NGINX_LINE.test(text);
}

export function isNginxPath(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (base === 'nginx.conf' || /\.conf$/.test(base) || /\.conf\.(template|tpl|j2)$/.test(base) || /\.tpl$/.test(base) || /\.nginx$/.test(base)) return true;
  if (/(^|\/)(sites-available|sites-enabled|conf\.d)\/[^/]+$/.test(rel)) return true;
  return /(^|\/)nginx[^/]*\.(j2|jinja2?|template|tmpl)$/.test(rel);
}

/**
 * Header directives, or an `include` (an nginx.conf without add_header of
 * its own may include the snippet that has them, and must be read to give
 * the snippet its context).
 */
export function sniffNginx(text: string): boolean {
  return /add_header|more_set_headers|Access-Control|(^|[\s;{])include\s/m.test(text);
}
