import path from 'node:path';
import type { ExtractContext, Loc, SourceFile, UnknownOption } from '../../model/index.js';
import type { OptionLayer, OptionSource } from '../django/app-calls.js';
import { dictLayer, locOf, mergeLayers, readCallArgs } from '../django/app-calls.js';
import type { Binding, SettingsEvaluator, StatementScope } from '../django/evaluate.js';
import { resolveModule } from '../django/modules.js';
import type { Node } from '../django/parser.js';
import type { PyVal } from '../django/values.js';
import { fallbackOf, opaque } from '../django/values.js';
import { CONFIG_KEYS, suggestConfigKey } from './options.js';

/**
 * What each Flask app's `app.config` holds as the module runs: `app.config[K] = v`,
 * `update(...)`, `from_mapping(...)`, `setdefault(...)`, `from_object(Config)`
 * (a class or module of the repository, also by dotted name),
 * `from_pyfile('x.cfg')` (a file next to the module). Sources corslint
 * cannot read (`from_envvar`, `from_prefixed_env`, a missing file) may set any
 * CORS_* key: those options are unknown, falling back to what was set before.
 * Apps are told apart by the expression naming them (`app`); the config of
 * an app this module did not create (`app = Flask(...)`) is such a source too.
 */
export class AppConfigs {
  private readonly apps = new Map<string, OptionLayer[]>();
  private readonly blueprints = new Set<string>();
  /** Texts that may read a CORS_* key as a helper value (not a misspelled Flask-CORS key). */
  private readonly texts: string[];

  constructor(
    private readonly evaluator: SettingsEvaluator,
    private readonly ctx: ExtractContext,
    private readonly file: SourceFile,
  ) {
    this.texts = [file.text];
  }

  statement(stmt: Node, scope: StatementScope): void {
    if (stmt.type !== 'expression_statement') return;
    const e = stmt.namedChildren[0];
    if (e?.type === 'assignment') this.assignment(e, scope);
    else if (e?.type === 'call') this.configCall(e, scope);
  }

  /**
   * The CORS options `app`'s configuration gives, as Flask-CORS reads them
   * (`CORS_ORIGINS` → `origins`; None means unset). For `@cross_origin`
   * (`current_app`), a blueprint or unnamed app means the module's only app.
   */
  layerFor(app: string | undefined, currentApp: boolean, at: Loc): { layer: OptionLayer; unknownOptions: UnknownOption[] } {
    const options = new Map<string, OptionSource>();
    const unknownOptions: UnknownOption[] = [];
    // A blueprint has no config attribute: Flask-CORS then reads nothing (`getattr(app, 'config', {})`).
    if (app !== undefined && this.blueprints.has(app) && !currentApp) return { layer: { options }, unknownOptions };
    let layers = app !== undefined && !this.blueprints.has(app) ? this.apps.get(app) : undefined;
    if (!layers && currentApp && this.apps.size === 1) layers = [...this.apps.values()][0];
    // An app made elsewhere (a parameter, an import): its configuration may set any CORS_* key.
    if (!layers) return { layer: unreadable(`${app ?? 'current_app'}.config`, at), unknownOptions };
    for (const [k, src] of mergeLayers(layers, CONFIG_KEYS)) {
      if (!k.startsWith('CORS_')) continue;
      if (!CONFIG_KEYS.includes(k)) {
        if (this.readAsHelper(k)) continue;
        const o: UnknownOption = { key: k, loc: src.keyLoc };
        const s = suggestConfigKey(k);
        if (s) o.suggestion = s;
        unknownOptions.push(o);
        continue;
      }
      const v = src.value;
      const unset = v.t === 'none' || (v.t === 'unknown' && v.fallback?.t === 'none');
      const value: PyVal = v.t === 'none' ? { t: 'absent', loc: v.loc } : unset && v.t === 'unknown' ? { ...v, fallback: { t: 'absent', loc: v.loc } } : v;
      options.set(k.slice('CORS_'.length).toLowerCase(), { value, keyLoc: src.keyLoc });
    }
    return { layer: { options }, unknownOptions };
  }

  private readAsHelper(k: string): boolean {
    const read = new RegExp(`\\[\\s*['"]${k}['"]\\s*\\](?!\\s*=[^=])|\\.get\\(\\s*['"]${k}['"]|\\.${k}\\b(?!\\s*=[^=])`);
    return this.texts.some((t) => read.test(t));
  }

  private add(app: string, layer: OptionLayer): void {
    const layers = this.apps.get(app);
    if (layers) layers.push(layer);
    // A config written on an app this module did not create (`current_app`, an import) is tracked from here on.
    else this.apps.set(app, [layer]);
  }

  private assignment(a: Node, scope: StatementScope): void {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || !right) return;
    if (left.type === 'subscript') {
      const target = left.childForFieldName('value');
      const keyNode = left.childForFieldName('subscript');
      const app = configOwner(target);
      if (app === undefined || !keyNode) return;
      const k = scope.ev(keyNode);
      if (k.t !== 'str') return;
      this.add(app, { options: new Map([[k.v, { value: scope.ev(right), keyLoc: locOf(scope, keyNode) }]]) });
      return;
    }
    if (left.type !== 'identifier') return;
    const callee = right.type === 'call' ? scope.ev(right.childForFieldName('function')!) : undefined;
    const name = callee?.t === 'ref' ? callee.name : '';
    // A new app (also inside a factory): its configuration starts empty.
    if (/^flask(\.[\w.]+)?\.Flask$/.test(name)) {
      this.apps.set(left.text, []);
      this.blueprints.delete(left.text);
    } else if (/^flask(\.[\w.]+)?\.Blueprint$/.test(name)) {
      this.blueprints.add(left.text);
      this.apps.delete(left.text);
    } else this.apps.delete(left.text);
  }

  private configCall(call: Node, scope: StatementScope): void {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute') return;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const app = configOwner(fn.childForFieldName('object'));
    if (app === undefined) return;
    const args = readCallArgs(call, scope);
    const loc = locOf(scope, call);
    switch (method) {
      case 'update':
      case 'from_mapping': {
        const first = args.positional[0];
        if (first) this.add(app, dictLayer(first));
        this.add(app, args.keywords);
        return;
      }
      case 'setdefault': {
        const [k, v] = args.positional;
        const set = this.apps.get(app)?.some((l) => k?.t === 'str' && l.options.has(k.v));
        if (k?.t === 'str' && v && !set) this.add(app, { options: new Map([[k.v, { value: v, keyLoc: k.loc }]]) });
        return;
      }
      case 'from_object':
        this.add(app, this.objectLayer(args.positional[0], call.text, loc));
        return;
      case 'from_pyfile':
        this.add(app, this.pyfileLayer(args.positional[0], call.text, loc));
        return;
      case 'from_envvar':
      case 'from_file':
      case 'from_prefixed_env':
      case 'from_json':
        this.add(app, unreadable(call.text, loc));
        return;
      default:
        return;
    }
  }

  /** `from_object(obj)`: its upper-case attributes; a dotted name is imported (`'config.ProdConfig'`). */
  private objectLayer(v: PyVal | undefined, text: string, loc: Loc): OptionLayer {
    if (!v) return unreadable(text, loc);
    if (v.t === 'object') return upperCase([...v.attrs]);
    if (v.t === 'str') {
      const attrs = this.importString(v.v);
      return attrs ? upperCase(attrs) : unreadable(text, loc);
    }
    if (v.t === 'unknown') {
      const fb = fallbackOf(v);
      const layer: OptionLayer = { options: new Map(), opaque: opaque(v.reason, loc, { t: 'absent', loc }, v.variable ?? sourceVariable(text)) };
      if (fb?.t === 'object') {
        for (const [k, src] of upperCase([...fb.attrs]).options) layer.options.set(k, { value: opaque(v.reason, src.value.loc, src.value, v.variable), keyLoc: src.keyLoc });
      }
      return layer;
    }
    return unreadable(text, loc);
  }

  private importString(dotted: string): [string, PyVal][] | undefined {
    const parts = dotted.split(/[.:]/);
    for (let cut = parts.length; cut >= 1; cut--) {
      const mod = this.module(parts.slice(0, cut).join('.'));
      if (!mod) continue;
      const rest = parts.slice(cut);
      if (!rest.length) return [...mod].map(([k, b]) => [k, b.value]);
      let cur = mod.get(rest[0]!)?.value;
      for (const r of rest.slice(1)) cur = cur?.t === 'object' ? cur.attrs.get(r) : undefined;
      return cur?.t === 'object' ? [...cur.attrs] : undefined;
    }
    return undefined;
  }

  private module(spec: string): Map<string, Binding> | undefined {
    const exists = (p: string) => this.ctx.readFile(p) !== undefined;
    const abs = resolveModule(spec, this.file.absPath, this.ctx.root, exists);
    return abs ? this.readModule(abs) : undefined;
  }

  private readModule(abs: string): Map<string, Binding> | undefined {
    const text = this.ctx.readFile(abs);
    if (text === undefined) return undefined;
    try {
      const env = this.evaluator.evaluate(abs, text).env;
      this.texts.push(text);
      return env;
    } catch {
      return undefined;
    }
  }

  /** `from_pyfile('settings.cfg')`: relative to the app's root path, the directory of the module that creates it. */
  private pyfileLayer(v: PyVal | undefined, text: string, loc: Loc): OptionLayer {
    if (v?.t !== 'str') return unreadable(text, loc);
    const env = this.readModule(path.resolve(path.dirname(this.file.absPath), v.v));
    return env ? upperCase([...env].map(([k, b]) => [k, b.value])) : unreadable(text, loc);
  }
}

/** `app.config` → `app`. */
function configOwner(n: Node | null | undefined): string | undefined {
  if (n?.type !== 'attribute' || n.childForFieldName('attribute')?.text !== 'config') return undefined;
  return n.childForFieldName('object')?.text;
}

/** Flask copies only upper-case names (`key.isupper()`). */
function upperCase(entries: [string, PyVal][]): OptionLayer {
  const options = new Map<string, OptionSource>();
  for (const [k, v] of entries) if (k === k.toUpperCase() && k !== k.toLowerCase() && v.t !== 'absent') options.set(k, { value: v, keyLoc: v.loc });
  return { options };
}

/** A source whose keys corslint cannot read: any CORS_* key may come from it, and when it sets none the earlier values stay. */
function unreadable(text: string, loc: Loc): OptionLayer {
  return { options: new Map(), opaque: opaque(`what ${short(text)} loads`, loc, { t: 'absent', loc }, sourceVariable(text)) };
}

/** Messages then say "(when CORS_* in app.config.from_envvar('APP_SETTINGS') is unset)". */
function sourceVariable(text: string): string {
  return `CORS_* in ${short(text)}`;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
