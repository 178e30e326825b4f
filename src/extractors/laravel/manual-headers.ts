import type { EmittedHeader, Loc, OriginEntry, Policy, Val } from '../../model/index.js';
import { known, unknown } from '../../model/index.js';
import type { PhpNode } from './php-ast.js';
import { calleeName, child, childNodes, children, isNode, locOfNode, methodName, parsePhp, text, walk } from './php-ast.js';
import type { PV } from './php-values.js';
import { PhpEvaluator, fallbackWorld, firstUnknown, isFullyKnown, phpString } from './php-values.js';

/**
 * Hand-written CORS headers in PHP (`framework: 'manual-headers'`, the same
 * model the Express adapter uses for res.setHeader): `header('Name: value')`,
 * Symfony/Laravel `$response->headers->set()`, `->header()`, `->withHeaders()`
 * and the header arrays of `response()` / `new Response()`. A value read from
 * the request's Origin reflects it, unless the code only gets there after
 * checking the Origin against fixed values: then those values are the entries.
 */
export function extractPhpHeaders(source: string, file: string): Policy[] {
  const program = parsePhp(source, file);
  const x = new HeaderExtraction(program, file);
  return x.run();
}

const UNIT_KINDS = new Set(['function', 'method', 'closure', 'arrowfunc']);

interface HeaderSite {
  name: string;
  /** The value expression (the call itself when `literal` is set). */
  value: PhpNode;
  /** A value already cut out of a `header('Name: value')` string. */
  literal?: { text: string; loc: Loc };
  call: PhpNode;
  ancestors: PhpNode[];
  append?: boolean;
}

/** What one condition says about the request Origin where it holds. */
type Restriction = { kind: 'none' } | { kind: 'entries'; entries: OriginEntry[] } | { kind: 'predicate'; description: string; loc: Loc };

const NONE: Restriction = { kind: 'none' };

interface Assignment {
  value: PhpNode;
  node: PhpNode;
  ancestors: PhpNode[];
  /** Source position, to keep only assignments before a use. */
  at: number;
}

function position(n: PhpNode): number {
  return n.loc ? n.loc.start.line * 1e6 + n.loc.start.column : 0;
}

/** One way the Access-Control-Allow-Origin value can come about. */
type Possibility =
  | { kind: 'fixed'; value: string; loc: Loc }
  | { kind: 'reflect'; restriction: Restriction }
  | { kind: 'unknown'; pv: PV };

class HeaderExtraction {
  private readonly ev: PhpEvaluator;
  constructor(
    private readonly program: PhpNode,
    private readonly file: string,
  ) {
    this.ev = new PhpEvaluator(file);
  }

  private loc(n: PhpNode | undefined | null): Loc {
    return locOfNode(n, this.file);
  }

  run(): Policy[] {
    const byUnit = new Map<PhpNode, HeaderSite[]>();
    walk(this.program, (n, ancestors) => {
      for (const site of this.sitesOf(n, ancestors)) {
        const unit = [...ancestors].reverse().find((a) => UNIT_KINDS.has(a.kind)) ?? this.program;
        if (!byUnit.has(unit)) byUnit.set(unit, []);
        byUnit.get(unit)!.push(site);
      }
    });
    const policies: Policy[] = [];
    for (const [unit, sites] of byUnit) {
      const p = this.policyOf(unit, sites);
      if (p) policies.push(p);
    }
    return policies;
  }

  // ------------------------------------------------------------ header calls

  private sitesOf(n: PhpNode, ancestors: PhpNode[]): HeaderSite[] {
    const anc = [...ancestors];
    if (n.kind === 'call') {
      const fn = calleeName(n);
      const args = children(n, 'arguments');
      if (fn === 'header' && args[0]) {
        const site = this.headerString(args[0], n, anc);
        if (site) {
          const replace = args[1] ? this.ev.eval(args[1]) : undefined;
          if (replace && replace.t === 'bool' && !replace.v) site.append = true;
          return [site];
        }
        return [];
      }
      const m = methodName(n);
      if (m === 'set' || m === 'header' || m === 'add') {
        // $response->headers->set(name, value) / $response->header(name, value)
        const recv = child(child(n, 'what')!, 'what');
        const onBag = recv?.kind === 'propertylookup' && text(child(recv, 'offset') ?? { kind: '' }, 'name') === 'headers';
        if ((m === 'header' || onBag) && args.length >= 2) {
          const site = this.namedSite(args[0]!, args[1]!, n, anc);
          if (site && m === 'set' && args[2] && this.ev.eval(args[2]).t === 'bool' && !(this.ev.eval(args[2]) as { v: boolean }).v) site.append = true;
          return site ? [site] : [];
        }
        if (m === 'add' && onBag && args[0]) return this.arraySites(args[0], n, anc);
        return [];
      }
      if (m === 'withheaders' && args[0]) return this.arraySites(args[0], n, anc);
      // response($body, $status, $headers), response()->json($data, $status, $headers)
      if ((fn === 'response' || m === 'json' || m === 'make') && args[2]) return this.arraySites(args[2], n, anc);
    }
    if (n.kind === 'new') {
      const cls = child(n, 'what');
      const name = cls?.kind === 'name' ? (text(cls, 'name') ?? '').replace(/^.*\\/, '') : '';
      const args = children(n, 'arguments');
      if (/Response$/.test(name) && args[2]) return this.arraySites(args[2], n, anc);
    }
    return [];
  }

  private namedSite(nameNode: PhpNode, value: PhpNode, call: PhpNode, ancestors: PhpNode[]): HeaderSite | undefined {
    const name = this.ev.eval(nameNode);
    if (name.t !== 'str' || !isCorsHeader(name.v)) return undefined;
    return { name: name.v.trim().toLowerCase(), value, call, ancestors };
  }

  private arraySites(arr: PhpNode, call: PhpNode, ancestors: PhpNode[]): HeaderSite[] {
    if (arr.kind !== 'array') return [];
    const out: HeaderSite[] = [];
    for (const e of children(arr, 'items')) {
      const k = child(e, 'key');
      const v = child(e, 'value');
      if (!k || !v) continue;
      const site = this.namedSite(k, v, call, ancestors);
      if (site) out.push(site);
    }
    return out;
  }

  /** `header('Access-Control-Allow-Origin: ' . $origin)` and its interpolated forms. */
  private headerString(arg: PhpNode, call: PhpNode, ancestors: PhpNode[]): HeaderSite | undefined {
    const parts = this.templateParts(arg);
    let prefix = '';
    let i = 0;
    for (; i < parts.length && typeof parts[i] === 'string'; i++) prefix += parts[i] as string;
    const colon = prefix.indexOf(':');
    if (colon < 0) return undefined;
    const name = prefix.slice(0, colon).trim();
    if (!isCorsHeader(name)) return undefined;
    const rest = prefix.slice(colon + 1).replace(/^[ \t]+/, '');
    const tail = parts.slice(i).filter((p) => p !== '');
    const site = { name: name.toLowerCase(), call, ancestors };
    if (tail.length === 0) return { ...site, value: call, literal: { text: rest.trimEnd(), loc: this.loc(call) } };
    if (rest === '' && tail.length === 1 && typeof tail[0] !== 'string') return { ...site, value: tail[0]! };
    // A value built from several pieces: what it is, when it can be worked out at all.
    const concat: PhpNode = { kind: 'concat', loc: arg.loc, parts: [rest, ...tail] };
    return { ...site, value: concat };
  }

  private templateParts(n: PhpNode): (string | PhpNode)[] {
    if (n.kind === 'string' || n.kind === 'nowdoc') return [text(n, 'value') ?? ''];
    if (n.kind === 'encapsed') {
      return children(n, 'value').flatMap((p): (string | PhpNode)[] => {
        const e = p.kind === 'encapsedpart' ? child(p, 'expression') : p;
        if (!e) return [];
        return e.kind === 'string' ? [text(e, 'value') ?? ''] : [e];
      });
    }
    if (n.kind === 'bin' && text(n, 'type') === '.') return [...this.templateParts(child(n, 'left')!), ...this.templateParts(child(n, 'right')!)];
    if (n.kind === 'parenthesis') return this.templateParts(child(n, 'inner')!);
    return [n];
  }

  // ------------------------------------------------------------ policy

  private policyOf(unit: PhpNode, sites: HeaderSite[]): Policy | undefined {
    if (sites.length === 0) return undefined;
    const first = sites[0]!;
    const loc = this.loc(first.call);
    const acao = sites.filter((s) => s.name === 'access-control-allow-origin');
    const acac = sites.filter((s) => s.name === 'access-control-allow-credentials');

    const possibilities = acao.flatMap((s): Possibility[] =>
      s.literal ? [{ kind: 'fixed', value: s.literal.text, loc: s.literal.loc }] : this.possibilities(s.value, unit, this.guards(s.call, s.ancestors, unit), s),
    );
    const { origins, form } = this.originsOf(possibilities, acao[0] ? this.loc(acao[0].call) : loc);

    // Credentials are on where a path writes exactly `true`; `false` on another path (the rejected
    // branch) is the same as not writing the header, so it neither decides nor blurs the value.
    const acacValues = acac.map((s) => ({ s, v: this.stringVal(s) }));
    const enabling = acacValues.filter(({ v }) => !v.known || v.value.trim() === 'true');
    let credentials: Val<boolean> = acac.length ? known(false, this.loc(acac[acac.length - 1]!.call)) : known(false, loc, true);
    for (const { s, v } of enabling) {
      credentials = v.known
        ? known(true, this.loc(s.call))
        : unknown(v.reason, this.loc(s.call), v.fallback === undefined ? undefined : v.fallback.trim() === 'true', v.variable);
    }
    const quiet = new Set(acacValues.filter((x) => !enabling.includes(x) && enabling.length > 0).map(({ s }) => s));

    const headers = this.emittedHeaders(unit, sites.filter((s) => s.name !== 'access-control-allow-origin' && !quiet.has(s)));
    const otherwise = this.rejectedOriginAnswer(acao, possibilities, unit);
    if (otherwise) headers.push(otherwise);
    const listOf = (name: string): Val<string[]> => {
      const h = headers.find((x) => x.name === name);
      if (!h) return known([], loc, true);
      const v = h.value;
      const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
      return v.known ? known(split(v.value), v.loc) : unknown(v.reason, v.loc, v.fallback === undefined ? undefined : split(v.fallback), v.variable);
    };
    const maxAgeH = headers.find((x) => x.name === 'access-control-max-age');
    const maxAge: Val<number | null> = !maxAgeH
      ? known(null, loc, true)
      : maxAgeH.value.known
        ? known(Number.parseInt(maxAgeH.value.value, 10) || 0, maxAgeH.loc)
        : unknown(maxAgeH.value.reason, maxAgeH.loc);

    return {
      framework: 'manual-headers',
      layer: 'app',
      scope: {},
      loc,
      origins,
      originForm: form,
      credentials,
      methods: listOf('access-control-allow-methods'),
      allowHeaders: listOf('access-control-allow-headers'),
      exposeHeaders: listOf('access-control-expose-headers'),
      maxAge,
      headers,
      unknownOptions: [],
    };
  }

  /**
   * `if (in_array($origin, $allowed)) { echo it } else { header('Access-Control-Allow-Origin: *') }`:
   * the `*` written outside the origin check is what the origins the check rejects get.
   */
  private rejectedOriginAnswer(acao: HeaderSite[], ps: Possibility[], unit: PhpNode): EmittedHeader | undefined {
    const checked = ps.some((p) => p.kind === 'reflect' && p.restriction.kind !== 'none');
    if (!checked) return undefined;
    const star = acao.find((s) => {
      const v = this.stringVal(s);
      return v.known && v.value.trim() === '*' && this.guards(s.call, s.ancestors, unit).kind === 'none';
    });
    if (!star) return undefined;
    const loc = this.loc(star.call);
    return { name: 'access-control-allow-origin', value: known('*', loc), loc, unlessOriginAllowed: true };
  }

  /**
   * One entry per header name (PHP's header() replaces an earlier one), with
   * when it is written: only inside the origin check, only for preflights.
   */
  private emittedHeaders(unit: PhpNode, sites: HeaderSite[]): EmittedHeader[] {
    const out: EmittedHeader[] = [];
    const names = [...new Set(sites.map((s) => s.name))];
    for (const name of names) {
      const same = sites.filter((s) => s.name === name);
      const first = same[0]!;
      const values = same.map((s) => this.stringVal(s));
      const loc = this.loc(first.call);
      const distinct = new Set(values.map((v) => (v.known ? `=${v.value}` : '?')));
      const value: Val<string> = same.length === 1 || (distinct.size === 1 && values[0]!.known) ? { ...values[0]!, loc } : unknown('set to different values on different paths', loc);
      const h: EmittedHeader = { name, value, loc };
      if (same.some((s) => s.append)) h.append = true;
      if (same.every((s) => this.guards(s.call, s.ancestors, unit).kind !== 'none')) h.onlyIfOriginAllowed = true;
      if (same.every((s) => this.inPreflightBranch(s.ancestors, s.call))) h.onlyOnPreflight = true;
      out.push(h);
    }
    return out;
  }

  /** Inside `if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS')`, `if ($request->isMethod('OPTIONS'))` and the like. */
  private inPreflightBranch(ancestors: PhpNode[], node: PhpNode): boolean {
    const chain = [...ancestors, node];
    for (let i = chain.length - 2; i >= 0; i--) {
      const parent = chain[i]!;
      if (UNIT_KINDS.has(parent.kind)) break;
      if (parent.kind === 'if' && chain[i + 1] === child(parent, 'body') && this.isOptionsTest(child(parent, 'test')!)) return true;
    }
    return false;
  }

  private isOptionsTest(test: PhpNode): boolean {
    const isOptions = (n: PhpNode | undefined) => {
      if (!n) return false;
      const v = this.ev.eval(n);
      return v.t === 'str' && v.v.toUpperCase() === 'OPTIONS';
    };
    const isMethod = (n: PhpNode | undefined): boolean => {
      if (!n) return false;
      if (n.kind === 'offsetlookup') {
        const what = child(n, 'what');
        const key = this.ev.eval(child(n, 'offset'));
        return what?.kind === 'variable' && text(what, 'name') === '_SERVER' && key.t === 'str' && key.v === 'REQUEST_METHOD';
      }
      if (n.kind === 'call') return ['getmethod', 'method', 'getrealmethod'].includes(methodName(n) ?? '');
      if (n.kind === 'variable') {
        const a = this.assignmentsOf(text(n, 'name') ?? '', undefined, n);
        return a.length === 1 && isMethod(a[0]!.value);
      }
      return false;
    };
    if (test.kind === 'parenthesis') return this.isOptionsTest(child(test, 'inner')!);
    if (test.kind === 'bin') {
      const op = text(test, 'type');
      const l = child(test, 'left');
      const r = child(test, 'right');
      if (op === '===' || op === '==') return (isMethod(l) && isOptions(r)) || (isMethod(r) && isOptions(l));
      if (op === '&&' || op === 'and') return this.isOptionsTest(l!) || this.isOptionsTest(r!);
      return false;
    }
    if (test.kind === 'call' && methodName(test) === 'ismethod') return isOptions(children(test, 'arguments')[0]);
    return false;
  }

  private stringVal(s: HeaderSite): Val<string> {
    const loc = this.loc(s.call);
    if (s.literal) return known(s.literal.text, loc);
    const pv = this.evalValue(s.value);
    if (isFullyKnown(pv)) return known(phpString(pv) ?? '', loc);
    const u = firstUnknown(pv)!;
    const fb = fallbackWorld(pv);
    return unknown(u.reason, loc, fb?.written ? phpString(fb.value) : undefined, u.variable);
  }

  private evalValue(n: PhpNode): PV {
    if (n.kind === 'concat') {
      const parts = (n as unknown as { parts: (string | PhpNode)[] }).parts;
      let acc: PV = { t: 'str', v: '', loc: this.loc(n) };
      for (const p of parts) {
        const v: PV = typeof p === 'string' ? { t: 'str', v: p, loc: this.loc(n) } : this.evalValue(p);
        acc = this.concat(acc, v, this.loc(n));
      }
      return acc;
    }
    if (n.kind === 'variable') {
      const rhs = this.assignmentsOf(text(n, 'name') ?? '', undefined, n);
      if (rhs.length === 1) return this.evalValue(rhs[0]!.value);
    }
    return this.ev.eval(n);
  }

  private concat(a: PV, b: PV, loc: Loc): PV {
    if (isFullyKnown(a) && isFullyKnown(b)) return { t: 'str', v: (phpString(a) ?? '') + (phpString(b) ?? ''), loc };
    const u = firstUnknown(a) ?? firstUnknown(b)!;
    const fa = fallbackWorld(a);
    const fbv = fallbackWorld(b);
    const fb: PV | undefined = fa && fbv ? { t: 'str', v: (phpString(fa.value) ?? '') + (phpString(fbv.value) ?? ''), loc } : undefined;
    return { t: 'unknown', reason: u.reason, loc, written: !!(fa?.written && fbv?.written && fb), ...(fb ? { fb } : {}), ...(u.variable ? { variable: u.variable } : {}) };
  }

  /** Access-Control-Allow-Origin as origin entries; 'single' when one fixed value is all it can be. */
  private originsOf(ps: Possibility[], loc: Loc): { origins: Val<OriginEntry[]>; form: 'single' | 'list' } {
    const toEntries = (list: Possibility[]): OriginEntry[] | undefined => {
      const out: OriginEntry[] = [];
      const onlyFixed = list.every((p) => p.kind === 'fixed');
      for (const p of list) {
        if (p.kind === 'fixed') {
          if (p.value === '') continue;
          if (p.value === '*') {
            // '*' next to a reflected Origin is one branch of several: not "any origin is echoed".
            if (onlyFixed) out.push({ kind: 'any', loc: p.loc });
            continue;
          }
          out.push({ kind: 'exact', origin: p.value, loc: p.loc });
        } else if (p.kind === 'reflect') {
          const r = p.restriction;
          if (r.kind === 'none') out.push({ kind: 'reflect', loc });
          else if (r.kind === 'entries') out.push(...r.entries);
          else out.push({ kind: 'predicate', description: r.description, loc: r.loc });
        } else return undefined;
      }
      return out;
    };
    const fixed = ps.filter((p) => p.kind === 'fixed' && p.value !== '');
    const form = ps.length > 0 && ps.every((p) => p.kind === 'fixed') && new Set(fixed.map((p) => (p as { value: string }).value)).size === 1 ? 'single' : 'list';
    const unknowns = ps.filter((p): p is Extract<Possibility, { kind: 'unknown' }> => p.kind === 'unknown');
    if (unknowns.length === 0) {
      const entries = toEntries(ps)!;
      return { origins: known(form === 'single' ? entries.slice(0, 1) : entries, loc), form };
    }
    const u = firstUnknown(unknowns[0]!.pv)!;
    // Each unknown value with a written fallback is that fixed value when the variable is unset.
    const fbs = ps.map((p): Possibility | undefined => {
      if (p.kind !== 'unknown') return p;
      const fb = fallbackWorld(p.pv);
      return fb?.written ? { kind: 'fixed', value: phpString(fb.value) ?? '', loc: fb.value.loc } : undefined;
    });
    const fallback = fbs.every((p) => p) ? toEntries(fbs as Possibility[]) : undefined;
    const fbForm = fbs.every((p) => p?.kind === 'fixed') && fallback?.length === 1 ? 'single' : 'list';
    return { origins: unknown(u.reason, loc, fallback, u.variable), form: fbForm };
  }

  // ------------------------------------------------------------ values of Access-Control-Allow-Origin

  private possibilities(n: PhpNode, unit: PhpNode, guards: Restriction, site: HeaderSite, depth = 0): Possibility[] {
    if (depth > 8) return [{ kind: 'unknown', pv: { t: 'unknown', reason: 'a value corslint cannot follow', loc: this.loc(n), written: false } }];
    if (this.isOriginSource(n, unit)) return [{ kind: 'reflect', restriction: guards }];
    switch (n.kind) {
      case 'parenthesis':
        return this.possibilities(child(n, 'inner')!, unit, guards, site, depth + 1);
      case 'retif': {
        const test = child(n, 'test')!;
        const t = child(n, 'trueExpr');
        const yes = t ? this.possibilities(t, unit, intersect(guards, this.restrict(test, true, unit)), site, depth + 1) : [];
        const no = this.possibilities(child(n, 'falseExpr')!, unit, intersect(guards, this.restrict(test, false, unit)), site, depth + 1);
        const testIsOrigin = !t && this.isOriginSource(test, unit);
        return [...(testIsOrigin ? [{ kind: 'reflect', restriction: guards } as Possibility] : yes), ...no];
      }
      case 'bin':
        if (text(n, 'type') === '??') {
          const left = child(n, 'left')!;
          // With no Origin header the request is not a CORS request: the right side never reaches a browser check.
          if (this.isOriginSource(left, unit)) return [{ kind: 'reflect', restriction: guards }];
          return [...this.possibilities(left, unit, guards, site, depth + 1), ...this.possibilities(child(n, 'right')!, unit, guards, site, depth + 1)];
        }
        break;
      case 'variable': {
        const name = text(n, 'name') ?? '';
        const assigns = this.assignmentsOf(name, unit, site.call);
        if (assigns.length === 0) break;
        return assigns.flatMap((a) => this.possibilities(a.value, unit, intersect(guards, this.guards(a.node, a.ancestors, unit)), site, depth + 1));
      }
    }
    const pv = this.evalValue(n);
    if (isFullyKnown(pv)) return [{ kind: 'fixed', value: phpString(pv) ?? '', loc: this.loc(n) }];
    return [{ kind: 'unknown', pv }];
  }

  private readonly assignCache = new Map<PhpNode, Map<string, Assignment[]>>();

  /** Assignments `$name = …` in the same function, before `before`. */
  private assignmentsOf(name: string, unit: PhpNode | undefined, before: PhpNode): Assignment[] {
    const scope = unit ?? this.program;
    let byName = this.assignCache.get(scope);
    if (!byName) {
      const map = new Map<string, Assignment[]>();
      walkUnit(scope, (n, ancestors) => {
        if (n.kind !== 'assign') return;
        const left = child(n, 'left');
        const right = child(n, 'right');
        const op = text(n, 'operator') ?? '=';
        if (left?.kind !== 'variable' || !right || (op !== '=' && op !== '??=')) return;
        const v = text(left, 'name') ?? '';
        if (!map.has(v)) map.set(v, []);
        map.get(v)!.push({ value: right, node: n, ancestors: [...ancestors], at: position(n) });
      });
      byName = map;
      this.assignCache.set(scope, map);
    }
    const limit = before.loc ? position(before) : Infinity;
    return (byName.get(name) ?? []).filter((a) => a.at <= limit);
  }

  // ------------------------------------------------------------ the request Origin

  private isOriginSource(n: PhpNode, unit: PhpNode, depth = 0): boolean {
    if (depth > 6) return false;
    switch (n.kind) {
      case 'parenthesis':
        return this.isOriginSource(child(n, 'inner')!, unit, depth + 1);
      case 'offsetlookup': {
        const what = child(n, 'what');
        const key = this.ev.eval(child(n, 'offset'));
        const k = key.t === 'str' ? key.v.toLowerCase() : '';
        if (what?.kind === 'variable' && text(what, 'name') === '_SERVER') return k === 'http_origin';
        // $request->server()['HTTP_ORIGIN'], $request->server->all()['HTTP_ORIGIN']: the same server array.
        if (what?.kind === 'call' && children(what, 'arguments').length === 0 && ['server', 'all'].includes(methodName(what) ?? '')) return k === 'http_origin';
        // getallheaders()['Origin']
        if (what?.kind === 'call' && ['getallheaders', 'apache_request_headers'].includes(calleeName(what) ?? '')) return k === 'origin';
        if (what?.kind === 'variable' && k === 'origin') {
          const src = this.assignmentsOf(text(what, 'name') ?? '', unit, n);
          return src.some((a) => a.value.kind === 'call' && ['getallheaders', 'apache_request_headers'].includes(calleeName(a.value) ?? ''));
        }
        return false;
      }
      case 'call': {
        const m = methodName(n);
        const fn = calleeName(n);
        const args = children(n, 'arguments');
        const firstIsOrigin = () => {
          const a = args[0] ? this.ev.eval(args[0]) : undefined;
          return a?.t === 'str' && a.v.toLowerCase() === 'origin';
        };
        // $request->header('Origin'), $request->headers->get('Origin'), PSR-7 getHeaderLine('Origin'), Request::header('Origin')
        if ((m === 'header' || m === 'get' || m === 'getheaderline' || m === 'server') && args.length >= 1) {
          // $request->server('HTTP_ORIGIN'), Symfony's ServerBag $request->server->get('HTTP_ORIGIN')
          const a = this.ev.eval(args[0]!);
          if ((m === 'server' || m === 'get') && a.t === 'str' && a.v.toUpperCase() === 'HTTP_ORIGIN') return true;
          if (m === 'server') return false;
          return firstIsOrigin();
        }
        // filter_input(INPUT_SERVER, 'HTTP_ORIGIN'), and getenv('HTTP_ORIGIN') (CGI/FastCGI put request headers in the environment)
        if ((fn === 'filter_input' && args[1]) || (fn === 'getenv' && args[0])) {
          const a = this.ev.eval(fn === 'getenv' ? args[0]! : args[1]!);
          return a.t === 'str' && a.v.toUpperCase() === 'HTTP_ORIGIN';
        }
        if (n.kind === 'call' && child(n, 'what')?.kind === 'staticlookup') {
          const off = child(child(n, 'what')!, 'offset');
          if (off?.kind === 'identifier' && text(off, 'name')?.toLowerCase() === 'header') return firstIsOrigin();
        }
        // A string function of the Origin (trim, strtolower, rtrim($o, '/')) still carries the attacker's value.
        if (fn && ['trim', 'rtrim', 'ltrim', 'strtolower', 'htmlspecialchars', 'strval', 'urldecode'].includes(fn) && args[0]) {
          return this.isOriginSource(args[0], unit, depth + 1);
        }
        return false;
      }
      case 'cast':
        return this.isOriginSource(child(n, 'expr')!, unit, depth + 1);
      case 'bin':
        return text(n, 'type') === '??' && this.isOriginSource(child(n, 'left')!, unit, depth + 1);
      case 'variable': {
        const assigns = this.assignmentsOf(text(n, 'name') ?? '', unit, n);
        return assigns.length > 0 && assigns.every((a) => this.isOriginSource(a.value, unit, depth + 1));
      }
      default:
        return false;
    }
  }

  private mentionsOrigin(n: PhpNode, unit: PhpNode): boolean {
    let found = false;
    walk(n, (x) => {
      if (!found && this.isOriginSource(x, unit)) found = true;
    });
    return found;
  }

  // ------------------------------------------------------------ guards

  /** What the conditions around `node` (enclosing ifs, ternaries, earlier early exits) say about the Origin. */
  private guards(node: PhpNode, ancestors: PhpNode[], unit: PhpNode): Restriction {
    let r: Restriction = NONE;
    const chain = [...ancestors, node];
    const start = Math.max(0, chain.indexOf(unit));
    for (let i = chain.length - 2; i >= start; i--) {
      const parent = chain[i]!;
      const c = chain[i + 1]!;
      if (parent.kind === 'if') {
        const test = child(parent, 'test')!;
        if (c === child(parent, 'body')) r = intersect(r, this.restrict(test, true, unit));
        else if (c === child(parent, 'alternate')) r = intersect(r, this.restrict(test, false, unit));
      } else if (parent.kind === 'retif') {
        const test = child(parent, 'test')!;
        if (c === child(parent, 'trueExpr')) r = intersect(r, this.restrict(test, true, unit));
        else if (c === child(parent, 'falseExpr')) r = intersect(r, this.restrict(test, false, unit));
      } else if (parent.kind === 'bin' && c === child(parent, 'right')) {
        const op = text(parent, 'type');
        if (op === '&&' || op === 'and') r = intersect(r, this.restrict(child(parent, 'left')!, true, unit));
        if (op === '||' || op === 'or') r = intersect(r, this.restrict(child(parent, 'left')!, false, unit));
      } else if (parent.kind === 'switch' || parent.kind === 'case') {
        const sw = parent.kind === 'switch' ? parent : undefined;
        if (sw && this.mentionsOrigin(child(sw, 'test')!, unit)) r = intersect(r, { kind: 'predicate', description: 'a switch on the Origin', loc: this.loc(sw) });
      } else if (parent.kind === 'match') {
        if (this.mentionsOrigin(child(parent, 'cond')!, unit)) r = intersect(r, { kind: 'predicate', description: 'a match on the Origin', loc: this.loc(parent) });
      }
      // Early exits before this statement: `if (!in_array($origin, $allowed)) { return; }`
      for (const list of statementLists(parent)) {
        const idx = list.indexOf(c);
        if (idx <= 0) continue;
        for (const s of list.slice(0, idx)) {
          if (s.kind === 'if' && !child(s, 'alternate') && alwaysExits(child(s, 'body'))) r = intersect(r, this.restrict(child(s, 'test')!, false, unit));
        }
      }
      if (UNIT_KINDS.has(parent.kind)) break;
    }
    return r;
  }

  /** The origins for which `cond` is `positive`. */
  private restrict(cond: PhpNode, positive: boolean, unit: PhpNode): Restriction {
    if (!this.mentionsOrigin(cond, unit)) return NONE;
    const loc = this.loc(cond);
    const opaque = (): Restriction => ({ kind: 'predicate', description: 'a check on the Origin corslint cannot decide', loc });
    switch (cond.kind) {
      case 'parenthesis':
        return this.restrict(child(cond, 'inner')!, positive, unit);
      case 'unary':
        if (text(cond, 'type') === '!') return this.restrict(child(cond, 'what')!, !positive, unit);
        return opaque();
      case 'isset':
      case 'empty':
        return NONE;
      case 'bin': {
        const op = text(cond, 'type') ?? '';
        const l = child(cond, 'left')!;
        const rt = child(cond, 'right')!;
        if (op === '&&' || op === 'and') {
          return positive ? intersect(this.restrict(l, true, unit), this.restrict(rt, true, unit)) : union(this.restrict(l, false, unit), this.restrict(rt, false, unit));
        }
        if (op === '||' || op === 'or') {
          return positive ? union(this.restrict(l, true, unit), this.restrict(rt, true, unit)) : intersect(this.restrict(l, false, unit), this.restrict(rt, false, unit));
        }
        if (['===', '==', '!==', '!=', '<>'].includes(op)) {
          const eq = op === '===' || op === '==';
          const originSide = this.isOriginSource(l, unit) ? rt : this.isOriginSource(rt, unit) ? l : undefined;
          if (originSide) {
            const v = this.ev.eval(originSide);
            if (!isFullyKnown(v)) return opaque();
            const s = phpString(v) ?? '';
            // `$origin !== ''`, `$origin != null`: only says an Origin was sent.
            if (s === '') return NONE;
            return eq === positive ? { kind: 'entries', entries: [{ kind: 'exact', origin: s, loc: this.loc(originSide) }] } : NONE;
          }
          // preg_match(...) === 1, in_array(...) === true, strpos(...) !== false
          const callSide = l.kind === 'call' ? l : rt.kind === 'call' ? rt : undefined;
          const other = callSide === l ? rt : l;
          if (callSide) {
            const v = this.ev.eval(other);
            if (v.t === 'int' || v.t === 'bool') {
              const truthyWhenEq = v.t === 'int' ? v.v !== 0 : v.v;
              const pos = eq ? truthyWhenEq === positive : truthyWhenEq !== positive;
              if (calleeName(callSide) === 'preg_match' || calleeName(callSide) === 'in_array') return this.restrict(callSide, pos, unit);
            }
          }
          return opaque();
        }
        return opaque();
      }
      case 'call': {
        const fn = calleeName(cond);
        const args = children(cond, 'arguments');
        if (fn === 'in_array' && args[0] && this.isOriginSource(args[0], unit)) {
          if (!positive) return NONE;
          const entries = this.listEntries(args[1], unit, cond);
          return entries ? { kind: 'entries', entries } : opaque();
        }
        if ((fn === 'array_key_exists' || fn === 'key_exists') && args[0] && this.isOriginSource(args[0], unit)) {
          if (!positive) return NONE;
          const entries = this.listEntries(args[1], unit, cond, true);
          return entries ? { kind: 'entries', entries } : opaque();
        }
        if (fn === 'preg_match' && args[1] && this.isOriginSource(args[1], unit)) {
          if (!positive) return NONE;
          const p = this.ev.eval(args[0]);
          if (p.t !== 'str') return opaque();
          return { kind: 'entries', entries: [{ kind: 'regex', source: p.v, flags: '', flavor: 'pcre', loc: this.loc(args[0]) }] };
        }
        return opaque();
      }
      default:
        if (this.isOriginSource(cond, unit)) return NONE;
        return opaque();
    }
  }

  /** A fixed list the Origin is looked up in: an array literal, a variable, a class constant or property. */
  private listEntries(n: PhpNode | undefined, unit: PhpNode, at: PhpNode, keys = false, depth = 0): OriginEntry[] | undefined {
    if (!n || depth > 4) return undefined;
    let target: PhpNode | undefined = n;
    if (n.kind === 'variable') {
      const assigns = this.assignmentsOf(text(n, 'name') ?? '', unit, at);
      if (assigns.length !== 1) return undefined;
      return this.listEntries(assigns[0]!.value, unit, at, keys, depth + 1);
    }
    if (n.kind === 'staticlookup' || n.kind === 'propertylookup') target = this.classMember(n);
    if (!target) return undefined;
    if (target !== n) return this.listEntries(target, unit, at, keys, depth + 1);
    const pv = this.ev.eval(target);
    if (pv.t !== 'arr' || !isFullyKnown(pv)) return undefined;
    return pv.items.map((i) =>
      keys ? { kind: 'exact' as const, origin: String(i.key), loc: i.keyLoc } : { kind: 'exact' as const, origin: phpString(i.value) ?? '', loc: i.value.loc },
    );
  }

  /** `self::ALLOWED`, `static::ALLOWED`, `$this->allowed`: the initializer in a class of this file. */
  private classMember(n: PhpNode): PhpNode | undefined {
    const off = child(n, 'offset');
    const name = off?.kind === 'identifier' ? text(off, 'name') : undefined;
    if (!name) return undefined;
    const isConst = n.kind === 'staticlookup';
    if (!isConst && !(child(n, 'what')?.kind === 'variable' && text(child(n, 'what')!, 'name') === 'this')) return undefined;
    let found: PhpNode | undefined;
    walk(this.program, (x) => {
      if (found) return;
      if (isConst && x.kind === 'constant' && text(child(x, 'name') ?? { kind: '' }, 'name') === name) found = child(x, 'value');
      if (!isConst && x.kind === 'property' && text(child(x, 'name') ?? { kind: '' }, 'name') === name) found = child(x, 'value');
    });
    return found;
  }
}

function isCorsHeader(name: string): boolean {
  const n = name.trim().toLowerCase();
  return n.startsWith('access-control-') || n === 'vary';
}

/** Walk a function body without entering nested functions. */
function walkUnit(unit: PhpNode, visit: (n: PhpNode, ancestors: PhpNode[]) => void): void {
  const stack: PhpNode[] = [];
  const go = (n: PhpNode) => {
    visit(n, stack);
    if (n !== unit && UNIT_KINDS.has(n.kind)) return;
    stack.push(n);
    for (const c of childNodes(n)) go(c);
    stack.pop();
  };
  go(unit);
}

function statementLists(n: PhpNode): PhpNode[][] {
  const out: PhpNode[][] = [];
  for (const key of ['children', 'body']) {
    const v = n[key];
    if (Array.isArray(v)) out.push(v.filter(isNode));
  }
  return out;
}

function alwaysExits(body: PhpNode | undefined): boolean {
  if (!body) return false;
  const last = body.kind === 'block' ? children(body, 'children').at(-1) : body;
  if (!last) return false;
  if (last.kind === 'return' || last.kind === 'throw' || last.kind === 'exit') return true;
  if (last.kind === 'expressionstatement') {
    const e = child(last, 'expression');
    return e?.kind === 'exit' || e?.kind === 'throw' || (e?.kind === 'call' && calleeName(e) === 'abort');
  }
  return false;
}

function intersect(a: Restriction, b: Restriction): Restriction {
  if (a.kind === 'none') return b;
  if (b.kind === 'none') return a;
  // Both restrict: the accepted origins lie in each, so a fixed list is the tighter answer.
  if (a.kind === 'entries' && b.kind === 'entries') {
    const exactA = a.entries.every((e) => e.kind === 'exact');
    const exactB = b.entries.every((e) => e.kind === 'exact');
    if (exactA && exactB) {
      const inB = new Set(b.entries.map((e) => (e as { origin: string }).origin));
      return { kind: 'entries', entries: a.entries.filter((e) => inB.has((e as { origin: string }).origin)) };
    }
    return exactB ? b : a;
  }
  if (a.kind === 'entries') return a;
  if (b.kind === 'entries') return b;
  return a;
}

function union(a: Restriction, b: Restriction): Restriction {
  if (a.kind === 'none' || b.kind === 'none') return NONE;
  if (a.kind === 'entries' && b.kind === 'entries') return { kind: 'entries', entries: [...a.entries, ...b.entries] };
  return a.kind === 'predicate' ? a : b;
}
