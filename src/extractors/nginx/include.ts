import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Loc } from '../../model/index.js';
import { ParseError } from '../../model/index.js';
import { testRegex } from '../../probes/match.js';
import type { Directive } from './parser.js';
import { parseNginx } from './parser.js';
import { stripTemplating } from './template.js';

export interface IncludeHost {
  readFile(absPath: string): string | undefined;
  displayPath(absPath: string): string;
  /** The linted root: the configuration root is never searched above it. */
  root: string;
}

export interface IncludeNote {
  kind: 'missing' | 'cycle' | 'unparsable' | 'too-deep';
  /** The include directive. */
  loc: Loc;
  target: string;
  detail?: string;
}

/** A configuration with its includes spliced in place. */
export interface ExpandedConfig {
  absPath: string;
  file: string;
  directives: Directive[];
  /** Real paths of every file read, the top file included. */
  files: Set<string>;
  notes: IncludeNote[];
  /** Some file of the tree is a template (envsubst / Jinja placeholders). */
  template: boolean;
}

const MAX_DEPTH = 24;
const MAX_FILES = 400;

/**
 * Stock files every nginx install ships; they hold no add_header, so a
 * repository that does not vendor them loses nothing.
 */
const STOCK_INCLUDES = /(^|\/)(mime\.types|fastcgi_params|fastcgi\.conf|uwsgi_params|scgi_params|proxy_params|koi-utf|koi-win|win-utf|modules-enabled\/\*\.conf|snippets\/fastcgi-php\.conf|snippets\/snakeoil\.conf)$/;

export function realPath(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

/**
 * The directory nginx resolves relative `include` paths against: the one
 * holding nginx.conf (its `conf` prefix). Without one, a directory that looks
 * like an nginx config tree, else the file's own directory.
 */
export function configRoot(absFile: string, lintRoot: string): string {
  const stop = path.resolve(lintRoot);
  const dirs: string[] = [];
  for (let d = path.dirname(absFile); ; d = path.dirname(d)) {
    dirs.push(d);
    if (d === stop || !d.startsWith(stop + path.sep) || path.dirname(d) === d) break;
  }
  for (const d of dirs) if (existsSync(path.join(d, 'nginx.conf'))) return d;
  for (const d of dirs) {
    if (path.basename(d) === 'nginx') return d;
    if (['sites-enabled', 'sites-available', 'conf.d', 'snippets'].some((s) => isDir(path.join(d, s)))) return d;
  }
  return path.dirname(absFile);
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function parseFileText(text: string, file: string, absPath: string): { directives: Directive[]; template: boolean } {
  const t = stripTemplating(text, absPath);
  return { directives: parseNginx(t.text, file).directives, template: t.template };
}

/**
 * Parses `absPath` and splices every `include` in place, resolved against the
 * configuration root (as nginx does) and then the including file's
 * directory, with glob patterns expanded in sorted order. Absolute paths are
 * looked up inside the repository (`/etc/nginx/conf.d/x.conf` →
 * `<root>/conf.d/x.conf`), never on this machine. A missing file, a cycle or
 * an unparsable included file is noted and skipped. The top file's own
 * parse errors are thrown.
 */
export function expandConfig(absPath: string, host: IncludeHost, root = configRoot(absPath, host.root)): ExpandedConfig {
  const text = host.readFile(absPath);
  const file = host.displayPath(absPath);
  if (text === undefined) throw new ParseError('cannot read file', { file, line: 1, column: 1, endLine: 1, endColumn: 1 });
  const top = parseFileText(text, file, absPath);
  const out: ExpandedConfig = { absPath, file, directives: [], files: new Set([realPath(absPath)]), notes: [], template: top.template };
  out.directives = splice(top.directives, absPath, [realPath(absPath)], [], host, root, out);
  return out;
}

function splice(list: Directive[], absFile: string, stack: string[], via: Directive[], host: IncludeHost, root: string, out: ExpandedConfig): Directive[] {
  const result: Directive[] = [];
  for (const d0 of list) {
    const d = via.length ? { ...d0, includedVia: via } : d0;
    if (d.block && !d.lua) d.block = splice(d.block, absFile, stack, via, host, root, out);
    result.push(d);
    if (d.name !== 'include' || d.args.length !== 1 || d.block) continue;
    const target = d.args[0]!.value;
    if (stack.length >= MAX_DEPTH || out.files.size >= MAX_FILES) {
      out.notes.push({ kind: 'too-deep', loc: d.loc, target });
      continue;
    }
    const found = resolveInclude(target, absFile, root, host.root);
    if (found.length === 0) {
      if (!isGlob(target) && !STOCK_INCLUDES.test(target)) out.notes.push({ kind: 'missing', loc: d.loc, target });
      continue;
    }
    for (const abs of found) {
      const real = realPath(abs);
      if (stack.includes(real)) {
        out.notes.push({ kind: 'cycle', loc: d.loc, target, detail: host.displayPath(abs) });
        continue;
      }
      const text = host.readFile(abs);
      if (text === undefined) {
        out.notes.push({ kind: 'missing', loc: d.loc, target });
        continue;
      }
      let parsed;
      try {
        // sites-enabled/x is usually a symlink: findings go to the file people edit.
        const shown = real.startsWith(path.resolve(host.root) + path.sep) ? real : abs;
        parsed = parseFileText(text, host.displayPath(shown), abs);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        out.notes.push({ kind: 'unparsable', loc: d.loc, target, detail: `${e.loc.file}:${e.loc.line}: ${e.message}` });
        continue;
      }
      out.files.add(real);
      if (parsed.template) out.template = true;
      result.push(...splice(parsed.directives, abs, [...stack, real], [...via, d], host, root, out));
    }
  }
  return result;
}

export function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** The files an include names, in the order nginx reads them. */
export function resolveInclude(target: string, includingFile: string, configDir: string, lintRoot: string): string[] {
  const bases: string[] = [];
  if (path.isAbsolute(target)) {
    // Deployed paths (/etc/nginx/...) map onto the repository by their longest existing suffix.
    const parts = target.split('/').filter(Boolean);
    // Keep the file's directory (sites-enabled/*, not a bare *): a bare name would match unrelated files.
    for (let k = 1; k < Math.max(parts.length - 1, 1); k++) {
      const suffix = parts.slice(k).join('/');
      for (const base of [configDir, lintRoot]) {
        const hits = expand(path.join(base, suffix));
        if (hits.length) return hits;
      }
    }
    return bases;
  }
  for (const base of [configDir, path.dirname(includingFile)]) {
    const hits = expand(path.join(base, target));
    if (hits.length) return hits;
  }
  return [];
}

function expand(abs: string): string[] {
  if (!isGlob(abs)) {
    try {
      return statSync(abs).isFile() ? [abs] : [];
    } catch {
      return [];
    }
  }
  const parts = abs.split(path.sep);
  let current = [parts[0] === '' ? path.sep : parts[0]!];
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i]!;
    if (seg === '') continue;
    const next: string[] = [];
    for (const dir of current) {
      if (!isGlob(seg)) {
        next.push(path.join(dir, seg));
        continue;
      }
      const matches = globSegment(seg);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names.sort()) if (!n.startsWith('.') && matches(n)) next.push(path.join(dir, n));
    }
    current = next;
  }
  return current.filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * glob(3) for one path segment: `*`, `?`, `[...]`. Matched on the probes'
 * linear-time matcher: `a*a*a*…b` would be polynomial on a backtracking one.
 */
function globSegment(seg: string): (name: string) => boolean {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return (name) => testRegex(`^${re}$`, '', 'js', name) ?? false;
}
