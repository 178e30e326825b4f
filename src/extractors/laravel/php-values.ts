import type { Loc } from '../../model/index.js';
import type { PhpNode } from './php-ast.js';
import { calleeName, child, children, locOfNode, text } from './php-ast.js';

/**
 * A PHP value as far as it can be known without running the file. Arrays keep
 * their structure even when some items are unknown, so a config array with one
 * `env()` value still gives every other key. An unknown value carries `fb`,
 * the value PHP computes when every environment variable is unset (what the
 * oracle test checks against real PHP), and `written` says whether that value
 * was written in the file (`env('X', 'd')`) or is PHP's own null
 * (`env('X')`): only written fallbacks reach the model.
 */
export type PV =
  | { t: 'str'; v: string; loc: Loc }
  | { t: 'int'; v: number; loc: Loc }
  | { t: 'float'; v: number; loc: Loc }
  | { t: 'bool'; v: boolean; loc: Loc }
  | { t: 'null'; loc: Loc }
  | { t: 'arr'; items: ArrItem[]; loc: Loc }
  | UnknownPV;

export interface UnknownPV {
  t: 'unknown';
  reason: string;
  loc: Loc;
  variable?: string;
  /** Fully known. */
  fb?: PV;
  written: boolean;
}

export interface ArrItem {
  key: string | number;
  value: PV;
  keyLoc: Loc;
}

export type KnownScalar = Extract<PV, { t: 'str' | 'int' | 'float' | 'bool' | 'null' }>;

export function isFullyKnown(pv: PV): boolean {
  if (pv.t === 'unknown') return false;
  if (pv.t === 'arr') return pv.items.every((i) => isFullyKnown(i.value));
  return true;
}

export function firstUnknown(pv: PV): UnknownPV | undefined {
  if (pv.t === 'unknown') return pv;
  if (pv.t === 'arr') {
    for (const i of pv.items) {
      const u = firstUnknown(i.value);
      if (u) return u;
    }
  }
  return undefined;
}

/** The value when every environment variable is unset; undefined when even that is not known. */
export function fallbackWorld(pv: PV): { value: PV; written: boolean } | undefined {
  if (pv.t === 'unknown') return pv.fb ? { value: pv.fb, written: pv.written } : undefined;
  if (pv.t !== 'arr') return { value: pv, written: true };
  let written = true;
  const items: ArrItem[] = [];
  for (const i of pv.items) {
    const r = fallbackWorld(i.value);
    if (!r) return undefined;
    written &&= r.written;
    items.push({ ...i, value: r.value });
  }
  return { value: { t: 'arr', items, loc: pv.loc }, written };
}

// ---------------------------------------------------------------- PHP value rules

export function truthy(pv: PV): boolean | undefined {
  switch (pv.t) {
    case 'str':
      return pv.v !== '' && pv.v !== '0';
    case 'int':
    case 'float':
      return pv.v !== 0;
    case 'bool':
      return pv.v;
    case 'null':
      return false;
    case 'arr':
      return pv.items.length > 0;
    case 'unknown':
      return undefined;
  }
}

function floatToString(v: number): string {
  if (Number.isNaN(v)) return 'NAN';
  if (!Number.isFinite(v)) return v > 0 ? 'INF' : '-INF';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const s = Number(v.toPrecision(14)).toString();
  return s.replace(/e\+?(-?)(\d+)$/, (_m, sign: string, d: string) => `.0E${sign || '+'}${d}`).replace(/\.(\d+)\.0E/, '.$1E');
}

/** PHP's (string) conversion; undefined for unknowns. */
export function phpString(pv: PV): string | undefined {
  switch (pv.t) {
    case 'str':
      return pv.v;
    case 'int':
      return String(pv.v);
    case 'float':
      return floatToString(pv.v);
    case 'bool':
      return pv.v ? '1' : '';
    case 'null':
      return '';
    case 'arr':
      return 'Array';
    case 'unknown':
      return undefined;
  }
}

const NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/;
const LEADING_NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;

/** PHP's (int) conversion. */
export function phpInt(pv: PV): number | undefined {
  switch (pv.t) {
    case 'str': {
      const m = LEADING_NUMERIC.exec(pv.v);
      return m ? Math.trunc(Number(m[0])) : 0;
    }
    case 'int':
      return pv.v;
    case 'float':
      return Number.isFinite(pv.v) ? Math.trunc(pv.v) : 0;
    case 'bool':
      return pv.v ? 1 : 0;
    case 'null':
      return 0;
    case 'arr':
      return pv.items.length ? 1 : 0;
    case 'unknown':
      return undefined;
  }
}

function numberOf(pv: PV): number | undefined {
  if (pv.t === 'int' || pv.t === 'float') return pv.v;
  if (pv.t === 'str' && NUMERIC.test(pv.v)) return Number(pv.v);
  return undefined;
}

/** PHP 8 `==` between known values (scalars and arrays). */
export function looseEquals(a: PV, b: PV): boolean | undefined {
  if (a.t === 'unknown' || b.t === 'unknown') return undefined;
  if (a.t === 'bool' || b.t === 'bool') return truthy(a) === truthy(b);
  if (a.t === 'null' && b.t === 'null') return true;
  if (a.t === 'null' || b.t === 'null') {
    const other = a.t === 'null' ? b : a;
    return other.t === 'str' ? other.v === '' : truthy(other) === false;
  }
  if (a.t === 'arr' || b.t === 'arr') {
    if (a.t !== 'arr' || b.t !== 'arr' || a.items.length !== b.items.length) return false;
    for (const ia of a.items) {
      const ib = b.items.find((x) => x.key === ia.key);
      if (!ib || looseEquals(ia.value, ib.value) !== true) return false;
    }
    return true;
  }
  const na = numberOf(a);
  const nb = numberOf(b);
  if (a.t === 'str' && b.t === 'str') return na !== undefined && nb !== undefined ? na === nb : a.v === b.v;
  if (na !== undefined && nb !== undefined) return na === nb;
  return phpString(a) === phpString(b);
}

export function strictEquals(a: PV, b: PV): boolean | undefined {
  if (a.t === 'unknown' || b.t === 'unknown') return undefined;
  if (a.t !== b.t) return false;
  if (a.t === 'arr' && b.t === 'arr') {
    if (a.items.length !== b.items.length) return false;
    return a.items.every((ia, i) => {
      const ib = b.items[i]!;
      return ia.key === ib.key && strictEquals(ia.value, ib.value) === true;
    });
  }
  if (a.t === 'null') return true;
  return (a as { v: unknown }).v === (b as { v: unknown }).v;
}

// ---------------------------------------------------------------- constructors

const str = (v: string, loc: Loc): PV => ({ t: 'str', v, loc });
const bool = (v: boolean, loc: Loc): PV => ({ t: 'bool', v, loc });
const nul = (loc: Loc): PV => ({ t: 'null', loc });
const int = (v: number, loc: Loc): PV => ({ t: 'int', v, loc });

export function unknownPV(reason: string, loc: Loc, fb?: PV, written = false, variable?: string): UnknownPV {
  const u: UnknownPV = { t: 'unknown', reason, loc, written: fb ? written : false };
  if (fb) u.fb = fb;
  if (variable) u.variable = variable;
  return u;
}

/** A list (int keys 0..n-1). */
export function list(values: PV[], loc: Loc): PV {
  return { t: 'arr', items: values.map((value, i) => ({ key: i, value, keyLoc: value.loc })), loc };
}

/**
 * Apply `f` to known arguments; with unknown ones, the result is unknown and
 * its fallback is `f` applied to the arguments' fallbacks.
 */
function lift(loc: Loc, args: PV[], f: (vals: PV[]) => PV): PV {
  if (args.every(isFullyKnown)) return f(args);
  const u = args.map(firstUnknown).find((x) => x)!;
  const fbs = args.map(fallbackWorld);
  let fb: PV | undefined;
  let written = false;
  if (fbs.every((x) => x)) {
    const r = f(fbs.map((x) => x!.value));
    if (isFullyKnown(r)) {
      fb = r;
      written = fbs.every((x) => x!.written);
    }
  }
  return unknownPV(u.reason, loc, fb, written, u.variable);
}

// ---------------------------------------------------------------- evaluator

const SUPERGLOBALS = new Set(['_ENV', '_SERVER', '_GET', '_POST', '_REQUEST', '_COOKIE']);

const STRING_FUNCS: Record<string, (s: string, extra?: string) => string> = {
  trim: (s, c) => trimChars(s, c, true, true),
  ltrim: (s, c) => trimChars(s, c, true, false),
  rtrim: (s, c) => trimChars(s, c, false, true),
  chop: (s, c) => trimChars(s, c, false, true),
  strtolower: (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase()),
  strtoupper: (s) => s.replace(/[a-z]/g, (c) => c.toUpperCase()),
};

function trimChars(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  const set = chars ?? ' \t\n\r\0\x0B';
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a]!)) a++;
  if (right) while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Evaluates the expressions of one PHP file that configuration files are made of. */
export class PhpEvaluator {
  readonly vars = new Map<string, PV>();
  constructor(readonly file: string) {}

  loc(n: PhpNode | undefined | null): Loc {
    return locOfNode(n, this.file);
  }

  eval(n: PhpNode | undefined | null): PV {
    if (!n) return unknownPV('missing expression', this.loc(n));
    const loc = this.loc(n);
    switch (n.kind) {
      case 'string':
      case 'nowdoc':
        return str(text(n, 'value') ?? '', loc);
      case 'encapsed': {
        const parts = children(n, 'value').map((p) => (p.kind === 'encapsedpart' ? this.eval(child(p, 'expression')) : this.eval(p)));
        return lift(loc, parts, (vals) => str(vals.map((v) => phpString(v) ?? '').join(''), loc));
      }
      case 'number':
        return parseNumber(text(n, 'value') ?? '0', loc);
      case 'boolean':
        return bool(n.value === true, loc);
      case 'nullkeyword':
        return nul(loc);
      case 'name': {
        const name = (text(n, 'name') ?? '').replace(/^\\/, '').toLowerCase();
        if (name === 'true' || name === 'false') return bool(name === 'true', loc);
        if (name === 'null') return nul(loc);
        return unknownPV(`constant ${text(n, 'name')}`, loc);
      }
      case 'array':
        return this.evalArray(n, loc);
      case 'variable': {
        const name = text(n, 'name');
        if (name && this.vars.has(name)) return this.vars.get(name)!;
        return unknownPV(`$${name ?? '?'}`, loc);
      }
      case 'offsetlookup':
        return this.evalOffset(n, loc);
      case 'unary':
        return this.evalUnary(n, loc);
      case 'bin':
        return this.evalBin(n, loc);
      case 'retif':
        return this.evalTernary(n, loc);
      case 'cast':
        return this.evalCast(text(n, 'type') ?? '', this.eval(child(n, 'expr')), loc);
      case 'parenthesis':
        return this.eval(child(n, 'inner'));
      case 'call':
        return this.evalCall(n, loc);
      default:
        return unknownPV(`${n.kind} expression`, loc);
    }
  }

  private evalArray(n: PhpNode, loc: Loc): PV {
    const items: ArrItem[] = [];
    let next = 0;
    for (const e of children(n, 'items')) {
      if (e.kind !== 'entry') {
        // array(1, 2) without keys may give bare expressions in some parser versions.
        items.push({ key: next++, value: this.eval(e), keyLoc: this.loc(e) });
        continue;
      }
      const value = this.eval(child(e, 'value'));
      if (e.unpack === true) {
        if (value.t !== 'arr') return unknownPV(`spread of ${firstUnknown(value)?.reason ?? 'a non-array'}`, loc);
        for (const it of value.items) {
          if (typeof it.key === 'number') items.push({ ...it, key: next++ });
          else setItem(items, { ...it });
        }
        continue;
      }
      const keyNode = child(e, 'key');
      if (!keyNode) {
        items.push({ key: next++, value, keyLoc: value.loc });
        continue;
      }
      const k = this.eval(keyNode);
      const key = arrayKey(k);
      if (key === undefined) return unknownPV(`array key ${firstUnknown(k)?.reason ?? ''}`.trim(), loc);
      if (typeof key === 'number' && key >= next) next = key + 1;
      setItem(items, { key, value, keyLoc: this.loc(keyNode) });
    }
    return { t: 'arr', items, loc };
  }

  private evalOffset(n: PhpNode, loc: Loc): PV {
    const what = child(n, 'what');
    const off = this.eval(child(n, 'offset'));
    if (what?.kind === 'variable' && SUPERGLOBALS.has(text(what, 'name') ?? '')) {
      const name = off.t === 'str' ? off.v : undefined;
      // An unset variable reads as null (with a warning): what `?? 'default'` relies on.
      return unknownPV(`$${text(what, 'name')}[${name ? `'${name}'` : '…'}]`, loc, nul(loc), false, name);
    }
    const base = this.eval(what);
    return lift(loc, [base, off], ([b, o]) => {
      const key = arrayKey(o!);
      if (b!.t !== 'arr' || key === undefined) return nul(loc);
      return b!.items.find((i) => i.key === key)?.value ?? nul(loc);
    });
  }

  private evalUnary(n: PhpNode, loc: Loc): PV {
    const v = this.eval(child(n, 'what'));
    const op = text(n, 'type');
    return lift(loc, [v], ([x]) => {
      if (op === '!') return bool(!truthy(x!), loc);
      const num = x!.t === 'float' ? x!.v : (numberOf(x!) ?? phpInt(x!) ?? 0);
      const isFloat = x!.t === 'float' || (x!.t === 'str' && !Number.isInteger(num));
      const r = op === '-' ? -num : num;
      return isFloat ? { t: 'float', v: r, loc } : int(r, loc);
    });
  }

  private evalBin(n: PhpNode, loc: Loc): PV {
    const op = text(n, 'type') ?? '';
    const left = this.eval(child(n, 'left'));
    if (op === '??') return coalesce(left, () => this.eval(child(n, 'right')), loc);
    // Short-circuit on a known left side: the right side may be unknown without mattering.
    if ((op === '&&' || op === 'and' || op === '||' || op === 'or') && isFullyKnown(left)) {
      const l = truthy(left)!;
      if ((op === '&&' || op === 'and') && !l) return bool(false, loc);
      if ((op === '||' || op === 'or') && l) return bool(true, loc);
      const right = this.eval(child(n, 'right'));
      return lift(loc, [right], ([r]) => bool(truthy(r!)!, loc));
    }
    const right = this.eval(child(n, 'right'));
    return lift(loc, [left, right], ([a, b]) => binary(op, a!, b!, loc));
  }

  private evalTernary(n: PhpNode, loc: Loc): PV {
    const test = this.eval(child(n, 'test'));
    const trueNode = child(n, 'trueExpr');
    const pick = (t: boolean): PV => (t ? (trueNode ? this.eval(trueNode) : test) : this.eval(child(n, 'falseExpr')));
    if (isFullyKnown(test)) return pick(truthy(test)!);
    const fb = fallbackWorld(test);
    if (!fb) return unknownPV(firstUnknown(test)!.reason, loc, undefined, false, firstUnknown(test)!.variable);
    const chosen = pick(truthy(fb.value)!);
    const cfb = fallbackWorld(chosen);
    const u = firstUnknown(test)!;
    // As with `??`: `env('X') ? explode(',', env('X')) : [...]` and `env('X') ?: [...]` test what
    // env()/getenv() return when X is unset (null/false), so the branch taken then is the one written.
    return unknownPV(u.reason, loc, cfb?.value, cfb?.written ?? false, u.variable);
  }

  private evalCast(type: string, v: PV, loc: Loc): PV {
    return lift(loc, [v], ([x]) => castTo(type, x!, loc));
  }

  private evalCall(n: PhpNode, loc: Loc): PV {
    const args = children(n, 'arguments');
    const name = calleeName(n) ?? staticCallName(n);
    const argv = (i: number) => this.eval(args[i]);
    switch (name) {
      case 'env':
      case 'env::get':
      case 'illuminate\\support\\env::get': {
        const key = argv(0);
        const k = key.t === 'str' ? key.v : undefined;
        const reason = k ? `env('${k}')` : 'env(…)';
        if (args.length < 2) return unknownPV(reason, loc, nul(loc), false, k);
        const d = fallbackWorld(argv(1));
        return unknownPV(reason, loc, d?.value, d?.written ?? false, k);
      }
      case 'getenv': {
        const key = argv(0);
        const k = key.t === 'str' ? key.v : undefined;
        return unknownPV(k ? `getenv('${k}')` : 'getenv(…)', loc, bool(false, loc), false, k);
      }
      case 'config': {
        const key = argv(0);
        const reason = key.t === 'str' ? `config('${key.v}')` : 'config(…)';
        if (args.length < 2) return unknownPV(reason, loc);
        const d = fallbackWorld(argv(1));
        return unknownPV(reason, loc, d?.value, d?.written ?? false);
      }
      case 'explode':
        return lift(loc, args.map((_, i) => argv(i)), (vals) => explode(vals, loc));
      case 'implode':
      case 'join':
        return lift(loc, args.map((_, i) => argv(i)), (vals) => implode(vals, loc));
      case 'array_merge':
        return this.arrayMerge(args.map((_, i) => argv(i)), loc);
      case 'array_filter':
        if (args.length !== 1) return unknownPV('array_filter with a callback', loc);
        return lift(loc, [argv(0)], ([a]) =>
          a!.t === 'arr' ? { t: 'arr', items: a!.items.filter((i) => truthy(i.value)), loc: a!.loc } : nul(loc),
        );
      case 'array_values':
        return lift(loc, [argv(0)], ([a]) => (a!.t === 'arr' ? list(a!.items.map((i) => i.value), a!.loc) : nul(loc)));
      case 'array_unique':
        return lift(loc, [argv(0)], ([a]) => {
          if (a!.t !== 'arr') return nul(loc);
          const seen = new Set<string>();
          return { t: 'arr', items: a!.items.filter((i) => !seen.has(phpString(i.value)!) && !!seen.add(phpString(i.value)!)), loc: a!.loc };
        });
      case 'array_map': {
        const cb = argv(0);
        const fn = cb.t === 'str' ? STRING_FUNCS[cb.v.toLowerCase()] : undefined;
        if (!fn || args.length !== 2) return unknownPV('array_map with a callback corslint cannot evaluate', loc);
        return lift(loc, [argv(1)], ([a]) =>
          a!.t === 'arr' ? { t: 'arr', items: a!.items.map((i) => ({ ...i, value: str(fn(phpString(i.value)!), i.value.loc) })), loc: a!.loc } : nul(loc),
        );
      }
      case 'trim':
      case 'ltrim':
      case 'rtrim':
      case 'chop':
      case 'strtolower':
      case 'strtoupper': {
        const fn = STRING_FUNCS[name]!;
        return lift(loc, args.map((_, i) => argv(i)), ([s, c]) => str(fn(phpString(s!)!, c ? phpString(c) : undefined), s!.loc));
      }
      case 'sprintf':
        return lift(loc, args.map((_, i) => argv(i)), (vals) => sprintf(vals, loc));
      case 'boolval':
        return this.evalCast('bool', argv(0), loc);
      case 'intval':
        return this.evalCast('int', argv(0), loc);
      case 'strval':
        return this.evalCast('string', argv(0), loc);
      case 'floatval':
        return this.evalCast('float', argv(0), loc);
      case 'filter_var': {
        const filter = args[1];
        const filterName = filter?.kind === 'name' ? text(filter, 'name')?.replace(/^\\/, '') : undefined;
        if (filterName !== 'FILTER_VALIDATE_BOOLEAN' && filterName !== 'FILTER_VALIDATE_BOOL') return unknownPV('filter_var', loc);
        const nullOnFailure = args.slice(2).some((a) => JSON.stringify(a).includes('FILTER_NULL_ON_FAILURE'));
        return lift(loc, [argv(0)], ([v]) => validateBool(v!, nullOnFailure, loc));
      }
      default:
        return unknownPV(`${name ?? 'a function'}(…)`, loc);
    }
  }

  private arrayMerge(arrays: PV[], loc: Loc): PV {
    // Structure is kept when every argument is an array literal, even with unknown items.
    if (arrays.every((a) => a.t === 'arr')) return mergeArrays(arrays as Extract<PV, { t: 'arr' }>[], loc);
    return lift(loc, arrays, (vals) => (vals.every((a) => a.t === 'arr') ? mergeArrays(vals as Extract<PV, { t: 'arr' }>[], loc) : nul(loc)));
  }

  /** Top-level statements of a config file up to its `return`; the returned value. */
  runFile(program: PhpNode): { value: PV; node: PhpNode } | undefined {
    return this.runBlock(children(program, 'children'));
  }

  private runBlock(stmts: PhpNode[]): { value: PV; node: PhpNode } | undefined {
    for (const s of stmts) {
      switch (s.kind) {
        case 'return': {
          const expr = child(s, 'expr');
          return { value: this.eval(expr), node: expr ?? s };
        }
        case 'namespace': {
          const r = this.runBlock(children(s, 'children'));
          if (r) return r;
          break;
        }
        case 'expressionstatement': {
          const e = child(s, 'expression');
          if (e) this.assign(e);
          break;
        }
        default:
          // Conditional code (if, loops, function bodies run later): anything it assigns is unknown.
          this.forgetAssigned(s);
      }
    }
    return undefined;
  }

  private assign(e: PhpNode): void {
    if (e.kind !== 'assign') return this.forgetAssigned(e);
    const left = child(e, 'left');
    const op = text(e, 'operator') ?? '=';
    if (left?.kind === 'variable' && typeof left.name === 'string') {
      const name = left.name;
      const right = this.eval(child(e, 'right'));
      if (op === '=') this.vars.set(name, right);
      else if (op === '.=') this.vars.set(name, lift(this.loc(e), [this.vars.get(name) ?? nul(this.loc(e)), right], ([a, b]) => binary('.', a!, b!, this.loc(e))));
      else if (op === '??=') this.vars.set(name, coalesce(this.vars.get(name) ?? nul(this.loc(e)), () => right, this.loc(e)));
      else this.vars.set(name, unknownPV(`$${name} ${op} …`, this.loc(e)));
      return;
    }
    // $list[] = 'x'
    if (left?.kind === 'offsetlookup' && child(left, 'what')?.kind === 'variable' && op === '=') {
      const name = text(child(left, 'what')!, 'name')!;
      const cur = this.vars.get(name);
      const value = this.eval(child(e, 'right'));
      const offNode = child(left, 'offset');
      if (cur?.t === 'arr') {
        const items = [...cur.items];
        if (!offNode) {
          const next = items.reduce((m, i) => (typeof i.key === 'number' ? Math.max(m, i.key + 1) : m), 0);
          items.push({ key: next, value, keyLoc: value.loc });
        } else {
          const key = arrayKey(this.eval(offNode));
          if (key === undefined) return void this.vars.set(name, unknownPV(`$${name}[…]`, this.loc(e)));
          setItem(items, { key, value, keyLoc: this.loc(offNode) });
        }
        this.vars.set(name, { t: 'arr', items, loc: cur.loc });
        return;
      }
      this.vars.set(name, unknownPV(`$${name}`, this.loc(e)));
      return;
    }
    this.forgetAssigned(e);
  }

  private forgetAssigned(n: PhpNode): void {
    const visit = (x: PhpNode) => {
      if (x.kind === 'assign') {
        let left = child(x, 'left');
        while (left?.kind === 'offsetlookup') left = child(left, 'what');
        if (left?.kind === 'variable' && typeof left.name === 'string') {
          this.vars.set(left.name, unknownPV(`$${left.name} (assigned conditionally)`, this.loc(x)));
        }
      }
      if (x.kind === 'function' || x.kind === 'class' || x.kind === 'closure' || x.kind === 'arrowfunc') return;
      for (const [k, v] of Object.entries(x)) {
        if (k === 'loc') continue;
        if (Array.isArray(v)) v.forEach((c) => c && typeof c === 'object' && 'kind' in c && visit(c as PhpNode));
        else if (v && typeof v === 'object' && 'kind' in v) visit(v as PhpNode);
      }
    };
    visit(n);
  }
}

function staticCallName(n: PhpNode): string | undefined {
  const what = child(n, 'what');
  if (what?.kind !== 'staticlookup') return undefined;
  const cls = child(what, 'what');
  const off = child(what, 'offset');
  if (cls?.kind !== 'name' || off?.kind !== 'identifier') return undefined;
  return `${text(cls, 'name')!.replace(/^\\/, '')}::${text(off, 'name')}`.toLowerCase();
}

function parseNumber(raw: string, loc: Loc): PV {
  const s = raw.replace(/_/g, '');
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(s))) return int(parseInt(m[1]!, 16), loc);
  if ((m = /^0[bB]([01]+)$/.exec(s))) return int(parseInt(m[1]!, 2), loc);
  if ((m = /^0[oO]?([0-7]+)$/.exec(s))) return int(parseInt(m[1]!, 8), loc);
  if (/^\d+$/.test(s)) {
    const v = Number(s);
    return Number.isSafeInteger(v) ? int(v, loc) : { t: 'float', v, loc };
  }
  return { t: 'float', v: Number(s), loc };
}

export function arrayKey(k: PV): string | number | undefined {
  switch (k.t) {
    case 'str':
      return /^(0|-?[1-9]\d*)$/.test(k.v) && Number.isSafeInteger(Number(k.v)) ? Number(k.v) : k.v;
    case 'int':
      return k.v;
    case 'float':
      return Math.trunc(k.v);
    case 'bool':
      return k.v ? 1 : 0;
    case 'null':
      return '';
    default:
      return undefined;
  }
}

function setItem(items: ArrItem[], item: ArrItem): void {
  const i = items.findIndex((x) => x.key === item.key);
  if (i >= 0) items[i] = { ...item, keyLoc: item.keyLoc };
  else items.push(item);
}

function mergeArrays(arrays: Extract<PV, { t: 'arr' }>[], loc: Loc): PV {
  const items: ArrItem[] = [];
  let next = 0;
  for (const a of arrays) {
    for (const it of a.items) {
      if (typeof it.key === 'number') items.push({ ...it, key: next++ });
      else setItem(items, { ...it });
    }
  }
  return { t: 'arr', items, loc };
}

/** `a ?? b`: b only when a is null or unset. */
export function coalesce(left: PV, right: () => PV, loc: Loc): PV {
  if (left.t === 'null') return right();
  if (left.t !== 'unknown') return left;
  if (!left.fb) return left;
  if (left.fb.t !== 'null') return left;
  const r = right();
  const rfb = fallbackWorld(r);
  return unknownPV(left.reason, loc, rfb?.value, rfb?.written ?? false, left.variable);
}

function castTo(type: string, x: PV, loc: Loc): PV {
  switch (type) {
    case 'bool':
    case 'boolean':
      return bool(truthy(x)!, loc);
    case 'int':
    case 'integer':
      return int(phpInt(x)!, loc);
    case 'float':
    case 'double':
      return { t: 'float', v: x.t === 'float' ? x.v : Number(LEADING_NUMERIC.exec(phpString(x) ?? '')?.[0] ?? 0), loc };
    case 'string':
      return str(phpString(x)!, loc);
    case 'array':
      return x.t === 'arr' ? x : x.t === 'null' ? { t: 'arr', items: [], loc } : list([x], loc);
    default:
      return unknownPV(`(${type}) cast`, loc);
  }
}

function validateBool(v: PV, nullOnFailure: boolean, loc: Loc): PV {
  if (v.t === 'bool') return v;
  const s = (phpString(v) ?? '').trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(s)) return bool(true, loc);
  if (['0', 'false', 'off', 'no', ''].includes(s)) return v.t === 'null' && nullOnFailure ? nul(loc) : bool(false, loc);
  return nullOnFailure ? nul(loc) : bool(false, loc);
}

function explode(vals: PV[], loc: Loc): PV {
  const [sep, s, limit] = vals;
  const d = sep ? phpString(sep) : undefined;
  if (!d || !s) return unknownPV('explode() with an empty separator', loc);
  const parts = (phpString(s) ?? '').split(d);
  let out = parts;
  const lim = limit ? phpInt(limit)! : undefined;
  if (lim !== undefined && lim > 0 && parts.length > lim) out = [...parts.slice(0, lim - 1), parts.slice(lim - 1).join(d)];
  else if (lim !== undefined && lim < 0) out = parts.slice(0, lim);
  else if (lim === 0 && parts.length > 1) out = [parts.join(d)];
  // Each piece points at the string it was cut from (the env() default, usually).
  return list(out.map((p) => str(p, s.loc)), loc);
}

function implode(vals: PV[], loc: Loc): PV {
  const [a, b] = vals;
  const arr = a?.t === 'arr' ? a : b?.t === 'arr' ? b : undefined;
  const glue = arr === a ? (b ? phpString(b) : '') : a ? phpString(a) : '';
  if (!arr) return unknownPV('implode() of a non-array', loc);
  return str(arr.items.map((i) => phpString(i.value) ?? '').join(glue ?? ''), loc);
}

/** sprintf with the plain conversions config files use (%s, %d, %%). */
function sprintf(vals: PV[], loc: Loc): PV {
  const [fmt, ...rest] = vals;
  if (!fmt) return unknownPV('sprintf()', loc);
  let i = 0;
  let bad = false;
  const out = (phpString(fmt) ?? '').replace(/%(%|s|d)/g, (_m, c: string) => {
    if (c === '%') return '%';
    const v = rest[i++];
    if (!v) {
      bad = true;
      return '';
    }
    return c === 'd' ? String(phpInt(v)) : (phpString(v) ?? '');
  });
  if (bad || /%[^%sd]/.test(phpString(fmt) ?? '')) return unknownPV('sprintf() with a format corslint does not evaluate', loc);
  return str(out, loc);
}

function binary(op: string, a: PV, b: PV, loc: Loc): PV {
  switch (op) {
    case '.':
      return str((phpString(a) ?? '') + (phpString(b) ?? ''), loc);
    case '===':
      return bool(strictEquals(a, b)!, loc);
    case '!==':
      return bool(!strictEquals(a, b)!, loc);
    case '==':
      return bool(looseEquals(a, b)!, loc);
    case '!=':
    case '<>':
      return bool(!looseEquals(a, b)!, loc);
    case '&&':
    case 'and':
      return bool(truthy(a)! && truthy(b)!, loc);
    case '||':
    case 'or':
      return bool(truthy(a)! || truthy(b)!, loc);
    case 'xor':
      return bool(truthy(a)! !== truthy(b)!, loc);
    case '+':
    case '-':
    case '*': {
      if (op === '+' && a.t === 'arr' && b.t === 'arr') {
        const items = [...a.items];
        for (const it of b.items) if (!items.some((i) => i.key === it.key)) items.push(it);
        return { t: 'arr', items, loc };
      }
      const x = a.t === 'float' || a.t === 'int' ? a.v : (numberOf(a) ?? phpInt(a)!);
      const y = b.t === 'float' || b.t === 'int' ? b.v : (numberOf(b) ?? phpInt(b)!);
      const r = op === '+' ? x + y : op === '-' ? x - y : x * y;
      const isFloat = a.t === 'float' || b.t === 'float' || !Number.isSafeInteger(r);
      return isFloat ? { t: 'float', v: r, loc } : int(r, loc);
    }
    default:
      return unknownPV(`operator ${op}`, loc);
  }
}
