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
 * or it is the only app with a CORS policy near the proxy.
 *
 * Candidates are the apps of the nearest folder, from the proxy's own folder
 * upwards, that holds any app with a CORS policy: a deployment's nginx config
 * sits beside or above the apps it fronts, and a repository of several
 * deployments must not link one deployment's nginx to another's app because
 * both happen to use port 8080.
 */
export function linkLayers(project: ProjectView): LayerLink[] {
  const apps = project.policies.filter((p) => p.layer === 'app');
  if (apps.length === 0) return [];
  // Display paths are relative to the working directory; "top-level folder" means below the linted root.
  const rootRel = path.relative(project.cwd ?? process.cwd(), project.root).split(path.sep).join('/');
  const dirOf = new Map(apps.map((a) => [a, appDir(a.loc.file, project.facts, rootRel)]));
  const out: LayerLink[] = [];
  for (const proxy of project.policies) {
    if (proxy.framework !== 'nginx' || !programOf(proxy)) continue;
    const { dir, near } = nearestApps(path.posix.dirname(proxy.loc.file), apps);
    const appDirs = new Set(near.map((a) => dirOf.get(a)));
    const where = dir === '' || dir === '.' ? 'the repository holds' : `${dir}/ holds`;
    for (const { upstream, hidden } of nginxUpstreams(proxy)) {
      for (const app of near) {
        if (!pathsOverlap(proxy, upstream, app)) continue;
        const evidence = evidenceFor(upstream, app, project.facts) ?? (appDirs.size === 1 ? `${where} one app with a CORS policy (${app.loc.file})` : undefined);
        if (evidence) out.push({ proxy, upstream, hidden, app, evidence });
      }
    }
  }
  return out;
}

function nearestApps(start: string, apps: Policy[]): { dir: string; near: Policy[] } {
  for (let dir = start; ; dir = path.posix.dirname(dir)) {
    const near = apps.filter((a) => within(path.posix.dirname(a.loc.file), dir));
    if (near.length || dir === '.' || dir === '/' || dir === '' || dir === '..' || dir.endsWith('/..')) return { dir, near };
  }
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
function appDir(file: string, facts: ProjectFact[], rootRel: string): string {
  const dir = path.posix.dirname(file);
  let best: string | undefined;
  for (const f of facts) {
    if (f.kind !== 'listen' && f.kind !== 'compose-service') continue;
    const d = f.kind === 'compose-service' && typeof f.data.context === 'string' ? f.data.context : factDirOf(f);
    if (within(dir, d) && (!best || d.length > best.length)) best = d;
  }
  return best ?? topDir(dir, rootRel);
}

/** Where a fact's app lives: its file's directory, or the directory a docker-compose command runs in. */
function factDirOf(f: ProjectFact): string {
  return typeof f.data.dir === 'string' ? f.data.dir : path.posix.dirname(f.loc.file);
}

/** Apps in one repository usually sit in their own top-level folder (backend/, api/); a lone app sits at the root. */
function topDir(dir: string, rootRel: string): string {
  if (rootRel === '' || rootRel === '.') return dir.split('/').slice(0, 1).join('/');
  if (!within(dir, rootRel) || dir === rootRel) return dir;
  return `${rootRel}/${dir.slice(rootRel.length + 1).split('/')[0]}`;
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
