import type * as ES from 'estree';
import type { ExtractContext, ExtractResult, Extractor, Policy, SourceFile } from '../../model/index.js';
import type { Mod, ModuleResolver } from '../express/evaluate.js';
import { Evaluator } from '../express/evaluate.js';
import { contextResolver, parseProgram } from '../express/index.js';
import { appListenFacts } from './packages.js';
import { isJsSourcePath, looksGenerated } from './source-files.js';
import { projectVersions } from './version.js';

export interface MiddlewareExtractOptions {
  /** The module's identity for `resolve` (an absolute path in the CLI); defaults to `file`. */
  id?: string;
  /** The source text, used to quote custom origin checks in messages. */
  text?: string;
  /** The version of a package the project pins (package-lock.json / package.json), if known. */
  versionOf?: (pkg: string) => string | undefined;
}

/** What a JS CORS middleware's extractor knows: its packages, how its calls read, what creates its app. */
export interface MiddlewareSpec {
  name: 'fastify' | 'koa';
  /** A cheap look for the package's name. */
  sniff: RegExp;
  /** Every package the evaluator must model. */
  packages: ReadonlySet<string>;
  policies(ev: Evaluator, mod: Mod, versionOf: (pkg: string) => string | undefined): Policy[];
  /** The exports that create an app (for the `listen` facts). */
  appFactories: ReadonlySet<string>;
}

/**
 * The ESTree half of a middleware's extractor (no parser, no file system),
 * so the ESLint plugin can run it on ESLint's own AST.
 */
export function fromProgram(spec: MiddlewareSpec): (program: ES.Program, file: string, resolve: ModuleResolver, options?: MiddlewareExtractOptions) => ExtractResult {
  return (program, file, resolve, options = {}) => {
    const ev = new Evaluator(resolve, spec.packages);
    const mod = ev.module({ id: options.id ?? file, file, program, ...(options.text !== undefined ? { text: options.text } : {}) });
    const policies = spec.policies(ev, mod, options.versionOf ?? (() => undefined));
    if (!policies.length) return { policies };
    const facts = appListenFacts(ev, mod, spec.appFactories, spec.name);
    return facts.length ? { policies, facts } : { policies };
  };
}

/** The extractor the CLI runs: parse the file, then `fromProgram` with the project's pinned versions. */
export function middlewareExtractor(spec: MiddlewareSpec): Extractor {
  const extract = fromProgram(spec);
  return {
    name: spec.name,
    matchesPath: isJsSourcePath,
    sniff: (text: string) => spec.sniff.test(text) && !looksGenerated(text),
    extract(file: SourceFile, ctx: ExtractContext) {
      const program = parseProgram(file.text, file.path);
      return extract(program, file.path, contextResolver(ctx), {
        id: file.absPath,
        text: file.text,
        versionOf: projectVersions(file.absPath, ctx.root, ctx.readFile),
      });
    },
  };
}
