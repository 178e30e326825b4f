/**
 * Which JavaScript/TypeScript files hold hand-written server code. Bundles
 * (webpack, Laravel Mix, swagger-ui's dist files) and minified files are
 * generated from sources that are linted where they live; parsing a 300 KB
 * bundle costs seconds and only repeats (or garbles) what the source says.
 */
const JS_PATH = /\.(c|m)?(j|t)sx?$/;
const NOT_SOURCE = /(\.d\.[cm]?ts|[.-]min\.[cm]?js|[.-]bundle\.[cm]?js|\.chunk\.[cm]?js)$/;

export function isJsSourcePath(relPath: string): boolean {
  return JS_PATH.test(relPath) && !NOT_SOURCE.test(relPath);
}

/** Minified lines run to thousands of characters; no hand-written file has them. */
const MAX_LINE = 2000;
const BUNDLE_MARKERS = ['__webpack_require__', '/******/ (', '__vite__mapDeps', 'System.register(', '//# sourceMappingURL=data:'];

export function looksGenerated(text: string): boolean {
  if (BUNDLE_MARKERS.some((m) => text.includes(m))) return true;
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    if (end - start > MAX_LINE) return true;
    start = end + 1;
  }
  return false;
}
