import type { Rule } from '../src/model/index.js';
import { relatedAt } from '../src/model/index.js';
import type { DjangoMiddlewareEntry } from '../src/semantics/django.js';
import { CORS_MIDDLEWARE, djangoExtra } from '../src/semantics/django.js';

/**
 * Middlewares that can send a response of their own before (or without)
 * CorsMiddleware adding its headers when they sit above it (RULES.md decision
 * 14). UpdateCacheMiddleware is not here: it belongs at the very top and only
 * stores what the layers below produced; SecurityMiddleware above is fine.
 */
const EARLY: { test: (name: string) => boolean; why: string }[] = [
  {
    test: (n) => n === 'django.middleware.common.CommonMiddleware',
    why: 'answers APPEND_SLASH/PREPEND_WWW redirects and DISALLOWED_USER_AGENTS refusals itself',
  },
  { test: (n) => n.startsWith('whitenoise.'), why: 'serves static files itself' },
  { test: (n) => n === 'django.middleware.gzip.GZipMiddleware', why: 'rewrites responses on their way out' },
  {
    test: (n) => n === 'django.middleware.cache.FetchFromCacheMiddleware' || n === 'django.middleware.cache.CacheMiddleware',
    why: 'answers from its cache',
  },
];

export const djangoMiddlewareOrder: Rule = {
  meta: {
    id: 'django-middleware-order',
    defaultSeverity: 'error',
    description:
      'django-cors-headers is configured but CorsMiddleware is missing from MIDDLEWARE, or sits below a middleware that can answer first.',
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      if (policy.framework !== 'django') continue;
      const mw = djangoExtra(policy).middleware;
      // Only a MIDDLEWARE we can read completely says anything about order.
      if (!mw || !mw.known) continue;
      const entries: DjangoMiddlewareEntry[] = mw.value;
      const at = entries.findIndex((m) => m.name === CORS_MIDDLEWARE);
      if (at < 0) {
        // A project subclass of CorsMiddleware (`myapp.middleware.CorsMiddleware`) installs it under another name.
        if (entries.some((m) => /cors/i.test(m.name))) continue;
        ctx.report({
          loc: mw.loc,
          framework: 'django',
          related: [relatedAt(policy.loc, 'CORS settings here')],
          message:
            `MIDDLEWARE does not include \`${CORS_MIDDLEWARE}\`: the CORS_* settings do nothing and no response carries CORS headers, ` +
            `so browsers block every cross-origin read. Add it as high as possible, above \`django.middleware.common.CommonMiddleware\`.`,
        });
        continue;
      }
      const blockers = entries.slice(0, at).flatMap((m) => {
        const hit = EARLY.find((e) => e.test(m.name));
        return hit ? [{ m, why: hit.why }] : [];
      });
      if (!blockers.length) continue;
      const first = blockers[0]!;
      const short = (n: string) => n.split('.').pop() ?? n;
      ctx.report({
        loc: entries[at]!.loc,
        framework: 'django',
        related: blockers.map((b) => relatedAt(b.m.loc, `${short(b.m.name)} ${b.why}`)),
        message:
          `CorsMiddleware sits below \`${first.m.name}\`, which ${first.why}: those responses go out without CORS headers and ` +
          `browsers report a CORS error instead of the real answer. Move \`${CORS_MIDDLEWARE}\` above it, as high in MIDDLEWARE as possible.`,
      });
    }
  },
};
