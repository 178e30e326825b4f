import path from 'node:path';
import { acceptingSubject } from '../src/advice/frameworks.js';
import { acceptedWrittenOrigins, acceptingPlaces, probePolicy } from '../src/analysis/probes.js';
import type { Rule } from '../src/model/index.js';
import { isDevHost } from '../src/probes/index.js';

/** Decision 8: a path segment named or delimited by one of these marks a development configuration. */
const DEV_WORDS = new Set(['dev', 'development', 'local', 'test', 'tests', 'testing', 'e2e', 'spec', 'specs']);

/** `config/dev/cors.php`, `settings_local.py`, `app.test.js`, `devServer.js` — relative to the linted root. */
export function isDevelopmentPath(relPath: string): boolean {
  return relPath
    .split('/')
    .flatMap((segment) => segment.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s._-]+/))
    .some((token) => DEV_WORDS.has(token.toLowerCase()));
}

export const devOrigin: Rule = {
  meta: {
    id: 'dev-origin',
    defaultSeverity: 'warning',
    description: 'A localhost / 127.0.0.1 / *.local origin is trusted in a configuration that is not evidently a development one.',
    cwe: 942,
    scope: 'policy',
  },
  check(ctx) {
    const root = ctx.project.root;
    const cwd = ctx.project.cwd ?? process.cwd();
    for (const policy of ctx.project.policies) {
      const pp = probePolicy(ctx, policy);
      if (pp.reflectsAny) continue;
      const accepted = acceptedWrittenOrigins(pp, (p) => isDevHost(p.hostname));
      for (const { loc, first: o, entry } of acceptingPlaces(pp, accepted, policy)) {
        const rel = path.relative(root, path.resolve(cwd, loc.file)).split(path.sep).join('/');
        if (isDevelopmentPath(rel)) continue;
        const subject = acceptingSubject(entry, policy.framework);
        ctx.report({
          loc,
          framework: policy.framework,
          message:
            `${subject} the development origin \`${o.probe.origin}\` in a configuration that does not look development-only: in production ` +
            `any program serving a page on the user's machine there (another dev server, a malicious local app) can read these ` +
            `responses${o.acceptedWithCredentials ? " with the user's cookies" : ''}. Move it to a development config or read it from an environment variable.`,
        });
      }
    }
  },
};
