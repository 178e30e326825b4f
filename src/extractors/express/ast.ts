import type * as ES from 'estree';
import type { Loc } from '../../model/index.js';

/**
 * Helpers over ESTree as produced by `@babel/parser` (plugin `estree`) and by
 * ESLint's parsers. TypeScript-only wrapper nodes (`x as T`, `x!`,
 * `x satisfies T`) are not in the ESTree typings, so they are recognised by
 * their `type` string and stripped: they never change a runtime value.
 */

export type Node = ES.Node;
export type FunctionNode = ES.FunctionDeclaration | ES.FunctionExpression | ES.ArrowFunctionExpression;

const TS_WRAPPERS = new Set(['TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'TSTypeAssertion', 'TSInstantiationExpression', 'ParenthesizedExpression']);

/** The runtime expression under TypeScript casts, parentheses and optional chains. */
export function unwrap(e: ES.Expression): ES.Expression;
export function unwrap(e: ES.Expression | ES.SpreadElement | ES.Super | ES.PrivateIdentifier): ES.Expression | ES.SpreadElement | ES.Super | ES.PrivateIdentifier;
export function unwrap(e: ES.Expression | ES.SpreadElement | ES.Super | ES.PrivateIdentifier): ES.Expression | ES.SpreadElement | ES.Super | ES.PrivateIdentifier {
  let cur = e;
  for (;;) {
    const t = cur.type as string;
    if (TS_WRAPPERS.has(t)) cur = (cur as unknown as { expression: ES.Expression }).expression;
    else if (cur.type === 'ChainExpression') cur = cur.expression;
    else return cur;
  }
}

export function isFunction(n: { type: string } | null | undefined): n is FunctionNode {
  return !!n && (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression');
}

export function locOf(node: Node | { loc?: ES.SourceLocation | null }, file: string): Loc {
  const l = node.loc;
  if (!l) return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  // ESLint's convention: 1-based columns, the end column just past the last character.
  return { file, line: l.start.line, column: l.start.column + 1, endLine: l.end.line, endColumn: l.end.column + 1 };
}

/** The source text of a node, when the text is available (for messages). */
export function sourceOf(node: Node, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const n = node as Node & { start?: number; end?: number };
  const range = n.range ?? (typeof n.start === 'number' && typeof n.end === 'number' ? [n.start, n.end] : undefined);
  if (!range) return undefined;
  const s = text.slice(range[0], range[1]).replace(/\s+/g, ' ');
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Keys that never hold runtime child nodes. */
const SKIP_KEYS = new Set([
  'type',
  'loc',
  'range',
  'start',
  'end',
  'parent',
  'extra',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'comments',
  'tokens',
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'typeArguments',
  'superTypeParameters',
  'superTypeArguments',
  'implements',
  'decorators',
  'predicate',
]);

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** Every direct child node, in source order. */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key)) continue;
    const v = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      for (const c of v) if (isNode(c)) out.push(c);
    } else if (isNode(v)) out.push(v);
  }
  return out;
}

/** Depth-first walk; `visit` returning false skips the node's children. */
export function walk(node: Node, visit: (n: Node, parent: Node | undefined) => boolean | void, parent?: Node): void {
  if (visit(node, parent) === false) return;
  for (const c of children(node)) walk(c, visit, node);
}

/** The name of a non-computed key or a string-literal key. */
export function staticKeyName(key: ES.Expression | ES.PrivateIdentifier, computed: boolean): string | undefined {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  return undefined;
}

/** `obj.name` or `obj['name']`: the property name when it is written literally. */
export function memberName(m: ES.MemberExpression): string | undefined {
  if (m.property.type === 'PrivateIdentifier') return undefined;
  return staticKeyName(m.property, m.computed);
}

/** The string value of a string literal or a template without expressions. */
export function stringLiteral(e: ES.Node | null | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type === 'Literal' && typeof e.value === 'string') return e.value;
  if (e.type === 'TemplateLiteral' && e.expressions.length === 0) return e.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

export function isIdent(e: ES.Node | null | undefined, name?: string): e is ES.Identifier {
  return !!e && e.type === 'Identifier' && (name === undefined || e.name === name);
}
