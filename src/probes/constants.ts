/** The attacker's own registrable domain in every probe (RFC 6761 reserves `.example`). */
export const EVIL_DOMAIN = 'evil.example';
/** An origin no configuration should trust: the attacker's own site. */
export const EVIL_ORIGIN = `https://${EVIL_DOMAIN}`;
/** Sandboxed iframes, data: pages and cross-origin redirects send `Origin: null`. */
export const NULL_ORIGIN = 'null';
