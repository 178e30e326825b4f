import { editDistance as levenshtein } from '../../util/edit-distance.js';

/** The options php-cors reads from config/cors.php, snake_case and the barryvdh camelCase spelling. */
export const SNAKE_KEYS = [
  'paths',
  'allowed_methods',
  'allowed_origins',
  'allowed_origins_patterns',
  'allowed_headers',
  'exposed_headers',
  'max_age',
  'supports_credentials',
] as const;

export type SnakeKey = (typeof SNAKE_KEYS)[number];
export type OptionKey = Exclude<SnakeKey, 'paths'>;

export const CAMEL_OF: Record<OptionKey, string> = {
  allowed_methods: 'allowedMethods',
  allowed_origins: 'allowedOrigins',
  allowed_origins_patterns: 'allowedOriginsPatterns',
  allowed_headers: 'allowedHeaders',
  exposed_headers: 'exposedHeaders',
  max_age: 'maxAge',
  supports_credentials: 'supportsCredentials',
};

export const OPTION_KEYS = Object.keys(CAMEL_OF) as OptionKey[];

/** Keys people write for another framework or by habit, and the option they mean. */
const ALIASES: Record<string, SnakeKey> = {
  origins: 'allowed_origins',
  origin: 'allowed_origins',
  allow_origins: 'allowed_origins',
  allowed_domains: 'allowed_origins',
  cors_allowed_origins: 'allowed_origins',
  origin_patterns: 'allowed_origins_patterns',
  origins_patterns: 'allowed_origins_patterns',
  methods: 'allowed_methods',
  allow_methods: 'allowed_methods',
  headers: 'allowed_headers',
  allow_headers: 'allowed_headers',
  expose_headers: 'exposed_headers',
  exposed: 'exposed_headers',
  credentials: 'supports_credentials',
  allow_credentials: 'supports_credentials',
  with_credentials: 'supports_credentials',
  support_credentials: 'supports_credentials',
  age: 'max_age',
  path: 'paths',
  routes: 'paths',
};

const squash = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The accepted key a misspelled one most likely means. */
export function suggestKey(key: string, accepted: readonly string[]): string | undefined {
  const snakeOf = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/[-\s]+/g, '_').toLowerCase();
  const asAccepted = (snake: SnakeKey): string | undefined => {
    if (accepted.includes(snake)) return snake;
    const camel = snake === 'paths' ? undefined : CAMEL_OF[snake];
    return camel && accepted.includes(camel) ? camel : undefined;
  };
  const alias = ALIASES[snakeOf(key)];
  if (alias) return asAccepted(alias);
  const sq = squash(key);
  // On a tie the spelling style of the key decides: `allowedOrigin` → `allowedOrigins`.
  const camelStyle = /[A-Z]/.test(key);
  let best: { key: string; d: number } | undefined;
  for (const a of accepted) {
    const d = levenshtein(sq, squash(a)) + (/[A-Z]/.test(a) === camelStyle ? 0 : 0.5);
    if (!best || d < best.d) best = { key: a, d };
  }
  if (best && best.d <= Math.max(2, Math.floor(sq.length / 5))) return best.key;
  return undefined;
}

