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
  if (/(^|\/)(sites-available|sites-enabled|conf\.d|vhost\.d)\/[^/]+$/.test(rel)) return true;
  if (/(^|\/)nginx\/[^/]+$/.test(rel) && looksLikeSiteFile(base)) return true;
  return /(^|\/)nginx[^/]*\.(j2|jinja2?|template|tmpl)$/.test(rel);
}

/** Names that are not nginx configuration even in an `nginx/` folder. */
const NOT_CONFIG = /^(dockerfile|makefile|readme|license|changelog|procfile|\..*)$/i;
const NOT_CONFIG_EXT = new Set(
  'md markdown txt rst adoc sh bash zsh ps1 bat cmd yml yaml json js mjs cjs ts py rb php go rs java lua html htm css scss pem crt key csr cer der p12 pfx log env toml ini xml sql csv png jpg jpeg gif svg ico webp gz tgz zip tar lock example sample dist bak orig old swp service timer socket dockerfile gitignore gitkeep dockerignore htpasswd'.split(' '),
);

/**
 * Server blocks kept in an `nginx/` folder under the site's name
 * (`nginx/api.example.com`, `nginx/default`) rather than `*.conf`: a name
 * without an extension, or a host name whose last label is not a file
 * extension of something else. The content sniff decides the rest.
 */
function looksLikeSiteFile(base: string): boolean {
  if (NOT_CONFIG.test(base)) return false;
  const dot = base.lastIndexOf('.');
  if (dot === -1) return /^[\w-]+$/.test(base);
  return /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/i.test(base) && !NOT_CONFIG_EXT.has(base.slice(dot + 1).toLowerCase());
}

/**
 * Header directives, or an `include` (an nginx.conf without add_header of
 * its own may include the snippet that has them, and must be read to give
 * the snippet its context).
 */
export function sniffNginx(text: string): boolean {
  return /add_header|more_set_headers|Access-Control|(^|[\s;{])include\s/m.test(text);
}
