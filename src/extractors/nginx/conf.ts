import type { Loc } from '../../model/index.js';
import type { Directive } from './parser.js';
import { argsLoc } from './parser.js';
import type { AddHeader, Condition, HeaderConf, MapDef, MapEntry, MoreHeader, PassKind, Step, Upstream } from './program.js';
import { complexValue, describeCondition, isCorsHeader } from './program.js';

/** One place a request can end up: a location, or a server's default when no `location /` catches everything. */
export interface Unit {
  label: string;
  server?: string;
  location?: string;
  loc: Loc;
  serverSteps: Step[];
  locationSteps: Step[];
  serverConf: number;
  baseConf: number;
}

export interface BuiltConfig {
  confs: HeaderConf[];
  maps: Record<string, MapDef>;
  units: Unit[];
}

const PASS: Record<string, PassKind> = {
  proxy_pass: 'proxy',
  fastcgi_pass: 'fastcgi',
  uwsgi_pass: 'uwsgi',
  grpc_pass: 'grpc',
  scgi_pass: 'scgi',
};

const HIDE: Record<string, PassKind> = {
  proxy_hide_header: 'proxy',
  fastcgi_hide_header: 'fastcgi',
  uwsgi_hide_header: 'uwsgi',
  grpc_hide_header: 'grpc',
  scgi_hide_header: 'scgi',
};

/** Content handlers other than the static one and the upstream passes: their status is whatever they answer. */
const DYNAMIC = /^(content_by_lua(_block|_file)?|echo|echo_.*|js_content|perl|empty_gif|stub_status|memcached_pass|dav_methods|autoindex|mp4|flv|random_index|image_filter)$/;

/**
 * Turns parsed (include-expanded) directives into nginx's configuration
 * levels with `add_header` inheritance resolved exactly as
 * ngx_http_headers_merge_conf does, and the rewrite-phase steps of each
 * serving unit.
 */
export function buildConfig(top: Directive[]): BuiltConfig {
  const b = new Builder();
  b.top(top);
  return { confs: b.confs, maps: b.maps, units: b.units };
}

class Builder {
  confs: HeaderConf[] = [];
  maps: Record<string, MapDef> = {};
  upstreams: Record<string, { host: string; port?: number; loc: Loc }[]> = {};
  units: Unit[] = [];
  private ifs = 0;

  top(list: Directive[]): void {
    const http = list.filter((d) => d.name === 'http' && d.block);
    if (http.length) {
      for (const h of http) this.http(h.block!, h.loc);
      return;
    }
    const loc0 = list[0]?.loc ?? { file: '', line: 1, column: 1, endLine: 1, endColumn: 1 };
    if (list.some((d) => (d.name === 'server' && d.block) || d.name === 'map' || d.name === 'upstream')) {
      this.http(list, loc0);
      return;
    }
    // A snippet included inside a server (it has locations) or a location (only directives).
    this.collectHttpScoped(list);
    if (list.some((d) => d.name === 'location' && d.block)) {
      const conf = this.conf('server', 'top level', loc0, list, undefined);
      this.serverLike(list, conf, undefined, 'top level', loc0);
      return;
    }
    const conf = this.conf('snippet', 'snippet', loc0, list, undefined);
    this.units.push({ label: 'snippet', loc: loc0, serverSteps: [], locationSteps: this.steps(list, conf), serverConf: conf.id, baseConf: conf.id });
  }

  private collectHttpScoped(list: Directive[]): void {
    for (const d of list) {
      if (d.name === 'map' && d.block) this.map(d);
      if (d.name === 'upstream' && d.block && d.args[0]) this.upstream(d);
    }
  }

  private http(list: Directive[], loc: Loc): void {
    this.collectHttpScoped(list);
    const conf = this.conf('http', 'http', loc, list, undefined);
    for (const d of list) {
      if (d.name === 'server' && d.block) {
        const sconf = this.conf('server', serverLabel(d.block), d.loc, d.block, conf);
        this.serverLike(d.block, sconf, serverName(d.block), serverLabel(d.block), d.loc);
      }
    }
  }

  private serverLike(list: Directive[], sconf: HeaderConf, server: string | undefined, label: string, loc: Loc): void {
    const serverSteps = this.steps(list, undefined);
    const hasRoot = list.some((d) => d.name === 'location' && d.block && d.args.length === 1 && d.args[0]!.value === '/');
    if (!hasRoot) {
      this.units.push({
        label,
        server,
        loc,
        serverSteps,
        locationSteps: [],
        serverConf: sconf.id,
        baseConf: sconf.id,
      });
    }
    for (const d of list) if (d.name === 'location' && d.block) this.location(d, sconf, sconf, serverSteps, server, label);
  }

  private location(d: Directive, parent: HeaderConf, sconf: HeaderConf, serverSteps: Step[], server: string | undefined, serverLbl: string): void {
    const path = d.args.map((a) => a.value).join(' ');
    const label = `location ${path}`;
    const conf = this.conf('location', label, d.loc, d.block!, parent);
    const locationSteps = this.steps(d.block!, conf);
    this.units.push({
      label: `${serverLbl} › ${label}`,
      server,
      location: path,
      loc: d.loc,
      serverSteps,
      locationSteps,
      serverConf: sconf.id,
      baseConf: conf.id,
    });
    for (const c of d.block!) if (c.name === 'location' && c.block) this.location(c, conf, sconf, serverSteps, server, serverLbl);
  }

  /** Rewrite-module directives of one level, in order; `if` blocks of a location get their own header configuration. */
  private steps(list: Directive[], locationConf: HeaderConf | undefined): Step[] {
    const out: Step[] = [];
    for (const d of list) {
      if (d.name === 'set' && d.args.length >= 2 && d.args[0]!.value.startsWith('$')) {
        out.push({ kind: 'set', var: d.args[0]!.value.slice(1).replace(/^\{(.*)\}$/, '$1').toLowerCase(), value: complexValue(d.args[1]!.value, d.args[1]!.loc), loc: d.loc });
      } else if (d.name === 'return' && d.args.length) {
        out.push({ kind: 'return', status: returnStatus(d), loc: d.loc });
      } else if (d.name === 'break') {
        out.push({ kind: 'break', loc: d.loc });
      } else if (d.name === 'if' && d.block) {
        const cond = parseCondition(d);
        if (!cond) continue;
        const id = this.ifs++;
        const label = `if (${describeCondition(cond)})`;
        const conf = locationConf ? this.conf('if', label, d.loc, d.block, locationConf) : undefined;
        const step: Step = { kind: 'if', id, cond, loc: argsLoc(d), label, body: this.steps(d.block, undefined) };
        if (conf) step.conf = conf.id;
        out.push(step);
      }
    }
    return out;
  }

  private conf(kind: HeaderConf['kind'], label: string, loc: Loc, list: Directive[], parent: HeaderConf | undefined): HeaderConf {
    const depth = parent ? parent.depth + 1 : 0;
    const own: AddHeader[] = [];
    const more: MoreHeader[] = [];
    const ownHidden: Partial<Record<PassKind, { lname: string; loc: Loc }[]>> = {};
    let inherit: HeaderConf['inherit'] | undefined;
    let pass: Upstream | undefined;
    let dynamic: Loc | undefined;
    for (const d of list) {
      if (d.name === 'add_header' && (d.args.length === 2 || d.args.length === 3)) {
        const [n, v, a] = d.args;
        own.push({ name: n!.value, lname: n!.value.toLowerCase(), value: complexValue(v!.value, v!.loc), always: a?.value === 'always', loc: d.loc, level: label, depth });
      } else if (d.name === 'add_header_inherit' && d.args.length === 1) {
        const m = d.args[0]!.value;
        if (m === 'on' || m === 'off' || m === 'merge') inherit = m;
      } else if (d.name === 'more_set_headers' || d.name === 'more_clear_headers') {
        more.push(...parseMore(d));
      } else if (PASS[d.name] && d.args.length >= 1) {
        pass = this.upstreamOf(PASS[d.name]!, d);
      } else if (HIDE[d.name] && d.args.length === 1) {
        (ownHidden[HIDE[d.name]!] ??= []).push({ lname: d.args[0]!.value.toLowerCase(), loc: d.loc });
      } else if (DYNAMIC.test(d.name)) {
        dynamic = d.loc;
      }
    }
    const mode = inherit ?? parent?.inherit ?? 'on';
    let headers: AddHeader[];
    let dropped: AddHeader[] = [];
    const inherited = parent?.headers ?? [];
    if (mode === 'off') headers = own;
    else if (own.length === 0) headers = inherited;
    else if (mode === 'merge') headers = [...own, ...inherited];
    else {
      headers = own;
      dropped = inherited.filter((h) => isCorsHeader(h.lname) && !own.some((o) => o.lname === h.lname));
    }
    const hidden: HeaderConf['hidden'] = { ...(parent?.hidden ?? {}) };
    for (const [k, v] of Object.entries(ownHidden)) hidden[k as PassKind] = v;
    let handler: HeaderConf['handler'] = { kind: 'static' };
    if (pass) handler = { kind: 'pass', upstream: pass };
    else if (dynamic) handler = { kind: 'dynamic', loc: dynamic };
    else if (kind === 'if' && parent) handler = parent.handler;
    const conf: HeaderConf = {
      id: this.confs.length,
      label,
      kind,
      loc,
      depth,
      headers,
      own: own.length > 0,
      inherit: mode,
      dropped,
      more: [...(parent?.more ?? []), ...more],
      handler,
      hidden,
    };
    this.confs.push(conf);
    return conf;
  }

  private map(d: Directive): void {
    if (d.args.length !== 2) return;
    const name = d.args[1]!.value.replace(/^\$/, '').replace(/^\{(.*)\}$/, '$1').toLowerCase();
    const def: MapDef = { name, source: complexValue(d.args[0]!.value, d.args[0]!.loc), hostnames: false, entries: [], loc: d.loc };
    for (const e of d.block!) {
      if (e.block) continue;
      const key = e.nameWord.value;
      if (e.args.length === 0) {
        if (key === 'hostnames') def.hostnames = true;
        continue;
      }
      if (key === 'include' || key === 'volatile') continue;
      const value = complexValue(e.args[0]!.value, e.args[0]!.loc);
      if (key === 'default') {
        def.default = { value, loc: e.loc };
        continue;
      }
      const entry = mapEntry(key.startsWith('\\') ? key.slice(1) : key, def.hostnames, value, e);
      def.entries.push(entry);
    }
    this.maps[name] = def;
  }

  private upstream(d: Directive): void {
    const servers: { host: string; port?: number; loc: Loc }[] = [];
    for (const s of d.block!) {
      if (s.name !== 'server' || !s.args[0]) continue;
      const hp = hostPort(s.args[0].value);
      if (hp) servers.push({ ...hp, loc: s.loc });
    }
    this.upstreams[d.args[0]!.value] = servers;
  }

  private upstreamOf(kind: PassKind, d: Directive): Upstream {
    const target = d.args[0]!.value;
    const u: Upstream = { kind, target, servers: [], loc: d.loc };
    let rest = target;
    const scheme = /^([a-z]+):\/\//i.exec(rest);
    if (scheme) rest = rest.slice(scheme[0].length);
    if (rest.startsWith('unix:')) return u;
    const slash = rest.indexOf('/');
    const hostPart = slash >= 0 ? rest.slice(0, slash) : rest;
    if (slash >= 0) u.uri = rest.slice(slash);
    const named = this.upstreams[hostPart];
    if (named) u.servers = named;
    else {
      const hp = hostPort(hostPart);
      if (hp && !hp.host.includes('$')) {
        const port = hp.port ?? defaultPort(scheme?.[1]?.toLowerCase());
        u.servers = [{ host: hp.host, ...(port !== undefined ? { port } : {}), loc: d.loc }];
      }
    }
    return u;
  }
}

function defaultPort(scheme: string | undefined): number | undefined {
  if (scheme === 'http' || scheme === 'grpc') return 80;
  if (scheme === 'https' || scheme === 'grpcs') return 443;
  return undefined;
}

function hostPort(s: string): { host: string; port?: number } | undefined {
  if (s.startsWith('unix:')) return undefined;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(s);
  if (!m) return undefined;
  return m[2] ? { host: m[1]!, port: Number(m[2]) } : { host: m[1]! };
}

function mapEntry(key: string, hostnames: boolean, value: MapEntry['value'], e: Directive): MapEntry {
  const base = { value, loc: e.loc, keyLoc: e.nameWord.loc };
  if (key.startsWith('~*')) return { kind: 'regex', key: key.slice(2), caseless: true, ...base };
  if (key.startsWith('~')) return { kind: 'regex', key: key.slice(1), caseless: false, ...base };
  if (hostnames && (key.startsWith('*.') || key.startsWith('.'))) return { kind: 'head', key: key.toLowerCase(), caseless: true, ...base };
  if (hostnames && key.endsWith('.*')) return { kind: 'tail', key: key.toLowerCase(), caseless: true, ...base };
  return { kind: 'exact', key: key.toLowerCase(), caseless: true, ...base };
}

/** ngx_http_rewrite_if_condition: `(` and `)` may stick to the first and last word. */
export function parseCondition(d: Directive): Condition | undefined {
  const words = d.args.map((a) => ({ value: a.value, loc: a.loc }));
  if (!words.length || !words[0]!.value.startsWith('(')) return undefined;
  if (words[0]!.value === '(') words.shift();
  else words[0] = { ...words[0]!, value: words[0]!.value.slice(1) };
  const last = words[words.length - 1];
  if (!last) return undefined;
  if (last.value === ')') words.pop();
  else if (last.value.endsWith(')')) words[words.length - 1] = { ...last, value: last.value.slice(0, -1) };
  else return undefined;
  const [a, op, b] = words;
  if (!a) return undefined;
  if (words.length === 1) return { op: 'var', left: complexValue(a.value, a.loc) };
  if (words.length === 2 && /^!?-[fdex]$/.test(a.value)) return { op: 'file', test: a.value, left: complexValue(op!.value, op!.loc) };
  if (words.length !== 3 || !op || !b) return undefined;
  const left = complexValue(a.value, a.loc);
  if (op.value === '=' || op.value === '!=') return { op: op.value, left, right: complexValue(b.value, b.loc) };
  if (op.value === '~' || op.value === '~*' || op.value === '!~' || op.value === '!~*') return { op: op.value, left, regex: b.value, regexLoc: b.loc };
  return undefined;
}

/** `return 204;`, `return 301 https://...;`, `return https://...;` (302). */
function returnStatus(d: Directive): number {
  const first = d.args[0]!.value;
  if (/^\d{3}$/.test(first)) return Number(first);
  return 302;
}

/** more_set_headers [-s 'statuses'] [-t 'types'] [-a] 'Name: value' ...; more_clear_headers [-s ...] 'Name' ... */
function parseMore(d: Directive): MoreHeader[] {
  const out: MoreHeader[] = [];
  let statuses: number[] | undefined;
  let append = false;
  const args = d.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.value;
    if (a === '-s' && args[i + 1]) {
      statuses = args[++i]!.value.split(/\s+/).filter(Boolean).map(Number);
      continue;
    }
    if (a === '-t' && args[i + 1]) {
      i++;
      continue;
    }
    if (a === '-a') {
      append = true;
      continue;
    }
    if (a.startsWith('-s') && a.length > 2) {
      statuses = a.slice(2).split(/\s+/).filter(Boolean).map(Number);
      continue;
    }
    const colon = a.indexOf(':');
    const name = (colon >= 0 ? a.slice(0, colon) : a).trim();
    const value = colon >= 0 ? a.slice(colon + 1).trim() : '';
    const h: MoreHeader = {
      op: d.name === 'more_clear_headers' || value === '' ? 'clear' : 'set',
      lname: name.toLowerCase(),
      name,
      append,
      loc: d.loc,
    };
    if (h.op === 'set') h.value = complexValue(value, args[i]!.loc);
    if (statuses) h.statuses = statuses;
    out.push(h);
  }
  return out;
}

function serverName(list: Directive[]): string | undefined {
  const sn = list.find((d) => d.name === 'server_name');
  return sn?.args.map((a) => a.value).join(' ') || undefined;
}

function serverLabel(list: Directive[]): string {
  const name = serverName(list);
  const listen = list.filter((d) => d.name === 'listen').map((d) => d.args[0]?.value).filter(Boolean);
  return `server ${name ?? '_'}${listen.length ? ` (listen ${listen.join(', ')})` : ''}`;
}

export function passKindOf(name: string): PassKind | undefined {
  return PASS[name];
}
