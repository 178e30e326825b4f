import { readdirSync } from 'node:fs';
import path from 'node:path';
import { SKIPPED_DIRS } from '../../discover/files.js';
import type { ExtractContext } from '../../model/index.js';
import { ParseError } from '../../model/index.js';
import type { IncludeHost } from './include.js';
import { isNginxPath as isCandidatePath, sniffNginx as sniff } from './candidates.js';
import { expandConfig, realPath as realOf } from './include.js';

const MAX_CANDIDATES = 500;

interface Candidate {
  abs: string;
  real: string;
  files: Set<string>;
  sniffed: boolean;
}

/** Per run (the context object) and configuration root: every nginx file there and what it includes. */
const indexes = new WeakMap<ExtractContext, Map<string, Candidate[]>>();

export interface Includers {
  /** Some file that includes this one is linted in this run: it reports this file's directives. */
  linted: boolean;
  /** Otherwise, the top-level file to analyse this one in, when some file includes it. */
  top?: string;
}

/**
 * Which nginx files under the configuration root include `real` (a real
 * path), directly or through other includes. Mutual includes count once:
 * the file with the smaller path is the includer.
 */
export function includersOf(real: string, root: string, host: IncludeHost, ctx: ExtractContext): Includers {
  const candidates = indexFor(root, host, ctx);
  const self = candidates.find((c) => c.real === real);
  const includes = (c: Candidate, target: string) => c.real !== target && c.files.has(target);
  const includers = candidates.filter((c) => includes(c, real) && !(self && includes(self, c.real) && c.real > real));
  if (includers.length === 0) return { linted: false };
  const inRun = (c: Candidate) => c.sniffed && (ctx.runFiles ? ctx.runFiles.has(c.abs) || ctx.runFiles.has(c.real) : true);
  if (includers.some(inRun)) return { linted: true };
  const tops = includers.filter((c) => !candidates.some((o) => includes(o, c.real) && !includes(c, o.real)));
  return { linted: false, top: (tops[0] ?? includers[0]!).abs };
}

function indexFor(root: string, host: IncludeHost, ctx: ExtractContext): Candidate[] {
  let byRoot = indexes.get(ctx);
  if (!byRoot) indexes.set(ctx, (byRoot = new Map()));
  const hit = byRoot.get(root);
  if (hit) return hit;
  const out: Candidate[] = [];
  for (const abs of listFiles(root)) {
    const rel = path.relative(host.root, abs).split(path.sep).join('/');
    if (!isCandidatePath(rel)) continue;
    const text = host.readFile(abs);
    if (text === undefined || !/(^|[\s;{])include\s/m.test(text)) {
      out.push({ abs, real: realOf(abs), files: new Set([realOf(abs)]), sniffed: text !== undefined && sniff(text) });
      continue;
    }
    try {
      const tree = expandConfig(abs, host);
      out.push({ abs, real: realOf(abs), files: tree.files, sniffed: sniff(text) });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
    }
    if (out.length >= MAX_CANDIDATES) break;
  }
  byRoot.set(root, out);
  return out;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string, depth: number) => {
    if (depth > 8 || out.length > 5000) return;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.includes(e.name)) visit(p, depth + 1);
      } else if (e.isFile() || e.isSymbolicLink()) out.push(p);
    }
  };
  visit(dir, 0);
  return out;
}
