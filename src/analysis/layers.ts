import path from 'node:path';
import type { Upstream } from '../extractors/nginx/program.js';
import type { Policy, ProjectFact, ProjectView } from '../model/index.js';
import { nginxUpstreams, programOf } from '../semantics/nginx.js';

/** Why a proxy location is taken to forward to an app of the repository: said in the message. */
export interface LayerLink {
  proxy: Policy;
  upstream: Upstream;
  /** Lower-case header names the proxy hides from this upstream's answers. */
  hidden: string[];
  app: Policy;
  evidence: string;
}

/**
 * Links nginx locations to the apps they forward to, on evidence only:
 * the upstream's port is a port the app listens on (app.listen, uvicorn
 * --port, php artisan serve, manage.py runserver, Dockerfile EXPOSE), the
 * upstream host is a docker-compose service built from the app's directory,
 * or the repository holds exactly one app with a CORS policy.
 */
export function linkLayers(project: ProjectView): LayerLink[] {
  const apps = project.policies.filter((p) => p.layer === 'app');
  if (apps.length === 0) return [];
  const appDirs = [...new Set(apps.map((a) => appDir(a.loc.file, project.facts)))];
  const out: LayerLink[] = [];
  for (const proxy of project.policies) {
    if (proxy.framework !== 'nginx' || !programOf(proxy)) continue;
    for (const { upstream, hidden } of nginxUpstreams(proxy)) {
      for (const app of apps) {
        if (!pathsOverlap(proxy, upstream, app)) continue;
        const evidence = evidenceFor(upstream, app, project.facts) ?? (appDirs.length === 1 ? `the repository holds one app with a CORS policy (${app.loc.file})` : undefined);
        if (evidence) out.push({ proxy, upstream, hidden, app, evidence });
      }
    }
  }
  return out;
}

function evidenceFor(u: Upstream, app: Policy, facts: ProjectFact[]): string | undefined {
  const dir = path.posix.dirname(app.loc.file);
  const target = `${u.kind}_pass ${u.target}`;
  for (const s of u.servers) {
    for (const f of facts) {
      if (f.kind === 'compose-service' && f.data.name === s.host) {
        const ctxDir = typeof f.data.context === 'string' ? f.data.context : undefined;
        if (ctxDir !== undefined && within(dir, ctxDir)) {
          return `\`${target}\` names the docker-compose service \`${s.host}\` (${f.loc.file}:${f.loc.line}), built from ${ctxDir || '.'}`;
        }
      }
    }
    if (s.port === undefined) continue;
    for (const f of facts) {
      if (f.kind !== 'listen' || f.data.port !== s.port) continue;
      const factDir = factDirOf(f);
      if (!within(dir, factDir) && !within(factDir, dir)) continue;
      const via = typeof f.data.via === 'string' ? f.data.via : `listen(${s.port})`;
      return `\`${target}\` points at port ${s.port}, where the app listens (${via}, ${f.loc.file}:${f.loc.line})`;
    }
  }
  return undefined;
}

/** The directory an app lives in: the nearest one holding a listen or compose fact above its policy, else the policy's own. */
function appDir(file: string, facts: ProjectFact[]): string {
  const dir = path.posix.dirname(file);
  let best: string | undefined;
  for (const f of facts) {
    if (f.kind !== 'listen' && f.kind !== 'compose-service') continue;
    const d = f.kind === 'compose-service' && typeof f.data.context === 'string' ? f.data.context : factDirOf(f);
    if (within(dir, d) && (!best || d.length > best.length)) best = d;
  }
  return best ?? topDir(dir);
}

/** Where a fact's app lives: its file's directory, or the directory a docker-compose command runs in. */
function factDirOf(f: ProjectFact): string {
  return typeof f.data.dir === 'string' ? f.data.dir : path.posix.dirname(f.loc.file);
}

/** Apps in one repository usually sit in their own top-level folder (backend/, api/); a lone app sits at the root. */
function topDir(dir: string): string {
  return dir.split('/').slice(0, 2).join('/');
}

/** `dir` is `base` or below it ('' and '.' are the root). */
function within(dir: string, base: string): boolean {
  if (base === '' || base === '.') return true;
  return dir === base || dir.startsWith(`${base}/`);
}

/**
 * Does the proxied path space reach a path the app's policy covers? A prefix
 * location forwards its prefix (or the proxy_pass URI that replaces it);
 * regex locations and apps without path scopes overlap everything.
 */
function pathsOverlap(proxy: Policy, u: Upstream, app: Policy): boolean {
  const appPaths = app.scope.paths;
  if (!appPaths) return true;
  if (appPaths.length === 0) return false;
  const loc = proxy.scope.location;
  if (!loc || loc.startsWith('~') || loc.startsWith('@')) return true;
  const prefix = loc.replace(/^(=|\^~)\s*/, '');
  const forwarded = u.uri !== undefined && !u.uri.includes('$') ? u.uri : prefix;
  return appPaths.some((p) => {
    const norm = `/${p.replace(/^\/+/, '')}`;
    const base = norm.replace(/[*(:[].*$/, '');
    return base.startsWith(forwarded) || forwarded.startsWith(base);
  });
}
