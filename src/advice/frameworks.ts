import type { Framework, OriginEntry } from '../model/index.js';
import { describeEntry } from '../model/index.js';

/** How messages name what answers the request. */
/** The same, inside a sentence ("… and this handler lets it read …"). */
export function serverRef(fw: Framework): string {
  return fw === 'manual-headers' ? 'this handler' : serverLabel(fw);
}

export function serverLabel(fw: Framework): string {
  switch (fw) {
    case 'express':
      return 'Express `cors`';
    case 'nestjs':
      return 'NestJS `enableCors` (Express `cors`)';
    case 'fastify':
      return '`@fastify/cors`';
    case 'koa':
      return '`@koa/cors`';
    case 'manual-headers':
      return 'This handler';
    case 'laravel':
      return "Laravel's HandleCors (fruitcake/php-cors)";
    case 'django':
      return 'django-cors-headers';
    case 'nginx':
      return 'nginx';
    case 'starlette':
      return "Starlette's CORSMiddleware";
    case 'flask':
      return 'Flask-CORS';
    case 'apache':
      return 'Apache';
  }
}

export type Problem = 'reflect' | 'credentialed-wildcard' | 'wildcard';

/** The fix, in the user's own framework. */
export function fixFor(fw: Framework, problem: Problem): string {
  const allowlist: Partial<Record<Framework, string>> = {
    express: "Use an allowlist: `cors({ origin: ['https://app.example.com'] })`.",
    nestjs: "Use an allowlist: `app.enableCors({ origin: ['https://app.example.com'] })`.",
    fastify: "Use an allowlist: `app.register(cors, { origin: ['https://app.example.com'] })`.",
    // @koa/cors sends a list as it is (one header per entry): only a function can check the Origin.
    koa: "Pass an `origin` function that returns the Origin only when it is in your allowlist: `origin: (ctx) => (allowed.includes(ctx.get('Origin')) ? ctx.get('Origin') : '')`.",
    'manual-headers':
      'Set Access-Control-Allow-Origin only after checking the Origin against an allowlist of exact origins, and send `Vary: Origin`.',
    laravel: "List the trusted origins in config/cors.php: `'allowed_origins' => ['https://app.example.com']`.",
    django: "Remove CORS_ALLOW_ALL_ORIGINS and list the trusted origins: `CORS_ALLOWED_ORIGINS = ['https://app.example.com']`.",
    nginx:
      'Echo only origins you trust: `map $http_origin $cors_origin { default ""; "https://app.example.com" $http_origin; }` and `add_header Access-Control-Allow-Origin $cors_origin always;`.',
    starlette: "List the trusted origins: `allow_origins=['https://app.example.com']` (or an anchored `allow_origin_regex`).",
    flask: "List the trusted origins: `CORS(app, origins=['https://app.example.com'])` (`@cross_origin(origins=[...])` on a view).",
  };
  const generic = 'Allow only an explicit list of trusted origins.';
  switch (problem) {
    case 'reflect':
      return allowlist[fw] ?? generic;
    case 'credentialed-wildcard':
      return `If cookies must be sent, list the trusted origins instead of '*'. ${allowlist[fw] ?? generic} If they need not, turn credentials off.`;
    case 'wildcard':
      return `Fine for a public, cookie-less API; otherwise restrict it. ${allowlist[fw] ?? generic}`;
  }
}

/** Who accepts an origin, as a message's subject: the pattern or check that lets it in, or the server when the origin is listed as written. */
export function acceptingSubject(entry: OriginEntry | undefined, fw: Framework): string {
  return entry && entry.kind !== 'exact' ? `\`${describeEntry(entry)}\` accepts` : `${serverLabel(fw)} trusts`;
}
