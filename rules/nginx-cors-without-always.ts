import { sampleOrigins } from '../src/analysis/sample-origins.js';
import type { CorsRequest, ResponseHeader, Rule } from '../src/model/index.js';

/**
 * RULES.md decision 12: once per block whose CORS headers go missing on an
 * error status (add_header without `always`), unless the block always
 * answers with a success status (`return 204;`). Asked of the semantics: the
 * same request answered with 200 and with 500 by the handler behind nginx.
 */
export const nginxCorsWithoutAlways: Rule = {
  meta: {
    id: 'nginx-cors-without-always',
    defaultSeverity: 'warning',
    description: 'add_header Access-Control-* without `always`: error responses (4xx/5xx) lose their CORS headers.',
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      if (policy.framework !== 'nginx') continue;
      const lost = new Map<string, ResponseHeader>();
      for (const origin of sampleOrigins(policy)) {
        for (const preflight of [false, true]) {
          const req: CorsRequest = { origin, credentialed: true, preflight, method: preflight ? 'PUT' : 'GET', requestHeaders: 'content-type' };
          const ok = ctx.evaluate(policy, { ...req, status: 200 }).response;
          const failed = ctx.evaluate(policy, { ...req, status: 500 }).response;
          if (!ok.known || !failed.known) continue;
          for (const h of ok.headers) {
            if (!h.name.startsWith('access-control-') || !h.loc) continue;
            if (failed.headers.some((f) => f.name === h.name)) continue;
            if (!lost.has(h.name)) lost.set(h.name, h);
          }
        }
      }
      if (lost.size === 0) continue;
      const at = lost.get('access-control-allow-origin') ?? [...lost.values()][0]!;
      const names = [...lost.values()].map((h) => canonical(h.name));
      ctx.report({
        loc: at.emittedBy ?? at.loc!,
        framework: 'nginx',
        message:
          `nginx sends ${names.join(', ')} here only with success statuses (200, 201, 204, 206, 301–304, 307, 308): ` +
          `add_header without \`always\` is skipped on 4xx/5xx, so the browser reports a CORS error instead of the real error and the ` +
          `page cannot read the error body. Add \`always\`: \`add_header ${canonical(at.name)} ... always;\`.`,
      });
    }
  },
};

function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}
