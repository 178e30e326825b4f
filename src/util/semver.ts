/**
 * Just enough of npm's semver for "which behaviour does this version have":
 * numeric comparison of `major.minor.patch` (a pre-release tag counts as the
 * release it precedes, which is close enough for behaviour switches), and the
 * lowest version a package.json range allows (RULES.md decision 17).
 */

function parts(v: string): number[] {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v);
  if (!m) return [0, 0, 0];
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < 3; i++) {
    const d = pa[i]! - pb[i]!;
    if (d) return d;
  }
  return 0;
}

/** `version >= min`; an unknown version (no evidence) is the newest, so it is at least anything. */
export function atLeast(version: string | undefined, min: string): boolean {
  return version === undefined || compareVersions(version, min) >= 0;
}

/**
 * The lowest version an npm range admits: `^4.0.0` → 4.0.0, `~3.4` → 3.4.0,
 * `>=3.1.0 <5` → 3.1.0, `4.x` → 4.0.0, `1.2.3 - 2` → 1.2.3, `^3 || ^4` → 3.0.0,
 * `npm:@koa/cors@^4` → 4.0.0. Undefined without a lower bound (`*`, `latest`,
 * `<5`, a git or file URL).
 */
export function lowestInRange(range: string): string | undefined {
  let r = range.trim();
  const alias = /^npm:.+@([^@]*)$/.exec(r);
  if (alias) r = alias[1]!;
  let best: string | undefined;
  for (const alt of r.split('||')) {
    const first = alt.trim().split(/\s+/)[0] ?? '';
    if (first === '' || first.startsWith('<')) continue;
    const m = /^(\^|~|>=|>|=)?v?(\d+)(?:\.(\d+|x|X|\*))?(?:\.(\d+|x|X|\*))?(?:[-+][\w.-]*)?$/.exec(first);
    if (!m) continue;
    const nums = [m[2], m[3], m[4]].map((p) => (p === undefined || !/^\d+$/.test(p) ? 0 : Number(p)));
    if (m[1] === '>') {
      // `>4.0.0` admits 4.0.1 first; `>4` admits 5.0.0.
      const last = m[4] !== undefined && /^\d+$/.test(m[4]) ? 2 : m[3] !== undefined && /^\d+$/.test(m[3]) ? 1 : 0;
      nums[last]! += 1;
      for (let i = last + 1; i < 3; i++) nums[i] = 0;
    }
    const v = nums.join('.');
    if (!best || compareVersions(v, best) < 0) best = v;
  }
  return best;
}
