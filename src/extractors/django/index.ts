import path from 'node:path';
import type { ExtractContext, ExtractResult, Extractor, Policy, SourceFile } from '../../model/index.js';
import { ParseError } from '../../model/index.js';
import type { ModuleResult } from './evaluate.js';
import { SettingsEvaluator } from './evaluate.js';
import { ancestors, defaultSettingsModules, expandInclude, isShadowedByPackage, listDir, resolveModule, starImportSpecs } from './modules.js';
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
  sniff: (text) =>
    text.includes('CORS_') || text.includes('corsheaders') || /\bimport\s+\*/.test(text) || text.includes('split_settings') || text.includes('MIDDLEWARE'),
  extract: (file, ctx) => extractDjango(file, ctx),
};

export interface DjangoExtractOptions {
  /** Read the settings as this django-cors-headers release would, instead of the version the project pins (oracle tests). */
  version?: string;
}

const DJANGO_MARKERS = /corsheaders|INSTALLED_APPS|\bMIDDLEWARE\b|ROOT_URLCONF|\bdjango\b|DJANGO_/;

interface RunState {
  evaluator: SettingsEvaluator;
  /** For each scanned module, the repository modules it star-imports or includes. */
  feeds: Map<string, Set<string>>;
  /** Settings modules whose policy this run has produced already. */
  emitted: Set<string>;
  /** For each directory holding manage.py, the modules DJANGO_SETTINGS_MODULE names by default. */
  named: Map<string, string[]>;
}

/** One evaluator per lint run: a base module shared by dev.py and prod.py is read once. */
const runs = new WeakMap<ExtractContext, RunState>();

export async function extractDjango(file: SourceFile, ctx: ExtractContext, options: DjangoExtractOptions = {}): Promise<ExtractResult> {
  if (isShadowedByPackage(file.absPath, (p) => ctx.readFile(p) !== undefined)) return { policies: [] };
  const corsHere = mayConfigureCors(file, ctx);
  // A base that only holds MIDDLEWARE matters through the settings built on it (see below).
  if (!corsHere && !file.text.includes('MIDDLEWARE')) return { policies: [] };
  const parser = await pythonParser();
  let run = runs.get(ctx);
  if (!run) {
    run = {
      evaluator: new SettingsEvaluator({ root: ctx.root, parser, read: (p) => ctx.readFile(p), display: (p) => ctx.displayPath(p) }),
      feeds: new Map(),
      emitted: new Set(),
      named: new Map(),
    };
    runs.set(ctx, run);
  }
  const importers = isEntryModule(file.absPath, ctx, run) ? [] : importersOf(file.absPath, ctx, run);
  if (!corsHere && !importers.length) return { policies: [] };
  let module: ModuleResult;
  try {
    // Parsed first: a CORS settings module's syntax errors are reported even when it is only a building block.
    module = run.evaluator.evaluate(file.absPath, file.text);
  } catch (e) {
    if (e instanceof ParseError && (!corsHere || isTemplate(file))) return { policies: [] };
    throw e;
  }
  if (!importers.length) {
    const own = policyFor(file.absPath, module, ctx, run, options);
    return { policies: own ? [own] : [] };
  }
  // A building block (base.py) is checked through the settings modules built on it, so a
  // pre-commit run that changes only base.py still sees what dev.py and prod.py load.
  const policies = [];
  for (const leaf of leavesOf(file.absPath, ctx, run)) {
    const text = ctx.readFile(leaf);
    if (text === undefined) continue;
    let leafModule: ModuleResult;
    try {
      leafModule = run.evaluator.evaluate(leaf, text);
    } catch (e) {
      if (e instanceof ParseError) continue; // reported when that file is linted itself
      throw e;
    }
    const p = policyFor(leaf, leafModule, ctx, run, options);
    if (p) policies.push(p);
  }
  return { policies };
}

/** The policy of a settings module Django can load, once per run. */
function policyFor(abs: string, module: ModuleResult, ctx: ExtractContext, run: RunState, options: DjangoExtractOptions): Policy | undefined {
  if (run.emitted.has(abs)) return undefined;
  if (![...module.env.keys()].some((k) => k.startsWith('CORS_') && isAssigned(module, k))) return undefined;
  const display = ctx.displayPath(abs);
  if (!looksLikeDjango(display, abs, module, ctx)) return undefined;
  if (!usesCorsHeaders(abs, module, ctx)) return undefined;
  run.emitted.add(abs);
  const version = options.version ?? detectVersion(abs, ctx.root, (p) => ctx.readFile(p))?.version;
  return buildPolicy({ module, file: display, version });
}

/** The settings modules built on `abs` that nothing else builds on (dev.py, prod.py for base.py). */
function leavesOf(abs: string, ctx: ExtractContext, run: RunState): string[] {
  const leaves = new Set<string>();
  const seen = new Set<string>([abs]);
  const visit = (m: string) => {
    for (const imp of importersOf(m, ctx, run)) {
      if (seen.has(imp)) continue;
      seen.add(imp);
      if (isEntryModule(imp, ctx, run) || !importersOf(imp, ctx, run).length) leaves.add(imp);
      else visit(imp);
    }
  };
  visit(abs);
  return [...leaves].sort();
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

function looksLikeDjango(display: string, abs: string, module: ModuleResult, ctx: ExtractContext): boolean {
  if (/(^|\/)settings(\/|\.py$|_)|_settings\.py$/.test(display)) return true;
  for (const f of [abs, ...module.deps]) {
    const t = ctx.readFile(f);
    if (t && DJANGO_MARKERS.test(t)) return true;
  }
  return false;
}

/**
 * CORS_* settings read by a project's own middleware are not
 * django-cors-headers': when MIDDLEWARE is visible and nothing the settings
 * load mentions `corsheaders` (not INSTALLED_APPS, not MIDDLEWARE), the
 * package is not in use. With MIDDLEWARE out of sight we cannot tell, and
 * read the settings as django-cors-headers'.
 */
function usesCorsHeaders(abs: string, module: ModuleResult, ctx: ExtractContext): boolean {
  const mw = module.env.get('MIDDLEWARE')?.value;
  if (!mw || mw.t !== 'seq') return true;
  return [abs, ...module.deps].some((f) => ctx.readFile(f)?.includes('corsheaders'));
}

/**
 * `settings.py` and a `settings/__init__.py` package are what
 * DJANGO_SETTINGS_MODULE names by default, and so is whatever manage.py,
 * wsgi.py or asgi.py set it to (`config.django.base`, which production.py
 * also builds on): they are always checked, even when another settings module
 * star-imports them.
 */
function isEntryModule(abs: string, ctx: ExtractContext, run: RunState): boolean {
  const base = path.basename(abs);
  if (base === 'settings.py' || (base === '__init__.py' && path.basename(path.dirname(abs)) === 'settings')) return true;
  for (const d of ancestors(path.dirname(abs), ctx.root)) {
    let named = run.named.get(d);
    if (!named) {
      named = defaultSettingsModules(d, (p) => ctx.readFile(p));
      run.named.set(d, named);
    }
    if (named.includes(abs)) return true;
  }
  return false;
}

/**
 * A cookiecutter/copier template (`{{cookiecutter.project_slug}}/config/settings/base.py`,
 * `{% if cookiecutter.use_drf %}` lines) is not Python until it is rendered:
 * its syntax errors are not the project's.
 */
function isTemplate(file: SourceFile): boolean {
  return /\{\{[^/]*\}\}/.test(file.path) || /^[ \t]*\{[%{#]/m.test(file.text);
}

/**
 * The modules in this one's directory, its parent or grandparent, or a
 * package next to its own, that star-import or include it. (Relative imports
 * and split-settings includes point down or sideways, so the importer lives
 * there.)
 */
function importersOf(abs: string, ctx: ExtractContext, run: RunState): string[] {
  const out: string[] = [];
  const [own, parent, grandparent] = ancestors(path.dirname(abs), ctx.root);
  // Also the packages next to this one: config/django/base.py importing config/settings/cors.py.
  const siblings = parent ? listDir(parent).map((n) => path.join(parent, n)).filter((d) => d !== own && ctx.readFile(path.join(d, '__init__.py')) !== undefined) : [];
  for (const d of [own, parent, grandparent, ...siblings]) {
    if (!d) continue;
    for (const name of listDir(d)) {
      if (!name.endsWith('.py')) continue;
      const g = path.join(d, name);
      if (g === abs) continue;
      let fed = run.feeds.get(g);
      if (!fed) {
        const text = ctx.readFile(g);
        fed = new Set(text && (/\bimport\s+\*/.test(text) || text.includes('split_settings')) ? feeds(g, text, ctx) : []);
        run.feeds.set(g, fed);
      }
      if (fed.has(abs)) out.push(g);
    }
  }
  return out;
}
