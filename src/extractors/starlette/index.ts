import type { ExtractContext, ExtractResult, Extractor, Policy, SourceFile } from '../../model/index.js';
import type { CallArgs } from '../django/app-calls.js';
import { callsIn, locOf, readCallArgs } from '../django/app-calls.js';
import type { StatementScope } from '../django/evaluate.js';
import { SettingsEvaluator } from '../django/evaluate.js';
import type { Node } from '../django/parser.js';
import { pythonParser } from '../django/parser.js';
import type { PyVal } from '../django/values.js';
import { starlettePolicy } from './policy.js';
import { starletteVersion } from './version.js';

/**
 * Starlette's `CORSMiddleware`, also as FastAPI re-exports it
 * (`fastapi.middleware.cors`): `app.add_middleware(CORSMiddleware, ...)`,
 * `Middleware(CORSMiddleware, ...)` in `Starlette(middleware=[...])` /
 * `FastAPI(middleware=[...])`, and `CORSMiddleware(app, ...)` wrapping an
 * ASGI app. One policy per call (docs/extractors/starlette.md).
 */
export const starletteExtractor: Extractor = {
  name: 'starlette',
  matchesPath: (relPath) => relPath.endsWith('.py'),
  sniff: (text) => text.includes('CORSMiddleware'),
  extract: (file, ctx) => extractStarlette(file, ctx),
};

export interface StarletteExtractOptions {
  /** Read the calls as this Starlette release would, instead of the version the project pins (oracle tests). */
  version?: string;
}

/** One evaluator per lint run: settings modules several apps import are read once. */
const runs = new WeakMap<ExtractContext, SettingsEvaluator>();

export async function extractStarlette(file: SourceFile, ctx: ExtractContext, options: StarletteExtractOptions = {}): Promise<ExtractResult> {
  const parser = await pythonParser();
  let evaluator = runs.get(ctx);
  if (!evaluator) {
    evaluator = new SettingsEvaluator({ root: ctx.root, parser, read: (p) => ctx.readFile(p), display: (p) => ctx.displayPath(p) });
    runs.set(ctx, evaluator);
  }
  const version = options.version ?? starletteVersion(file.absPath, ctx);
  const policies: Policy[] = [];
  evaluator.observe(file.absPath, file.text, (stmt, scope) => {
    for (const call of callsIn(stmt)) {
      const found = corsMiddlewareCall(call, scope);
      if (!found) continue;
      const p = starlettePolicy({ loc: locOf(scope, call), positional: found.positional, keywords: found.args.keywords, guards: scope.guards, version });
      if (p) policies.push(p);
    }
  });
  return { policies };
}

const CORS_CLASS = /^(starlette|fastapi)(\.[\w.]+)?\.CORSMiddleware$/;
const MIDDLEWARE_CLASS = /^(starlette|fastapi)(\.[\w.]+)?\.Middleware$/;

/** The class a name stands for: a Starlette/FastAPI import, or (imported from code corslint cannot see) the bare name. */
function names(v: PyVal, node: Node | undefined, re: RegExp, bare: string): boolean {
  if (v.t === 'ref') return re.test(v.name);
  return v.t === 'unknown' && node !== undefined && node.text === bare;
}

function positionalNodes(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  return (args?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment' && a.type !== 'keyword_argument' && a.type !== 'dictionary_splat');
}

/** Is `call` one that installs CORSMiddleware? Its arguments after the class (or the wrapped app). */
function corsMiddlewareCall(call: Node, scope: StatementScope): { args: CallArgs; positional: PyVal[] } | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const first = positionalNodes(call)[0];
  const isCors = (n: Node | undefined) => n !== undefined && names(scope.ev(n), n, CORS_CLASS, 'CORSMiddleware');
  // app.add_middleware(CORSMiddleware, ...): Starlette passes the app itself.
  if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'add_middleware') {
    if (!isCors(first)) return undefined;
    const args = readCallArgs(call, scope);
    return { args, positional: args.positional.slice(1) };
  }
  const callee = scope.ev(fn);
  if (names(callee, fn, MIDDLEWARE_CLASS, 'Middleware') && isCors(first)) {
    const args = readCallArgs(call, scope);
    return { args, positional: args.positional.slice(1) };
  }
  // CORSMiddleware(app, ...): an ASGI app wrapped by hand.
  if (names(callee, fn, CORS_CLASS, 'CORSMiddleware')) {
    const args = readCallArgs(call, scope);
    const appKeyword = args.keywords.options.delete('app');
    if (appKeyword) return { args, positional: args.positional };
    return args.positional.length ? { args, positional: args.positional.slice(1) } : undefined;
  }
  return undefined;
}
