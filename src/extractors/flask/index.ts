import type { ExtractContext, ExtractResult, Extractor, Loc, Policy, SourceFile } from '../../model/index.js';
import { ParseError } from '../../model/index.js';
import type { CallArgs, OptionLayer } from '../django/app-calls.js';
import { callsIn, locOf, readCallArgs } from '../django/app-calls.js';
import type { Args } from '../django/calls.js';
import type { Guard, StatementScope } from '../django/evaluate.js';
import { SettingsEvaluator } from '../django/evaluate.js';
import type { Node } from '../django/parser.js';
import { pythonParser } from '../django/parser.js';
import type { PyVal } from '../django/values.js';
import { num } from '../django/values.js';
import { detectVersion } from '../django/version.js';
import { AppConfigs } from './config.js';
import type { FlaskSetup } from './options.js';
import { flaskPolicies } from './options.js';

/**
 * Flask-CORS: `CORS(app, ...)`, `cors = CORS(); cors.init_app(app, ...)`,
 * `resources={r"/api/*": {...}}` (one policy per resource), the
 * `@cross_origin(...)` decorator (scope: the view's route) and the
 * `app.config` CORS_* keys they read (docs/extractors/flask.md).
 */
export const flaskExtractor: Extractor = {
  name: 'flask',
  matchesPath: (relPath) => relPath.endsWith('.py'),
  // `cors.init_app(app)` in a factory module that imports the CORS object from extensions.py.
  sniff: (text) => text.includes('flask_cors') || text.includes('cross_origin') || text.includes('CORS(') || text.includes('.init_app('),
  extract: (file, ctx) => extractFlask(file, ctx),
};

export interface FlaskExtractOptions {
  /** Read the setup as this Flask-CORS release would, instead of the version the project pins (oracle tests). */
  version?: string;
}

const CORS_CLASS = /^flask_cors(\.extension)?\.CORS$/;
const CROSS_ORIGIN = /^flask_cors(\.decorator)?\.cross_origin$/;
const ROUTE_METHODS: Record<string, string[]> = { get: ['GET'], post: ['POST'], put: ['PUT'], delete: ['DELETE'], patch: ['PATCH'] };

/**
 * `CORS(...)` without an app returns an object remembering its options for
 * a later `init_app`; `timedelta(...)` (a `max_age`) is its seconds.
 */
function construct(name: string, args: Args, loc: Loc): PyVal | undefined {
  if (CORS_CLASS.test(name)) return { t: 'object', cls: 'flask_cors.CORS', kind: 'instance', attrs: new Map(args.keywords), loc };
  if (name === 'datetime.timedelta' && !args.positional.length) {
    const unit: Record<string, number> = { weeks: 604800, days: 86400, hours: 3600, minutes: 60, seconds: 1 };
    let total = 0;
    for (const [k, v] of args.keywords) {
      if (!(k in unit) || v.t !== 'num') return undefined;
      total += v.v * unit[k]!;
    }
    return num(Math.trunc(total), loc);
  }
  return undefined;
}

const runs = new WeakMap<ExtractContext, SettingsEvaluator>();

export async function extractFlask(file: SourceFile, ctx: ExtractContext, options: FlaskExtractOptions = {}): Promise<ExtractResult> {
  const parser = await pythonParser();
  let evaluator = runs.get(ctx);
  if (!evaluator) {
    evaluator = new SettingsEvaluator({ root: ctx.root, parser, read: (p) => ctx.readFile(p), display: (p) => ctx.displayPath(p), construct });
    runs.set(ctx, evaluator);
  }
  const version = options.version ?? detectVersion(file.absPath, ctx.root, (p) => ctx.readFile(p), 'flask[-_.]cors(?![-_.\\w])')?.version;
  const reader = new FlaskReader(evaluator, ctx, file, version);
  try {
    evaluator.observe(file.absPath, file.text, (stmt, scope) => reader.statement(stmt, scope));
  } catch (e) {
    // A module that only calls some `.init_app(` (any Flask extension) is not reported as unparsable.
    if (e instanceof ParseError && !/flask_cors|cross_origin|CORS\(/.test(file.text)) return { policies: [] };
    throw e;
  }
  return { policies: reader.finish() };
}

interface PendingDecorator {
  loc: Loc;
  args: CallArgs;
  guards: Guard[];
  route?: { paths?: string[]; methods?: string[] };
  /** The object the route is registered on (`app`, `bp`). */
  routeOn?: string;
}

class FlaskReader {
  private readonly configs: AppConfigs;
  private readonly policies: Policy[] = [];
  private readonly decorators: PendingDecorator[] = [];
  /** Keywords of each `CORS(...)` call seen, by its location, for the `init_app` that uses the object later. */
  private readonly corsCalls = new Map<string, OptionLayer>();

  constructor(
    evaluator: SettingsEvaluator,
    ctx: ExtractContext,
    private readonly file: SourceFile,
    private readonly version: string | undefined,
  ) {
    this.configs = new AppConfigs(evaluator, ctx, file);
  }

  statement(stmt: Node, scope: StatementScope): void {
    this.configs.statement(stmt, scope);
    for (const call of callsIn(stmt)) this.call(call, scope);
    if (stmt.type === 'decorated_definition') this.decorated(stmt, scope);
  }

  finish(): Policy[] {
    for (const d of this.decorators) {
      // @cross_origin reads current_app.config on each request: the app's configuration as the module leaves it.
      const config = this.configs.layerFor(d.routeOn, true, d.loc);
      this.emit({ loc: d.loc, layers: [config.layer, d.args.keywords], unknownOptions: config.unknownOptions, guards: d.guards, route: d.route, kind: 'decorator' });
    }
    return this.policies;
  }

  private emit(setup: Omit<FlaskSetup, 'version'>): void {
    const full: FlaskSetup = { ...setup };
    if (this.version) full.version = this.version;
    this.policies.push(...flaskPolicies(full));
  }

  private call(call: Node, scope: StatementScope): void {
    const fn = call.childForFieldName('function');
    if (!fn) return;
    const loc = locOf(scope, call);
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'init_app') {
      const obj = scope.ev(fn.childForFieldName('object')!);
      if (obj.t !== 'object' || obj.cls !== 'flask_cors.CORS') return;
      const args = readCallArgs(call, scope);
      const app = appArgument(call, args);
      if (!app) return;
      const ctor = this.corsCalls.get(key(obj.loc)) ?? { options: new Map([...obj.attrs].map(([k, v]) => [k, { value: v, keyLoc: v.loc }])) };
      this.extension(loc, app, [ctor, args.keywords], scope);
      return;
    }
    const callee = scope.ev(fn);
    if (callee.t !== 'ref' || !CORS_CLASS.test(callee.name)) return;
    const args = readCallArgs(call, scope);
    args.keywords.options.delete('app');
    this.corsCalls.set(key(loc), args.keywords);
    const app = appArgument(call, args);
    // CORS() without an app configures nothing until init_app.
    if (app) this.extension(loc, app, [args.keywords], scope);
  }

  private extension(loc: Loc, app: Node, layers: OptionLayer[], scope: StatementScope): void {
    const config = this.configs.layerFor(app.text, false, loc);
    for (const l of layers) l.options.delete('app');
    this.emit({ loc, layers: [config.layer, ...layers], unknownOptions: config.unknownOptions, guards: scope.guards, kind: 'extension' });
  }

  /** `@app.route(...)` above `@cross_origin(...)`: the decorator wraps the view Flask registers. */
  private decorated(stmt: Node, scope: StatementScope): void {
    const decorators = stmt.namedChildren.filter((d): d is Node => d?.type === 'decorator');
    let cors: { index: number; call: Node } | undefined;
    let route: { index: number; paths?: string[]; methods?: string[]; on: string } | undefined;
    decorators.forEach((d, index) => {
      const expr = d.namedChildren.find((c) => c && c.type !== 'comment');
      if (expr?.type !== 'call') return;
      const fn = expr.childForFieldName('function')!;
      const callee = scope.ev(fn);
      if (callee.t === 'ref' && CROSS_ORIGIN.test(callee.name)) {
        cors = { index, call: expr };
        return;
      }
      const attr = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      if (!attr || (attr !== 'route' && !(attr in ROUTE_METHODS))) return;
      const args = readCallArgs(expr, scope);
      const rule = args.positional[0];
      const methods = args.keywords.options.get('methods')?.value;
      const r: { index: number; paths?: string[]; methods?: string[]; on: string } = { index, on: fn.childForFieldName('object')!.text };
      if (rule?.t === 'str') r.paths = [rule.v];
      if (attr !== 'route') r.methods = ROUTE_METHODS[attr]!;
      else if (!methods) r.methods = ['GET'];
      else if (methods.t === 'seq' && methods.items.every((m) => m.t === 'str')) r.methods = methods.items.map((m) => (m as { v: string }).v.toUpperCase());
      route ??= r;
    });
    if (!cors) return;
    // Above the route decorator, cross_origin wraps a function Flask never calls: it does nothing.
    if (route && route.index > cors.index) return;
    const pending: PendingDecorator = { loc: locOf(scope, cors.call), args: readCallArgs(cors.call, scope), guards: scope.guards };
    if (route) {
      pending.route = {};
      if (route.paths) pending.route.paths = route.paths;
      if (route.methods) pending.route.methods = route.methods;
      pending.routeOn = route.on;
    }
    this.decorators.push(pending);
  }
}

/** `CORS(app)` / `CORS(app=app)` / `init_app(app)`: the app node; undefined for `None` or none given. */
function appArgument(call: Node, args: CallArgs): Node | undefined {
  const argList = call.childForFieldName('arguments');
  for (const a of argList?.namedChildren ?? []) {
    if (!a) continue;
    if (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'app') {
      const v = a.childForFieldName('value');
      return v?.type === 'none' ? undefined : (v ?? undefined);
    }
  }
  const first = (argList?.namedChildren ?? []).find((a) => a && a.type !== 'comment' && a.type !== 'keyword_argument' && a.type !== 'dictionary_splat');
  if (!first || first.type === 'none' || args.positional[0]?.t === 'none') return undefined;
  return first;
}

function key(l: Loc): string {
  return `${l.file}:${l.line}:${l.column}`;
}
