import type * as ES from 'estree';
import type { ExtractContext, ExtractResult, Extractor, SourceFile } from '../../model/index.js';
import type { ModuleResolver } from '../express/evaluate.js';
import { Evaluator } from '../express/evaluate.js';
import { contextResolver, parseProgram } from '../express/index.js';
import { appListenFacts } from '../js-middleware/packages.js';
import { projectVersions } from '../js-middleware/version.js';
import { APP_FACTORIES, KOA_PACKAGES, koaPolicies } from './use.js';
import { isJsSourcePath, looksGenerated } from '../js-middleware/source-files.js';

const SNIFF = /@koa\/cors|kcors/;

export interface KoaExtractOptions {
  /** The module's identity for `resolve` (an absolute path in the CLI); defaults to `file`. */
  id?: string;
  /** The source text, used to quote custom origin checks in messages. */
  text?: string;
  /** The version of a package the project pins (package-lock.json / package.json), if known. */
  versionOf?: (pkg: string) => string | undefined;
}

/** The ESTree half of the Koa extractor (no parser, no file system), for the CLI and the ESLint plugin. */
export function extractKoaFromProgram(program: ES.Program, file: string, resolve: ModuleResolver, options: KoaExtractOptions = {}): ExtractResult {
  const ev = new Evaluator(resolve, KOA_PACKAGES);
  const mod = ev.module({ id: options.id ?? file, file, program, ...(options.text !== undefined ? { text: options.text } : {}) });
  const policies = koaPolicies(ev, mod, options.versionOf ?? (() => undefined));
  if (!policies.length) return { policies };
  const facts = appListenFacts(ev, mod, APP_FACTORIES, 'koa');
  return facts.length ? { policies, facts } : { policies };
}

export const koaExtractor: Extractor = {
  name: 'koa',
  matchesPath: isJsSourcePath,
  sniff: (text: string) => SNIFF.test(text) && !looksGenerated(text),
  extract(file: SourceFile, ctx: ExtractContext) {
    const program = parseProgram(file.text, file.path);
    return extractKoaFromProgram(program, file.path, contextResolver(ctx), {
      id: file.absPath,
      text: file.text,
      versionOf: projectVersions(file.absPath, ctx.root, ctx.readFile),
    });
  },
};
