import path from 'node:path';
import { lowestInRange } from '../../util/semver.js';

/**
 * Which version of an npm package a JavaScript file runs against (RULES.md
 * decision 17): the lockfile's exact version, else the lowest version the
 * nearest package.json range allows; undefined without evidence (the
 * semantics then use the newest behaviour).
 *
 * The nearest package.json above the file (up to the linted root) that lists
 * the package is the project. A lockfile speaks for it when it sits in the
 * same directory, or higher up when that project is one of the lockfile's
 * workspaces — a package-lock.json of an unrelated parent project (a fixture
 * directory inside a repository) does not.
 */

export interface NpmVersion {
  version: string;
  /** Absolute path of the file the version came from, for `inspect`. */
  source: string;
}

type Read = (abs: string) => string | undefined;

const DEP_GROUPS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/** A cached `versionOf(pkg)` for one file of the linted repository. */
export function projectVersions(fileAbs: string, root: string, read: Read): (pkg: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (pkg) => {
    if (!cache.has(pkg)) cache.set(pkg, npmPackageVersion(fileAbs, path.resolve(root), pkg, read)?.version);
    return cache.get(pkg);
  };
}

export function npmPackageVersion(fileAbs: string, root: string, name: string, read: Read): NpmVersion | undefined {
  let project: { dir: string; range: string; manifest: string } | undefined;
  for (const dir of ancestors(path.dirname(fileAbs), root)) {
    const manifestPath = path.join(dir, 'package.json');
    const manifest = parseJson(read(manifestPath));
    if (!project && manifest) {
      const range = dependencyRange(manifest, name);
      if (range !== undefined) project = { dir, range, manifest: manifestPath };
    }
    if (!project) continue;
    const rel = path.relative(dir, project.dir).split(path.sep).join('/');
    const locked = lockedVersion(dir, rel, name, read, manifest);
    if (locked) return locked;
  }
  if (!project) return undefined;
  const low = lowestInRange(project.range);
  return low ? { version: low, source: project.manifest } : undefined;
}

function dependencyRange(manifest: Record<string, unknown>, name: string): string | undefined {
  for (const g of DEP_GROUPS) {
    const deps = manifest[g];
    if (deps && typeof deps === 'object') {
      const r = (deps as Record<string, unknown>)[name];
      if (typeof r === 'string') return r;
    }
  }
  return undefined;
}

/** The version `dir`'s lockfile pins for the project at `rel` (relative to dir; '' for dir itself). */
function lockedVersion(dir: string, rel: string, name: string, read: Read, manifest: Record<string, unknown> | undefined): NpmVersion | undefined {
  for (const lockName of ['package-lock.json', 'npm-shrinkwrap.json']) {
    const file = path.join(dir, lockName);
    const lock = parseJson(read(file));
    if (!lock) continue;
    const packages = lock.packages as Record<string, { version?: unknown }> | undefined;
    if (packages && typeof packages === 'object') {
      if (rel !== '' && !(rel in packages)) return undefined;
      const nested = rel !== '' ? packages[`${rel}/node_modules/${name}`] : undefined;
      const top = packages[`node_modules/${name}`];
      const v = (nested ?? top)?.version;
      if (typeof v === 'string') return { version: v, source: file };
      continue;
    }
    // lockfileVersion 1
    const deps = lock.dependencies as Record<string, { version?: unknown }> | undefined;
    const v = rel === '' ? deps?.[name]?.version : undefined;
    if (typeof v === 'string' && /^\d/.test(v)) return { version: v, source: file };
  }
  // yarn and pnpm lockfiles: the workspace root's lockfile covers its workspaces.
  const workspaces = rel === '' || !!manifest?.workspaces || read(path.join(dir, 'pnpm-workspace.yaml')) !== undefined;
  if (!workspaces) return undefined;
  const yarn = read(path.join(dir, 'yarn.lock'));
  if (yarn !== undefined) {
    const v = yarnVersion(yarn, name);
    if (v) return { version: v, source: path.join(dir, 'yarn.lock') };
  }
  const pnpm = read(path.join(dir, 'pnpm-lock.yaml'));
  if (pnpm !== undefined) {
    const v = pnpmVersion(pnpm, name);
    if (v) return { version: v, source: path.join(dir, 'pnpm-lock.yaml') };
  }
  return undefined;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `"@koa/cors@^4.0.0":\n  version "4.0.0"` (yarn 1) or `"@koa/cors@npm:^4.0.0":\n  version: 4.0.0` (berry). */
function yarnVersion(text: string, name: string): string | undefined {
  const re = new RegExp(`^"?${esc(name)}@[^\\n]*:\\n(?:[ \\t]+[^\\n]*\\n)*?[ \\t]+version:?[ \\t]+"?(\\d[^"\\s]*)"?`, 'm');
  return re.exec(text)?.[1];
}

/** `/@koa/cors@4.0.0:` (v6+), `'@koa/cors@4.0.0':` (v9), `/@koa/cors/4.0.0:` (v5). */
function pnpmVersion(text: string, name: string): string | undefined {
  const re = new RegExp(`^[ \\t]*['"]?/?${esc(name)}[@/](\\d[^:'"()\\s]*)`, 'm');
  return re.exec(text)?.[1];
}

/** `dir` and its parents up to `root` when dir is inside it; otherwise dir alone. */
function ancestors(dir: string, root: string): string[] {
  const out = [dir];
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return out;
  let cur = dir;
  while (cur !== root) {
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
    out.push(cur);
  }
  return out;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
