import type * as ES from 'estree';
import type { FunctionNode, Node } from './ast.js';
import { children, isFunction } from './ast.js';

/** One step from a destructuring initializer to the bound name. */
export type PathStep = { key: string } | { index: number } | { rest: true };

/**
 * What a name is bound to. Only what static evaluation needs: the
 * initializer (through destructuring), the declaring function, the import.
 */
export interface Binding {
  name: string;
  kind: 'var' | 'let' | 'const' | 'function' | 'class' | 'param' | 'import' | 'catch';
  id: ES.Identifier;
  init?: ES.Expression;
  path?: PathStep[];
  /** `const { a = 'x' } = o`: used when the destructured value is undefined. */
  defaultValue?: ES.Expression;
  /** The declared function (kind function), or the function whose parameter this is. */
  fn?: FunctionNode;
  paramIndex?: number;
  importSource?: string;
  /** 'default', '*' (namespace) or the imported name. */
  imported?: string;
  /** Assigned again after its declaration: its value is not the initializer. */
  reassigned: boolean;
  /** A property was assigned or a mutating method called on it (`o.x = 1`, `list.push(...)`). */
  mutated: boolean;
  /** The node owning the scope (Program, function, block). */
  scopeNode: Node;
  references: ES.Identifier[];
}

export interface ScopeInfo {
  bindingOf(id: ES.Identifier): Binding | undefined;
  /** Bindings declared directly in a scope-owning node. */
  bindingsIn(scopeNode: Node): Map<string, Binding>;
  /** The parent of every node. */
  parentOf(n: Node): Node | undefined;
}

const MUTATORS = new Set(['push', 'unshift', 'splice', 'pop', 'shift', 'add', 'set', 'delete', 'clear', 'sort', 'reverse', 'fill', 'copyWithin']);

interface Scope {
  node: Node;
  parent: Scope | undefined;
  names: Map<string, Binding>;
  /** var/function-scope owner (Program or function). */
  isFunction: boolean;
}

export function analyzeScopes(program: ES.Program): ScopeInfo {
  const refs = new Map<ES.Identifier, Binding>();
  const byNode = new Map<Node, Map<string, Binding>>();
  const parents = new Map<Node, Node>();

  const declare = (scope: Scope, b: Omit<Binding, 'reassigned' | 'mutated' | 'scopeNode' | 'references'>) => {
    const full: Binding = { ...b, reassigned: false, mutated: false, scopeNode: scope.node, references: [] };
    scope.names.set(b.name, full);
    refs.set(b.id, full);
  };

  const patternNames = (
    p: ES.Pattern,
    path: PathStep[],
    out: { id: ES.Identifier; path: PathStep[]; def?: ES.Expression }[],
    def?: ES.Expression,
  ) => {
    switch (p.type) {
      case 'Identifier':
        out.push(def ? { id: p, path, def } : { id: p, path });
        break;
      case 'ObjectPattern':
        for (const prop of p.properties) {
          if (prop.type === 'RestElement') patternNames(prop.argument, [...path, { rest: true }], out);
          else {
            const key = !prop.computed && prop.key.type === 'Identifier' ? prop.key.name : prop.key.type === 'Literal' ? String(prop.key.value) : undefined;
            const step: PathStep = key === undefined ? { rest: true } : { key };
            patternNames(prop.value, [...path, step], out);
          }
        }
        break;
      case 'ArrayPattern':
        p.elements.forEach((el, i) => {
          if (!el) return;
          if (el.type === 'RestElement') patternNames(el.argument, [...path, { rest: true }], out);
          else patternNames(el, [...path, { index: i }], out);
        });
        break;
      case 'AssignmentPattern':
        patternNames(p.left, path, out, p.right);
        break;
      case 'RestElement':
        patternNames(p.argument, [...path, { rest: true }], out);
        break;
      default:
        break;
    }
  };

  const declareVariable = (scope: Scope, decl: ES.VariableDeclaration) => {
    const kind = decl.kind === 'var' ? 'var' : decl.kind === 'const' ? 'const' : 'let';
    for (const d of decl.declarations) {
      const names: { id: ES.Identifier; path: PathStep[]; def?: ES.Expression }[] = [];
      patternNames(d.id, [], names);
      for (const n of names) {
        const b: Omit<Binding, 'reassigned' | 'mutated' | 'scopeNode' | 'references'> = { name: n.id.name, kind, id: n.id };
        if (d.init) b.init = d.init;
        if (n.path.length) b.path = n.path;
        if (n.def) b.defaultValue = n.def;
        declare(scope, b);
      }
    }
  };

  /** `var` and function declarations anywhere in a function body belong to the function. */
  const hoistVars = (scope: Scope, n: Node) => {
    for (const c of children(n)) {
      if (isFunction(c) || c.type === 'ClassDeclaration' || c.type === 'ClassExpression') continue;
      if (c.type === 'VariableDeclaration' && c.kind === 'var') declareVariable(scope, c);
      hoistVars(scope, c);
    }
  };

  const hoistBlock = (scope: Scope, body: Node[]) => {
    for (let s of body) {
      if ((s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration') && s.declaration) s = s.declaration as Node;
      if (s.type === 'VariableDeclaration' && s.kind !== 'var') declareVariable(scope, s);
      else if (s.type === 'FunctionDeclaration' && s.id) declare(scope, { name: s.id.name, kind: 'function', id: s.id, fn: s });
      else if (s.type === 'ClassDeclaration' && s.id) declare(scope, { name: s.id.name, kind: 'class', id: s.id });
      else if (s.type === 'ImportDeclaration') {
        const source = String(s.source.value);
        for (const spec of s.specifiers) {
          const imported =
            spec.type === 'ImportDefaultSpecifier'
              ? 'default'
              : spec.type === 'ImportNamespaceSpecifier'
                ? '*'
                : spec.imported.type === 'Identifier'
                  ? spec.imported.name
                  : String(spec.imported.value);
          declare(scope, { name: spec.local.name, kind: 'import', id: spec.local, importSource: source, imported });
        }
      } else if ((s.type as string) === 'TSImportEqualsDeclaration') {
        // `import cors = require('cors')`
        const t = s as unknown as { id: ES.Identifier; moduleReference: { type: string; expression?: ES.Literal } };
        if (t.moduleReference.type === 'TSExternalModuleReference' && t.moduleReference.expression) {
          declare(scope, { name: t.id.name, kind: 'import', id: t.id, importSource: String(t.moduleReference.expression.value), imported: 'require' });
        }
      }
    }
  };

  const lookup = (scope: Scope | undefined, name: string): Binding | undefined => {
    for (let s = scope; s; s = s.parent) {
      const b = s.names.get(name);
      if (b) return b;
    }
    return undefined;
  };

  const newScope = (node: Node, parent: Scope | undefined, isFn: boolean): Scope => {
    const s: Scope = { node, parent, names: new Map(), isFunction: isFn };
    byNode.set(node, s.names);
    return s;
  };

  const reference = (id: ES.Identifier, scope: Scope) => {
    const b = lookup(scope, id.name);
    if (b) {
      refs.set(id, b);
      b.references.push(id);
    }
    return b;
  };

  /** Identifiers assigned by a pattern on the left of `=` are reassignments. */
  const assignTargets = (p: ES.Pattern, scope: Scope) => {
    const names: { id: ES.Identifier; path: PathStep[] }[] = [];
    patternNames(p, [], names);
    for (const n of names) {
      const b = reference(n.id, scope);
      if (b) b.reassigned = true;
    }
  };

  const rootIdent = (e: ES.Node): ES.Identifier | undefined => {
    let cur: ES.Node = e;
    while (cur.type === 'MemberExpression') cur = cur.object;
    return cur.type === 'Identifier' ? cur : undefined;
  };

  const visit = (n: Node, scope: Scope, parent: Node | undefined): void => {
    if (parent) parents.set(n, parent);
    switch (n.type) {
      case 'Identifier':
        reference(n, scope);
        return;
      case 'MemberExpression':
        visit(n.object, scope, n);
        if (n.computed) visit(n.property, scope, n);
        else parents.set(n.property, n);
        return;
      case 'Property':
        if (n.computed) visit(n.key, scope, n);
        else parents.set(n.key, n);
        visit(n.value, scope, n);
        return;
      case 'PropertyDefinition':
      case 'MethodDefinition':
        if (n.computed) visit(n.key, scope, n);
        if (n.value) visit(n.value, scope, n);
        return;
      case 'LabeledStatement':
        visit(n.body, scope, n);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
        return;
      case 'ImportDeclaration':
        return;
      case 'ExportNamedDeclaration':
        if (n.declaration) visit(n.declaration, scope, n);
        if (!n.source) for (const s of n.specifiers) if (s.local.type === 'Identifier') reference(s.local, scope);
        return;
      case 'ExportAllDeclaration':
        return;
      case 'VariableDeclarator': {
        // Declarations were hoisted; only defaults and computed keys in the pattern are references.
        const names: { id: ES.Identifier; path: PathStep[] }[] = [];
        patternNames(n.id, [], names);
        for (const nm of names) parents.set(nm.id, n);
        visitPatternExpressions(n.id, scope, n);
        if (n.init) visit(n.init, scope, n);
        return;
      }
      case 'AssignmentExpression': {
        const left = n.left as ES.Pattern;
        if (left.type === 'MemberExpression') {
          const root = rootIdent(left);
          visit(left, scope, n);
          if (root) {
            const b = refs.get(root);
            if (b) b.mutated = true;
          }
        } else {
          parents.set(left, n);
          assignTargets(left, scope);
          visitPatternExpressions(left, scope, n);
        }
        visit(n.right, scope, n);
        return;
      }
      case 'UpdateExpression':
        if (n.argument.type === 'Identifier') {
          const b = reference(n.argument, scope);
          if (b) b.reassigned = true;
          parents.set(n.argument, n);
        } else visit(n.argument, scope, n);
        return;
      case 'CallExpression': {
        const callee = n.callee;
        if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && MUTATORS.has(callee.property.name)) {
          const root = rootIdent(callee.object);
          visit(callee, scope, n);
          if (root) {
            const b = refs.get(root);
            if (b) b.mutated = true;
          }
        } else visit(callee, scope, n);
        for (const a of n.arguments) visit(a, scope, n);
        return;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const fs = newScope(n, scope, true);
        if (n.type === 'FunctionExpression' && n.id) declare(fs, { name: n.id.name, kind: 'function', id: n.id, fn: n });
        n.params.forEach((p, i) => {
          const names: { id: ES.Identifier; path: PathStep[]; def?: ES.Expression }[] = [];
          const param = (p.type as string) === 'TSParameterProperty' ? (p as unknown as { parameter: ES.Pattern }).parameter : p;
          patternNames(param, [], names);
          for (const nm of names) {
            const b: Omit<Binding, 'reassigned' | 'mutated' | 'scopeNode' | 'references'> = { name: nm.id.name, kind: 'param', id: nm.id, fn: n, paramIndex: i };
            if (nm.path.length) b.path = nm.path;
            if (nm.def) b.defaultValue = nm.def;
            declare(fs, b);
            parents.set(nm.id, n);
          }
          parents.set(p, n);
          visitPatternExpressions(param, fs, n);
        });
        if (n.body.type === 'BlockStatement') {
          hoistVars(fs, n.body);
          hoistBlock(fs, n.body.body);
          parents.set(n.body, n);
          for (const s of n.body.body) visit(s, fs, n.body);
        } else visit(n.body, fs, n);
        return;
      }
      case 'BlockStatement':
      case 'StaticBlock': {
        const bs = newScope(n, scope, false);
        hoistBlock(bs, n.body);
        for (const s of n.body) visit(s, bs, n);
        return;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'SwitchStatement': {
        const bs = newScope(n, scope, false);
        if (n.type === 'SwitchStatement') for (const c of n.cases) hoistBlock(bs, c.consequent);
        else {
          const init = n.type === 'ForStatement' ? n.init : n.left;
          if (init && init.type === 'VariableDeclaration' && init.kind !== 'var') declareVariable(bs, init);
        }
        for (const c of children(n)) visit(c, bs, n);
        return;
      }
      case 'CatchClause': {
        const cs = newScope(n, scope, false);
        if (n.param) {
          const names: { id: ES.Identifier; path: PathStep[] }[] = [];
          patternNames(n.param, [], names);
          for (const nm of names) {
            declare(cs, { name: nm.id.name, kind: 'catch', id: nm.id });
            parents.set(nm.id, n);
          }
        }
        parents.set(n.body, n);
        hoistBlock(cs, n.body.body);
        for (const s of n.body.body) visit(s, cs, n.body);
        return;
      }
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (n.superClass) visit(n.superClass, scope, n);
        visit(n.body, scope, n);
        return;
      default:
        for (const c of children(n)) visit(c, scope, n);
    }
  };

  const visitPatternExpressions = (p: ES.Pattern, scope: Scope, parent: Node) => {
    switch (p.type) {
      case 'ObjectPattern':
        for (const prop of p.properties) {
          parents.set(prop, parent);
          if (prop.type === 'RestElement') visitPatternExpressions(prop.argument, scope, prop);
          else {
            if (prop.computed) visit(prop.key, scope, prop);
            visitPatternExpressions(prop.value, scope, prop);
          }
        }
        break;
      case 'ArrayPattern':
        for (const el of p.elements) if (el) visitPatternExpressions(el, scope, p);
        break;
      case 'AssignmentPattern':
        visitPatternExpressions(p.left, scope, p);
        visit(p.right, scope, p);
        break;
      case 'RestElement':
        visitPatternExpressions(p.argument, scope, p);
        break;
      case 'MemberExpression':
        visit(p, scope, parent);
        break;
      default:
        break;
    }
  };

  const top = newScope(program, undefined, true);
  hoistVars(top, program);
  hoistBlock(top, program.body as Node[]);
  for (const s of program.body) visit(s as Node, top, program);

  return {
    bindingOf: (id) => refs.get(id),
    bindingsIn: (node) => byNode.get(node) ?? new Map(),
    parentOf: (n) => parents.get(n),
  };
}
