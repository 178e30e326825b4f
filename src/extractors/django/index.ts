import path from 'node:path';
import type { ExtractContext, ExtractResult, Extractor, SourceFile } from '../../model/index.js';
import type { ModuleResult } from './evaluate.js';
import { SettingsEvaluator } from './evaluate.js';
import { ancestors, expandInclude, listDir, resolveModule, starImportSpecs } from './modules.js';
import { pythonParser } from './parser.js';
import { buildPolicy } from './settings.js';
import { detectVersion } from './version.js';

/**
 * Django settings modules configuring django-cors-headers. One policy per
 * settings module that Django could load (see docs/extractors/django.md for
 * how split settings are handled): a module that another module of the
 * project star-imports or includes is read through that module instead.
 */
export const djangoExtractor: Extractor = {
  name: 'django',
  matchesPath: (relPath) => relPath.endsWith('.py'),
  // Settings that only star-import the CORS ones (prod.py: `from .base import *`) mention no CORS_ themselves.
  sniff: (text) => text.includes('CORS_') || text.includes('corsheaders') || /\bimport\s+\*/.test(text) || text.includes('split_settings'),
  extract: (file, ctx) => extractDjango(file, ctx),
};

export interface DjangoExtractOptions {
  /** Read the settings as this django-cors-headers release would, instead of the version the project pins (oracle tests). */
  version?: string;
}

const DJANGO_MARKERS = /corsheaders|INSTALLED_APPS|\bMIDDLEWARE\b|ROOT_URLCONF|\bdjango\b|DJANGO_/;

interface RunState {
  evaluator: SettingsEvaluator;
  importers: Map<string, Set<string>>;
}

/** One evaluator per lint run: a base module shared by dev.py and prod.py is read once. */
const runs = new WeakMap<ExtractContext, RunState>();

export async function extractDjango(file: SourceFile, ctx: ExtractContext, options: DjangoExtractOptions = {}): Promise<ExtractResult> {
  if (!mayConfigureCors(file, ctx)) return { policies: [] };
  const parser = await pythonParser();
  let run = runs.get(ctx);
  if (!run) {
    run = {
      evaluator: new SettingsEvaluator({ root: ctx.root, parser, read: (p) => ctx.readFile(p), display: (p) => ctx.displayPath(p) }),
      importers: new Map(),
    };
    runs.set(ctx, run);
  }
  const module = run.evaluator.evaluate(file.absPath, file.text);
  if (![...module.env.keys()].some((k) => k.startsWith('CORS_') && isAssigned(module, k))) return { policies: [] };
  if (!looksLikeDjango(file, module, ctx)) return { policies: [] };
  if (!isEntryModule(file.absPath) && importedByAnother(file.absPath, ctx, run)) return { policies: [] };
  const version = options.version ?? detectVersion(file.absPath, ctx.root, (p) => ctx.readFile(p))?.version;
  return { policies: [buildPolicy({ module, file: file.path, version })] };
}

function isAssigned(m: ModuleResult, k: string): boolean {
  const t = m.env.get(k)?.value.t;
  return t !== undefined && t !== 'absent' && t !== 'ref';
}

/** Cheap text checks before parsing: does this module, or what it star-imports, mention CORS_ at all? */
function mayConfigureCors(file: SourceFile, ctx: ExtractContext): boolean {
  if (file.text.includes('CORS_')) return true;
  const seen = new Set<string>([file.absPath]);
  const queue: [string, string][] = [[file.absPath, file.text]];
  while (queue.length && seen.size < 32) {
    const [abs, text] = queue.shift()!;
    for (const dep of feeds(abs, text, ctx)) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      const t = ctx.readFile(dep);
      if (t === undefined) continue;
      if (t.includes('CORS_')) return true;
      queue.push([dep, t]);
    }
  }
  return false;
}

/** The repository modules `text` star-imports or includes. */
function feeds(abs: string, text: string, ctx: ExtractContext): string[] {
  const exists = (p: string) => ctx.readFile(p) !== undefined;
  const { stars, includes } = starImportSpecs(text);
  const out: string[] = [];
  for (const s of stars) {
    const hit = resolveModule(s, abs, ctx.root, exists);
    if (hit) out.push(hit);
  }
  if (text.includes('split_settings')) for (const pattern of includes) out.push(...expandInclude(pattern, abs, exists));
  return out;
}

function looksLikeDjango(file: SourceFile, module: ModuleResult, ctx: ExtractContext): boolean {
  if (/(^|\/)settings(\/|\.py$|_)|_settings\.py$/.test(file.path)) return true;
  if (DJANGO_MARKERS.test(file.text)) return true;
  for (const d of module.deps) {
    const t = ctx.readFile(d);
    if (t && DJANGO_MARKERS.test(t)) return true;
  }
  return false;
}

/**
 * `settings.py` and a `settings/__init__.py` package are what
 * DJANGO_SETTINGS_MODULE names by default: they are always checked, even when
 * a test settings module star-imports them.
 */
function isEntryModule(abs: string): boolean {
  const base = path.basename(abs);
  return base === 'settings.py' || (base === '__init__.py' && path.basename(path.dirname(abs)) === 'settings');
}

/**
 * Does another module in this one's directory, its parent or grandparent
 * star-import or include it? (Relative imports and split-settings includes
 * point down or sideways, so the importer lives there.)
 */
function importedByAnother(abs: string, ctx: ExtractContext, run: RunState): boolean {
  const dir = path.dirname(abs);
  for (const d of ancestors(dir, ctx.root).slice(0, 3)) {
    for (const name of listDir(d)) {
      if (!name.endsWith('.py')) continue;
      const g = path.join(d, name);
      if (g === abs) continue;
      let fed = run.importers.get(g);
      if (!fed) {
        const text = ctx.readFile(g);
        fed = new Set(text && (/\bimport\s+\*/.test(text) || text.includes('split_settings')) ? feeds(g, text, ctx) : []);
        run.importers.set(g, fed);
      }
      if (fed.has(abs)) return true;
    }
  }
  return false;
}
