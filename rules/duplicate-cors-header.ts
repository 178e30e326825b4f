import { serverLabel, serverRef } from '../src/advice/frameworks.js';
import { linkLayers } from '../src/analysis/layers.js';
import { sampleOrigins } from '../src/analysis/sample-origins.js';
import type { CorsRequest, Policy, ResponseHeader, Rule, RuleContext } from '../src/model/index.js';
import { compareLoc, relatedAt } from '../src/model/index.js';
import { headerDepth } from '../src/semantics/nginx.js';

const isCors = (name: string) => name.startsWith('access-control-');

/**
 * One response carries the same CORS header twice. Inside one proxy layer
 * (two add_header, `add_header_inherit merge`, `more_set_headers -a`): at the
 * later directive, `related` the earlier (decision 3). Across layers (nginx
 * adds it and the app behind proxy_pass sends it too): at the nginx
 * directive, `related` the app's code, for locations linked to the app on
 * evidence (src/analysis/layers.ts). Vary is not a CORS header here.
 */
export const duplicateCorsHeader: Rule = {
  meta: {
    id: 'duplicate-cors-header',
    defaultSeverity: 'error',
    description: 'A response carries the same CORS header twice (two add_header, or nginx and the proxied app both send it): browsers reject it.',
    scope: 'project',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) withinLayer(ctx, policy);
    acrossLayers(ctx);
  },
};

function requests(origins: string[]): CorsRequest[] {
  return origins.flatMap((origin) => [
    { origin, credentialed: true, cookie: true, preflight: false, method: 'GET' },
    { origin, credentialed: true, cookie: true, preflight: true, method: 'PUT', requestHeaders: 'content-type' },
  ]);
}

function withinLayer(ctx: RuleContext, policy: Policy): void {
  const reported = new Set<string>();
  for (const req of requests(sampleOrigins(policy))) {
    const res = ctx.evaluate(policy, req).response;
    if (!res.known) continue;
    const byName = new Map<string, ResponseHeader[]>();
    for (const h of res.headers) if (isCors(h.name)) byName.set(h.name, [...(byName.get(h.name) ?? []), h]);
    for (const [name, hs] of byName) {
      if (hs.length < 2 || reported.has(name)) continue;
      reported.add(name);
      // Decision 3: at the directive that adds the second value: the innermost block's, else the later one in the block.
      const ranked = hs
        .map((h, i) => ({ loc: site(h), depth: site(h) ? (headerDepth(policy, site(h)!) ?? 0) : 0, i }))
        .filter((x): x is { loc: NonNullable<ReturnType<typeof site>>; depth: number; i: number } => x.loc !== undefined)
        .sort((a, b) => b.depth - a.depth || b.i - a.i);
      const later = ranked[0]?.loc;
      const first = ranked.find((x) => compareLoc(x.loc, later!) !== 0)?.loc;
      if (!later) continue;
      ctx.report({
        loc: later,
        framework: policy.framework,
        related: first ? [relatedAt(first, `${canonical(name)} is also sent here`)] : [],
        message:
          `${serverLabel(policy.framework)} sends ${canonical(name)} ${hs.length} times in one response (${hs.map((h) => JSON.stringify(h.value)).join(', ')})` +
          `${req.preflight ? ' to a preflight' : ''}: ${sameLayerCause(policy)}, and browsers reject a response whose ` +
          `${canonical(name)} holds several values. ${sameLayerFix(policy, name)}`,
      });
    }
  }
}

function acrossLayers(ctx: RuleContext): void {
  for (const link of linkLayers(ctx.project)) {
    const origins = [...new Set([...sampleOrigins(link.app), ...sampleOrigins(link.proxy)])];
    const reported = new Set<string>();
    for (const req of requests(origins)) {
      const app = ctx.evaluate(link.app, req).response;
      if (!app.known || !app.headers.some((h) => isCors(h.name))) continue;
      const upstream = new Set(app.headers);
      const proxied = ctx.evaluate(link.proxy, { ...req, upstream: app.headers, ...(app.status ? { status: app.status } : {}) }).response;
      if (!proxied.known) continue;
      for (const h of proxied.headers) {
        if (!isCors(h.name) || upstream.has(h) || reported.has(h.name)) continue;
        const fromApp = proxied.headers.find((o) => o.name === h.name && upstream.has(o));
        const at = site(h);
        if (!fromApp || !at) continue;
        reported.add(h.name);
        const hide = link.upstream.kind === 'proxy' ? 'proxy_hide_header' : `${link.upstream.kind}_hide_header`;
        ctx.report({
          loc: at,
          framework: 'nginx',
          related: [relatedAt(fromApp.loc ?? link.app.loc, `${serverLabel(link.app.framework)} also sends ${canonical(h.name)}`)],
          message:
            `nginx adds ${canonical(h.name)} here and the app it forwards to sends it too (${serverRef(link.app.framework)}, ` +
            `${link.app.loc.file}:${link.app.loc.line}); linked because ${link.evidence}. The browser sees ` +
            `two values (${JSON.stringify(h.value)} and ${JSON.stringify(fromApp.value)}) and rejects the response. Configure CORS in one ` +
            `layer only: remove the add_header, or keep it and add \`${hide} ${canonical(h.name)};\` in this location.`,
        });
      }
    }
  }
}

function site(h: ResponseHeader) {
  return h.emittedBy ?? h.loc;
}

function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

function sameLayerCause(policy: Policy): string {
  switch (policy.framework) {
    case 'nginx':
      return 'add_header appends, it never replaces';
    case 'koa':
      return '`@koa/cors` sends a non-string `origin` as it is, one header per array element';
    default:
      return 'the code writes it more than once';
  }
}

function sameLayerFix(policy: Policy, name: string): string {
  if (policy.framework === 'nginx') {
    return 'Keep one add_header for it in the block that answers (with `add_header_inherit merge`, do not repeat an inherited header).';
  }
  if (policy.framework === 'koa' && name === 'access-control-allow-origin') {
    return "Pass a function that returns the request's Origin when it is in your allowlist: `origin: (ctx) => allowed.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''`.";
  }
  return `Send ${canonical(name)} once, with a single value.`;
}
