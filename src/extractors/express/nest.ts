import type * as ES from 'estree';
import type { Loc, Policy } from '../../model/index.js';
import { isIdent, locOf, memberName, unwrap, walk } from './ast.js';
import { defaultOptions } from './cors-options.js';
import { optionsOfArgument, optionsOfValue } from './cors-calls.js';
import type { OptionsPolicy } from '../js-middleware/parts.js';
import { policyOfParts } from '../js-middleware/parts.js';
import type { AV, Evaluator, Mod } from './evaluate.js';
import { lookupKey, truthy } from './evaluate.js';

/**
 * NestJS on its Express adapter (SEMANTICS.md §1, last bullet):
 * `app.enableCors(options)` is `app.use(cors(options))`, and
 * `NestFactory.create(Module, { cors })` calls `enableCors()` (the defaults)
 * for a truthy `cors` that is not an object — `true`, but also a function —
 * and `enableCors(cors)` for an object. Both apply to every route.
 *
 * The application is recognised when it comes from `NestFactory.create`
 * (then a Fastify adapter, whose `enableCors` registers `@fastify/cors`, is
 * left alone) or, in a module that imports from `@nestjs/*`, when it is a
 * value the analysis cannot follow (`setupCors(app: INestApplication)`),
 * unless its declared type names Fastify.
 */
export function nestPolicies(ev: Evaluator, mod: Mod): Policy[] {
  const nestModule = importsNest(mod.program);
  const out: Policy[] = [];
  walk(mod.program, (n) => {
    if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || n.callee.object.type === 'Super') return;
    const name = memberName(n.callee);
    if (name === 'enableCors') {
      const recvNode = unwrap(n.callee.object);
      const recv = ev.eval(recvNode, mod, 'normal');
      const isNest = recv.t === 'app' && recv.kind === 'nest' ? recv.adapter !== 'fastify' : recv.t === 'unknown' && nestModule && !declaredFastify(recvNode, mod);
      if (!isNest) return;
      const loc = locOf(n, mod.file);
      out.push(policyOfParts('nestjs', {}, loc, optionsOfArgument(ev, mod, n.arguments[0], loc)));
    } else if (name === 'create' && namesNestFactory(unwrap(n.callee.object), mod)) {
      const factory = ev.eval(n, mod, 'normal');
      if (factory.t !== 'app' || factory.kind !== 'nest' || factory.adapter === 'fastify') return;
      const p = createOptionsPolicy(ev, mod, n);
      if (p) out.push(p);
    }
  });
  return out;
}

/** `NestFactory.create(Module, [adapter,] { cors })`: the application options are the first object after the module. */
function createOptionsPolicy(ev: Evaluator, mod: Mod, call: ES.CallExpression): Policy | undefined {
  for (const arg of call.arguments.slice(1)) {
    if (arg.type === 'SpreadElement') return undefined;
    const opts = ev.eval(arg, mod, 'normal');
    if (opts.t !== 'object') continue;
    const entry = lookupKey(opts, 'cors');
    if (!entry) return undefined;
    if ('unknownSpread' in entry) return undefined;
    const loc = entry.valueLoc;
    const parts = corsOption(ev, entry.value, () => {
      const u = ev.eval(arg, mod, 'unset');
      const e = u.t === 'object' ? lookupKey(u, 'cors') : undefined;
      return e && !('unknownSpread' in e) ? e.value : { t: 'undef', loc };
    }, loc);
    return parts ? policyOfParts('nestjs', {}, loc, parts) : undefined;
  }
  return undefined;
}

/** NestApplication.applyOptions: falsy → no CORS; an object → enableCors(it); any other truthy value → enableCors(). */
function corsOption(ev: Evaluator, v: AV, unset: () => AV, loc: Loc): OptionsPolicy | undefined {
  if (v.t === 'object') return optionsOfValue(ev, v, unset, loc, loc);
  const t = truthy(v);
  if (t === false) return undefined;
  if (t === true) return defaultOptions(loc);
  return optionsOfValue(ev, v, unset, loc, loc);
}

/** A cheap look before evaluating: most `x.create(...)` calls are ORM models. */
function namesNestFactory(obj: ES.Expression, mod: Mod): boolean {
  if (obj.type === 'MemberExpression') return memberName(obj) === 'NestFactory';
  if (!isIdent(obj)) return false;
  const b = mod.scopes.bindingOf(obj);
  return b?.kind === 'import' ? b.importSource === '@nestjs/core' : obj.name === 'NestFactory';
}

function importsNest(program: ES.Program): boolean {
  for (const s of program.body) {
    if (s.type === 'ImportDeclaration' && String(s.source.value).startsWith('@nestjs/')) return true;
  }
  let found = false;
  walk(program, (n) => {
    if (found || n.type !== 'CallExpression') return;
    const c = n.callee.type === 'Super' ? undefined : unwrap(n.callee);
    const a = n.arguments[0];
    if (c && isIdent(c, 'require') && a?.type === 'Literal' && typeof a.value === 'string' && a.value.startsWith('@nestjs/')) found = true;
  });
  return found;
}

/** `app: NestFastifyApplication` (a parameter or variable whose written type names Fastify). */
function declaredFastify(node: ES.Expression, mod: Mod): boolean {
  if (!isIdent(node)) return false;
  const b = mod.scopes.bindingOf(node);
  const id = b?.id as (ES.Identifier & { typeAnnotation?: unknown }) | undefined;
  return namesFastify(id?.typeAnnotation, 0);
}

/** Any identifier in a type annotation naming Fastify (ESLint's AST has parent links: never follow them). */
function namesFastify(n: unknown, depth: number): boolean {
  if (!n || typeof n !== 'object' || depth > 12) return false;
  const o = n as Record<string, unknown>;
  if (typeof o.name === 'string' && /fastify/i.test(o.name)) return true;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'parent' || k === 'loc' || k === 'range') continue;
    if (Array.isArray(v) ? v.some((x) => namesFastify(x, depth + 1)) : namesFastify(v, depth + 1)) return true;
  }
  return false;
}
