import { serverLabel } from '../src/advice/frameworks.js';
import { sampleOrigins } from '../src/analysis/sample-origins.js';
import type { CorsResponse, Framework, ResponseHeader, Rule } from '../src/model/index.js';

/**
 * Frameworks whose headers are written by hand. The CORS middlewares add
 * `Vary: Origin` themselves whenever their answer depends on the Origin
 * (SEMANTICS.md); the header-level layers send only what the config writes.
 */
const HEADER_LEVEL: Framework[] = ['nginx', 'apache', 'manual-headers'];

/**
 * The answer's Access-Control-Allow-Origin depends on the request Origin (it
 * echoes it, or differs between origins) but that answer has no
 * `Vary: Origin`. Decision 15: Vary counts only in the same answer (branch).
 */
export const missingVaryOrigin: Rule = {
  meta: {
    id: 'missing-vary-origin',
    defaultSeverity: 'warning',
    description: 'Access-Control-Allow-Origin depends on the request Origin but the response lacks `Vary: Origin`: caches can serve one origin\'s answer to another.',
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      if (!HEADER_LEVEL.includes(policy.framework)) continue;
      const answers: { origin: string; preflight: boolean; res: Extract<CorsResponse, { known: true }> }[] = [];
      for (const origin of sampleOrigins(policy)) {
        for (const preflight of [false, true]) {
          const ev = ctx.evaluate(policy, { origin, credentialed: false, preflight, method: preflight ? 'PUT' : 'GET', requestHeaders: 'content-type' });
          if (ev.response.known) answers.push({ origin, preflight, res: ev.response });
        }
      }
      const acao = (r: Extract<CorsResponse, { known: true }>) => r.headers.find((h) => h.name === 'access-control-allow-origin');
      // A constant value (even one equal to a sampled origin) does not depend on the Origin.
      const dependent = [false, true].some((pf) => new Set(answers.filter((a) => a.preflight === pf).map((a) => acao(a.res)?.value ?? '')).size > 1);
      if (!dependent) continue;
      let missing: ResponseHeader | undefined;
      for (const a of answers) {
        const h = acao(a.res);
        if (!h?.loc) continue;
        if (a.res.headers.some((v) => v.name === 'vary' && varies(v.value))) continue;
        missing = h;
        break;
      }
      if (!missing) continue;
      // At the directive or call that writes the header; `loc` may be the origin check that let the value in.
      const written = policy.headers.find((h) => h.name === 'access-control-allow-origin');
      ctx.report({
        loc: missing.emittedBy ?? written?.loc ?? missing.loc!,
        framework: policy.framework,
        message:
          `${serverLabel(policy.framework)} answers Access-Control-Allow-Origin differently depending on the request Origin, but this response has no ` +
          `\`Vary: Origin\`: a shared cache or CDN can store the answer for one origin and serve it to another, breaking CORS for legitimate ` +
          `sites or leaking an allowed origin's answer. ${fix(policy.framework, policy.loc.file)}`,
      });
    }
  },
};

function varies(value: string): boolean {
  return value.split(',').some((t) => ['origin', '*'].includes(t.trim().toLowerCase()));
}

function fix(fw: Framework, file: string): string {
  if (fw === 'nginx') return 'Add `add_header Vary Origin always;` next to the Access-Control-Allow-Origin directive.';
  if (fw === 'apache') return 'Add `Header merge Vary Origin` next to the Access-Control-Allow-Origin directive.';
  // Hand-written headers come from PHP as well as from Node handlers.
  if (file.endsWith('.php')) return "Send `Vary: Origin` with it (`header('Vary: Origin', false);`).";
  return "Send `Vary: Origin` with it (`res.append('Vary', 'Origin')`).";
}
