import path from 'node:path';
import type { ExtractContext, Extractor, SourceFile } from '../../model/index.js';
import type { ModuleResolver, ModuleSource } from './evaluate.js';
import { extractFromProgram } from './extract.js';
import { JS_EXTENSIONS, parseProgram } from './parse.js';
import { aliasTargets } from './tsconfig-paths.js';
import { isJsSourcePath, looksGenerated } from '../js-middleware/source-files.js';

export { extractFromProgram } from './extract.js';
export type { ModuleResolver, ModuleSource } from './evaluate.js';
export { parseProgram } from './parse.js';

const SNIFF = /cors|access-control/i;

/** `./config/cors` → the file it names, the way Node and TypeScript look it up. */
export function resolveRelative(fromAbs: string, spec: string, exists: (abs: string) => boolean): string | undefined {
  if (!spec.startsWith('./') && !spec.startsWith('../') && spec !== '.' && spec !== '..') return undefined;
  return resolveModulePath(path.resolve(path.dirname(fromAbs), spec), exists);
}

/** An absolute module path, with the extensions and `index` files Node and TypeScript try. */
function resolveModulePath(base: string, exists: (abs: string) => boolean): string | undefined {
  const ext = path.extname(base);
  const candidates: string[] = [];
  if (JS_EXTENSIONS.includes(ext)) {
    candidates.push(base);
    // TypeScript's ESM convention: import './x.js' compiles from ./x.ts.
    const stem = base.slice(0, -ext.length);
    const ts = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] }[ext] ?? [];
    for (const t of ts) candidates.push(stem + t);
  } else {
    for (const e of JS_EXTENSIONS) candidates.push(base + e);
    for (const e of JS_EXTENSIONS) candidates.push(path.join(base, `index${e}`));
  }
  return candidates.find(exists);
}

export function contextResolver(ctx: ExtractContext): ModuleResolver {
  const exists = (p: string) => ctx.readFile(p) !== undefined;
  const aliasCache = new Map<string, Parameters<typeof aliasTargets>[4] extends Map<string, infer V> ? V : never>();
  return (fromId: string, spec: string): ModuleSource | undefined => {
    let abs = resolveRelative(fromId, spec, exists);
    // A bare specifier is a package unless the project's tsconfig/jsconfig maps it into the repository.
    if (!abs && !spec.startsWith('.') && !path.isAbsolute(spec)) {
      for (const base of aliasTargets(fromId, spec, path.resolve(ctx.root), ctx.readFile, aliasCache)) {
        abs = resolveModulePath(base, exists);
        if (abs) break;
      }
    }
    if (!abs) return undefined;
    const text = ctx.readFile(abs)!;
    const file = ctx.displayPath(abs);
    try {
      return { id: abs, file, program: parseProgram(text, file), text };
    } catch {
      // The imported file gets its own parse-error finding when it is linted; here its values are unknown.
      return undefined;
    }
  };
}

export const expressExtractor: Extractor = {
  name: 'express',
  matchesPath: isJsSourcePath,
  sniff: (text: string) => SNIFF.test(text) && !looksGenerated(text),
  extract(file: SourceFile, ctx: ExtractContext) {
    const program = parseProgram(file.text, file.path);
    return extractFromProgram(program, file.path, contextResolver(ctx), { id: file.absPath, text: file.text });
  },
};
