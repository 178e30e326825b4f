import path from 'node:path';

/**
 * TypeScript path aliases (`compilerOptions.paths` and `baseUrl` of the
 * nearest tsconfig.json / jsconfig.json): `import corsConfig from
 * '@lib/api/cors'` or NestJS's `import { x } from 'src/config/cors'` name a
 * module of the repository, not a package. Only the configuration files are
 * read (JSON with comments and trailing commas), following relative
 * `extends`; nothing is resolved outside the linted root.
 */

interface Aliases {
  /** Absolute directory `paths` targets are relative to (baseUrl, else the config's directory). */
  pathsBase: string;
  baseUrl?: string;
  paths: [string, string[]][];
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** Absolute module paths (without extension resolution) an aliased specifier may name, best first. */
export function aliasTargets(fromAbs: string, spec: string, root: string, readFile: (abs: string) => string | undefined, cache: Map<string, Aliases | null>): string[] {
  const aliases = nearestAliases(path.dirname(fromAbs), root, readFile, cache);
  if (!aliases) return [];
  const out: string[] = [];
  const match = bestPattern(aliases.paths, spec);
  if (match) for (const t of match.targets) out.push(path.resolve(aliases.pathsBase, t.replace('*', match.star)));
  if (aliases.baseUrl) out.push(path.resolve(aliases.baseUrl, spec));
  const inside = (p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  return out.filter(inside);
}

/** TypeScript's rule: an exact pattern, else the `*` pattern with the longest prefix. */
function bestPattern(paths: [string, string[]][], spec: string): { targets: string[]; star: string } | undefined {
  let best: { targets: string[]; star: string; prefix: number } | undefined;
  for (const [pattern, targets] of paths) {
    const star = pattern.indexOf('*');
    if (star === -1) {
      if (pattern === spec) return { targets, star: '' };
      continue;
    }
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (spec.length >= prefix.length + suffix.length && spec.startsWith(prefix) && spec.endsWith(suffix) && (!best || prefix.length > best.prefix)) {
      best = { targets, star: spec.slice(prefix.length, spec.length - suffix.length), prefix: prefix.length };
    }
  }
  return best;
}

function nearestAliases(dir: string, root: string, readFile: (abs: string) => string | undefined, cache: Map<string, Aliases | null>): Aliases | undefined {
  const seen: string[] = [];
  let found: Aliases | null = null;
  for (let d = dir; ; d = path.dirname(d)) {
    if (cache.has(d)) {
      found = cache.get(d)!;
      break;
    }
    seen.push(d);
    const cfg = CONFIG_NAMES.map((n) => path.join(d, n)).find((f) => readFile(f) !== undefined);
    if (cfg) {
      found = readAliases(cfg, readFile, 0) ?? null;
      break;
    }
    if (d === root || path.dirname(d) === d || !d.startsWith(root)) break;
  }
  for (const d of seen) cache.set(d, found);
  return found ?? undefined;
}

interface Compiler {
  baseUrl?: string;
  paths?: [string, string[]][];
  /** The directory of the file that declared `paths` (their base when there is no baseUrl). */
  pathsDir?: string;
}

function readAliases(file: string, readFile: (abs: string) => string | undefined, depth: number): Aliases | undefined {
  const c = readCompiler(file, readFile, depth);
  if (!c || (!c.baseUrl && !c.paths?.length)) return undefined;
  return { pathsBase: c.baseUrl ?? c.pathsDir ?? path.dirname(file), ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}), paths: c.paths ?? [] };
}

function readCompiler(file: string, readFile: (abs: string) => string | undefined, depth: number): Compiler | undefined {
  if (depth > 8) return undefined;
  const text = readFile(file);
  if (text === undefined) return undefined;
  let json: { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
  try {
    json = JSON.parse(stripJsonc(text)) as typeof json;
  } catch {
    return undefined;
  }
  const dir = path.dirname(file);
  // `extends` of another file of the repository (a string, or a list since TS 5.0, later ones winning).
  let base: Compiler = {};
  const parents = typeof json.extends === 'string' ? [json.extends] : Array.isArray(json.extends) ? json.extends.filter((x): x is string => typeof x === 'string') : [];
  for (const p of parents) {
    if (!p.startsWith('.')) continue;
    const target = path.resolve(dir, p.endsWith('.json') ? p : `${p}.json`);
    const parent = readCompiler(target, readFile, depth + 1);
    if (parent) base = { ...base, ...parent };
  }
  const co = json.compilerOptions ?? {};
  const out: Compiler = { ...base };
  if (typeof co.baseUrl === 'string') out.baseUrl = path.resolve(dir, co.baseUrl);
  if (co.paths && typeof co.paths === 'object') {
    out.paths = Object.entries(co.paths as Record<string, unknown>)
      .filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((t) => typeof t === 'string'))
      .map(([k, v]) => [k, v]);
    out.pathsDir = dir;
  }
  return out;
}

/** JSON with `//` and `/* *\/` comments and trailing commas, as tsconfig files are written. */
export function stripJsonc(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
      out += ' ';
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
