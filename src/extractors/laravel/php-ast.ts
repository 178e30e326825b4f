import phpParser from 'php-parser';
import type { Loc } from '../../model/index.js';
import { ParseError } from '../../model/index.js';

/** php-parser's untyped node shape; accessors below keep the rest of the adapter typed. */
export interface PhpNode {
  kind: string;
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } } | null;
  [key: string]: unknown;
}

// php-parser 3.7 accepts versions up to 9.0; '8.5' enables every syntax it knows (property hooks, pipes).
const PARSER_OPTIONS = { parser: { extractDoc: false, php8: true, version: '8.5' }, ast: { withPositions: true } };

type EngineCtor = new (options: typeof PARSER_OPTIONS) => { parseCode(code: string, filename: string): unknown };
const Engine = ((phpParser as unknown as { Engine?: EngineCtor }).Engine ?? phpParser) as unknown as EngineCtor;

let engine: InstanceType<EngineCtor> | undefined;

/** Parse a PHP file; a syntax error becomes a ParseError at its position. */
export function parsePhp(text: string, file: string): PhpNode {
  engine ??= new Engine(PARSER_OPTIONS);
  try {
    return engine.parseCode(text, file) as PhpNode;
  } catch (e) {
    const err = e as { message?: string; lineNumber?: number; columnNumber?: number };
    if (typeof err.lineNumber !== 'number') throw e;
    const line = Math.max(1, err.lineNumber);
    const column = (err.columnNumber ?? 0) + 1;
    const message = String(err.message ?? 'syntax error')
      .replace(/^Parse Error\s*:\s*/, '')
      .replace(/\s+on line \d+$/, '');
    throw new ParseError(`PHP ${message}`, { file, line, column, endLine: line, endColumn: column + 1 });
  }
}

export function locOfNode(node: PhpNode | undefined | null, file: string, fallback?: Loc): Loc {
  const l = node?.loc;
  if (!l) return fallback ?? { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { file, line: l.start.line, column: l.start.column + 1, endLine: l.end.line, endColumn: l.end.column + 1 };
}

export function isNode(v: unknown): v is PhpNode {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string';
}

export function child(n: PhpNode, key: string): PhpNode | undefined {
  const v = n[key];
  return isNode(v) ? v : undefined;
}

export function children(n: PhpNode, key: string): PhpNode[] {
  const v = n[key];
  return Array.isArray(v) ? v.filter(isNode) : [];
}

export function text(n: PhpNode, key: string): string | undefined {
  const v = n[key];
  return typeof v === 'string' ? v : undefined;
}

/** Every direct child node, in source order as php-parser lists them. */
export function childNodes(n: PhpNode): PhpNode[] {
  const out: PhpNode[] = [];
  for (const [k, v] of Object.entries(n)) {
    if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
    if (isNode(v)) out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (isNode(x)) out.push(x);
  }
  return out;
}

/** Depth-first walk with the ancestor chain (nearest last). */
export function walk(root: PhpNode, visit: (n: PhpNode, ancestors: PhpNode[]) => void): void {
  const stack: PhpNode[] = [];
  const go = (n: PhpNode) => {
    visit(n, stack);
    stack.push(n);
    for (const c of childNodes(n)) go(c);
    stack.pop();
  };
  go(root);
}

/** The called function's lower-case name for `f(...)` / `\f(...)`, else undefined. */
export function calleeName(call: PhpNode): string | undefined {
  if (call.kind !== 'call') return undefined;
  const what = child(call, 'what');
  if (!what || what.kind !== 'name') return undefined;
  return text(what, 'name')?.replace(/^\\/, '').toLowerCase();
}

/** `$x->name(...)` / `$x?->name(...)`: the method name, lower-cased. */
export function methodName(call: PhpNode): string | undefined {
  if (call.kind !== 'call') return undefined;
  const what = child(call, 'what');
  if (!what || (what.kind !== 'propertylookup' && what.kind !== 'nullsafepropertylookup')) return undefined;
  const off = child(what, 'offset');
  return off?.kind === 'identifier' ? text(off, 'name')?.toLowerCase() : undefined;
}
