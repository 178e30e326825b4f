import { readdirSync } from 'node:fs';
import path from 'node:path';
import { testRegex } from '../../probes/match.js';

/**
 * Finding Python modules of the repository by their import names, without
 * Python's import machinery: `from .base import *` is the file next to the
 * importer, `from myproject.settings.base import *` is looked up under each
 * ancestor directory of the importer (the one `manage.py` puts on sys.path is
 * among them).
 */

export type FileExists = (absPath: string) => boolean;

/** How far up dotted imports are looked for when the importer lies outside the linted root. */
const MAX_ANCESTORS = 8;

/** `from <spec> import ...` → the module file, or undefined when it is not in the repository. */
export function resolveModule(spec: string, importer: string, root: string, exists: FileExists): string | undefined {
  const m = /^(\.*)(.*)$/.exec(spec)!;
  const dots = m[1]!.length;
  const dotted = m[2]!;
  const parts = dotted ? dotted.split('.') : [];
  if (dots > 0) {
    let base = path.dirname(importer);
    for (let i = 1; i < dots; i++) base = path.dirname(base);
    return parts.length ? moduleFile(path.join(base, ...parts), exists) : moduleFile(base, exists);
  }
  if (!parts.length) return undefined;
  for (const dir of ancestors(path.dirname(importer), root)) {
    const hit = moduleFile(path.join(dir, ...parts), exists);
    if (hit) return hit;
  }
  return undefined;
}

function moduleFile(base: string, exists: FileExists): string | undefined {
  // Python's path finder tries a package directory before a module file of the same name.
  const init = path.join(base, '__init__.py');
  if (exists(init)) return init;
  if (exists(`${base}.py`)) return `${base}.py`;
  return undefined;
}

/** `x.py` next to a package `x/`: no import can reach it (the package wins), so Django never loads it. */
export function isShadowedByPackage(absPath: string, exists: FileExists): boolean {
  if (!absPath.endsWith('.py') || path.basename(absPath) === '__init__.py') return false;
  return exists(path.join(absPath.slice(0, -3), '__init__.py'));
}

/**
 * The modules `DJANGO_SETTINGS_MODULE` names by default in a project rooted at
 * `dir` (the directory of manage.py, which Django puts on sys.path):
 * `os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.django.base')` in
 * manage.py and in the wsgi.py/asgi.py of its packages.
 */
export function defaultSettingsModules(dir: string, read: (absPath: string) => string | undefined): string[] {
  const manage = read(path.join(dir, 'manage.py'));
  if (manage === undefined) return [];
  const texts = [manage];
  for (const name of listDir(dir)) {
    for (const f of ['wsgi.py', 'asgi.py']) {
      const t = read(path.join(dir, name, f));
      if (t !== undefined) texts.push(t);
    }
  }
  const out = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(/DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/g)) {
      const hit = moduleFile(path.join(dir, ...m[1]!.split('.')), (p) => read(p) !== undefined);
      if (hit) out.add(hit);
    }
  }
  return [...out];
}

/** `dir` and its parents, up to and including `root` when `dir` is inside it. */
export function ancestors(dir: string, root: string): string[] {
  const out: string[] = [];
  const inside = isInside(dir, root);
  let cur = dir;
  for (let i = 0; i < 64; i++) {
    out.push(cur);
    if (inside ? cur === root : out.length >= MAX_ANCESTORS) break;
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return out;
}

export function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Directory listing that never throws. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * django-split-settings `include('components/*.py')`: paths relative to the
 * including file, `*` and `?` glob within one path segment, in sorted order
 * (as `glob` + `sorted` there).
 */
export function expandInclude(pattern: string, includer: string, exists: FileExists): string[] {
  const abs = path.resolve(path.dirname(includer), pattern);
  if (!/[*?[]/.test(pattern)) return exists(abs) ? [abs] : [];
  const segments = abs.split(path.sep);
  let found: string[] = [segments[0] === '' ? path.sep : segments[0]!];
  for (const seg of segments.slice(1)) {
    if (!seg) continue;
    const next: string[] = [];
    for (const dir of found) {
      if (/[*?[]/.test(seg)) {
        const matches = globSegment(seg);
        for (const name of listDir(dir)) if (matches(name)) next.push(path.join(dir, name));
      } else next.push(path.join(dir, seg));
    }
    found = next;
  }
  return found.filter(exists).sort();
}

/** One glob segment as a name test, on the probes' linear-time matcher (`a*a*a*…b` is polynomial on a backtracking one). */
function globSegment(seg: string): (name: string) => boolean {
  let src = '';
  for (const c of seg) src += c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|\\]/g, '\\$&');
  return (name) => testRegex(`^${src}$`, '', 'js', name) ?? false;
}

/**
 * The star imports and split-settings includes of a module, read with a
 * regular expression: used only to decide cheaply which modules feed which,
 * never for values.
 */
export function starImportSpecs(text: string): { stars: string[]; includes: string[] } {
  const stars = [...text.matchAll(/^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\*/gm)].map((m) => m[1]!).filter(Boolean);
  const includes: string[] = [];
  // split-settings paths are often kept in a tuple first (`include(*_base_settings)`): every
  // '....py' string counts, and an f-string's `{...}` part matches any name.
  if (text.includes('split_settings')) {
    for (const m of text.matchAll(/(['"])([^'"\n]+\.py)\1/g)) includes.push(m[2]!.replace(/\{[^}]*\}/g, '*'));
  }
  return { stars, includes };
}
