import path from 'node:path';
import { ancestors, listDir } from './modules.js';

/**
 * Which django-cors-headers the project runs, from its Python dependency
 * files (RULES.md decision 17): a lockfile's exact version wins; otherwise the
 * lowest version the manifest's range allows; no evidence → undefined (the
 * semantics then use the newest behaviour). The nearest directory with
 * evidence, walking up from the settings module, decides.
 */

export interface VersionEvidence {
  version: string;
  /** Relative file name the version came from, for `inspect`. */
  source: string;
}

export function detectVersion(
  settingsFile: string,
  root: string,
  read: (abs: string) => string | undefined,
  pkg: string = DJANGO_CORS_HEADERS,
): VersionEvidence | undefined {
  for (const dir of ancestors(path.dirname(settingsFile), root)) {
    const hit = versionIn(dir, read, pkg);
    if (hit) return hit;
  }
  return undefined;
}

function versionIn(dir: string, read: (abs: string) => string | undefined, pkg: string): VersionEvidence | undefined {
  const at = (name: string) => read(path.join(dir, name));
  const lockers: [string, (t: string, pkg: string) => string | undefined][] = [
    ['poetry.lock', tomlLockVersion],
    ['uv.lock', tomlLockVersion],
    ['pdm.lock', tomlLockVersion],
    ['Pipfile.lock', pipfileLockVersion],
  ];
  for (const [name, parse] of lockers) {
    const t = at(name);
    const v = t === undefined ? undefined : parse(t, pkg);
    if (v) return { version: normalize(v), source: path.join(dir, name) };
  }
  const manifests: string[] = [];
  for (const name of listDir(dir)) if (/^requirements.*\.(txt|in)$/i.test(name)) manifests.push(path.join(dir, name));
  for (const sub of ['requirements', 'reqs']) {
    for (const name of listDir(path.join(dir, sub))) if (/\.(txt|in)$/i.test(name)) manifests.push(path.join(dir, sub, name));
  }
  const lows: VersionEvidence[] = [];
  for (const f of manifests) {
    const t = read(f);
    const v = t === undefined ? undefined : requirementsVersion(t, pkg);
    if (v) lows.push({ version: v, source: f });
  }
  for (const name of ['pyproject.toml', 'Pipfile', 'setup.cfg']) {
    const t = at(name);
    const v = t === undefined ? undefined : manifestVersion(t, pkg);
    if (v) lows.push({ version: v, source: path.join(dir, name) });
  }
  // Several requirement files (base.txt, production.txt) may pin differently: the lowest is the cautious answer.
  lows.sort((a, b) => compareVersions(a.version, b.version));
  return lows[0];
}

/**
 * A package name as a regex source, under PEP 503 normalisation (`-`, `_`
 * and `.` are interchangeable). Other packages whose names start with it
 * (`starlette-context`) must not match, hence the lookahead.
 */
export const DJANGO_CORS_HEADERS = 'django[-_.]cors[-_.]headers(?![-_.\\w])';

function tomlLockVersion(text: string, NAME_RE: string): string | undefined {
  const re = new RegExp(`\\[\\[package\\]\\]\\s*\\nname\\s*=\\s*"${NAME_RE}"\\s*\\nversion\\s*=\\s*"([^"]+)"`, 'i');
  return re.exec(text)?.[1];
}

function pipfileLockVersion(text: string, NAME_RE: string): string | undefined {
  try {
    const j = JSON.parse(text) as Record<string, Record<string, { version?: string }> | undefined>;
    for (const section of ['default', 'develop']) {
      const pkgs = j[section];
      if (!pkgs) continue;
      for (const [name, info] of Object.entries(pkgs)) {
        if (new RegExp(`^${NAME_RE}$`, 'i').test(name) && info.version) return info.version.replace(/^==/, '');
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** `django-cors-headers>=3.5,<4 ; python_version > "3"` → '3.5.0'. */
export function requirementsVersion(text: string, NAME_RE: string = DJANGO_CORS_HEADERS): string | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const m = new RegExp(`^${NAME_RE}\\s*(?:\\[[^\\]]*\\])?\\s*([^;\\s].*?)?\\s*(?:;.*)?$`, 'i').exec(line);
    if (!m) continue;
    return lowestAllowed(m[1] ?? '');
  }
  return undefined;
}

/** pyproject (PEP 621 strings or Poetry tables), Pipfile, setup.cfg. */
function manifestVersion(text: string, NAME_RE: string): string | undefined {
  const pep = new RegExp(`["']${NAME_RE}\\s*(?:\\[[^\\]]*\\])?\\s*([^"';]*)`, 'i').exec(text);
  if (pep && pep[1]!.trim()) return lowestAllowed(pep[1]!);
  const table = new RegExp(`^\\s*["']?${NAME_RE}["']?\\s*=\\s*(?:["']([^"']*)["']|\\{[^}]*version\\s*=\\s*["']([^"']*)["'])`, 'im').exec(text);
  if (table) return lowestAllowed(table[1] ?? table[2] ?? '');
  const cfg = new RegExp(`^\\s*${NAME_RE}\\s*([<>=!~^][^;\\n]*)`, 'im').exec(text);
  if (cfg) return lowestAllowed(cfg[1]!);
  return undefined;
}

/** The lowest version a specifier admits; undefined without a lower bound (`*`, `<4`, empty). */
export function lowestAllowed(spec: string): string | undefined {
  let low: string | undefined;
  for (const part of spec.split(',')) {
    const m = /^\s*(===|==|~=|>=|>|\^|~)?\s*v?(\d+(?:\.\d+)*)(?:\.\*)?/.exec(part.trim());
    if (!m || !m[2]) continue;
    const op = m[1] ?? '==';
    if (['===', '==', '~=', '>=', '>', '^', '~'].includes(op)) {
      const v = normalize(m[2]);
      if (!low || compareVersions(v, low) > 0) low = v;
    }
  }
  return low;
}

function normalize(v: string): string {
  const nums = v.replace(/^v/, '').split(/[.+-]/).map((x) => parseInt(x, 10)).filter((x) => !Number.isNaN(x));
  while (nums.length < 3) nums.push(0);
  return nums.slice(0, 3).join('.');
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
