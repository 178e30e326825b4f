import { createRequire } from 'node:module';
import type { Node, Tree } from 'web-tree-sitter';
import { Language, Parser } from 'web-tree-sitter';
import type { Loc } from '../../model/index.js';
import { ParseError } from '../../model/index.js';

export type { Node } from 'web-tree-sitter';

let ready: Promise<Parser> | undefined;

/**
 * The Python parser, loaded once per process: initialising the WebAssembly
 * runtime and the grammar takes tens of milliseconds, parsing a settings
 * module well under one.
 */
export function pythonParser(): Promise<Parser> {
  ready ??= (async () => {
    await Parser.init();
    // Resolved through the package, not a relative path, so it works from src/ (vitest) and dist/ alike.
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-python/tree-sitter-python.wasm');
    const language = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  // A failed load must not poison every later call with the same rejected promise.
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

/** 1-based line/column; tree-sitter's columns are UTF-16 code units here, like the editor's. */
export function nodeLoc(file: string, n: Node): Loc {
  return {
    file,
    line: n.startPosition.row + 1,
    column: n.startPosition.column + 1,
    endLine: n.endPosition.row + 1,
    endColumn: n.endPosition.column + 1,
  };
}

/**
 * Parse `text` and hand the tree to `use`; the tree is freed afterwards
 * (WebAssembly memory is not garbage-collected). A syntax error becomes a
 * ParseError at the first ERROR or MISSING node.
 */
export function withTree<T>(parser: Parser, text: string, file: string, use: (root: Node) => T): T {
  const tree: Tree | null = parser.parse(text);
  if (!tree) throw new ParseError('the Python parser gave up on this file', { file, line: 1, column: 1, endLine: 1, endColumn: 1 });
  try {
    const root = tree.rootNode;
    if (root.hasError) {
      const bad = firstError(root) ?? root;
      const what = bad.isMissing ? `missing \`${bad.type}\`` : 'invalid syntax';
      throw new ParseError(`${what} (Python)`, nodeLoc(file, bad));
    }
    return use(root);
  } finally {
    tree.delete();
  }
}

function firstError(n: Node): Node | undefined {
  if (n.isError || n.isMissing) return n;
  if (!n.hasError) return undefined;
  for (const c of n.children) {
    if (!c) continue;
    const hit = firstError(c);
    if (hit) return hit;
  }
  return undefined;
}
