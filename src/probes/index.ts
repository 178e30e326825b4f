/** An origin no configuration should trust: the attacker's own site. */
export const EVIL_ORIGIN = 'https://evil.example';
/** Sandboxed iframes, data: pages and cross-origin redirects send `Origin: null`. */
export const NULL_ORIGIN = 'null';

export { matchEntry, toJsRegExp, wildcardToRegExp, splitPcreDelimiters } from './match.js';
