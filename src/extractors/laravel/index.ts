import type { Extractor } from '../../model/index.js';
import { laravelProfile } from './composer.js';
import { buildLaravelPolicy, readLaravelConfig } from './config.js';
import { extractPhpHeaders } from './manual-headers.js';

/**
 * Laravel's config/cors.php (read by HandleCors through fruitcake/php-cors,
 * or by the older laravel-cors packages). Any `config/` directory counts, so
 * monorepos (`backend/config/cors.php`) and fixtures are found.
 */
export const laravelExtractor: Extractor = {
  name: 'laravel',
  matchesPath: (rel) => /(^|\/)config\/cors\.php$/.test(rel),
  // The file is small and any content matters (a lone misspelled key): always parse it.
  sniff: (text) => text.includes('<?'),
  extract(file, ctx) {
    const cfg = readLaravelConfig(file.text, file.path);
    // A config/cors.php that returns no array is not Laravel's (a plain-PHP or other framework's
    // `config/` directory): whatever headers it writes itself are still hand-written headers.
    if (!cfg) return { policies: /access-control-/i.test(file.text) ? extractPhpHeaders(file.text, file.path) : [] };
    const profile = laravelProfile(file.absPath, ctx);
    // composer.json shows that nothing reads the file (see composer.ts).
    if (!profile) return { policies: [] };
    return { policies: [buildLaravelPolicy(cfg, profile)] };
  },
};

/** Hand-written CORS headers in PHP: header(), Symfony/Laravel response header bags. */
export const phpHeadersExtractor: Extractor = {
  name: 'php-headers',
  matchesPath: (rel) => rel.endsWith('.php') && !rel.endsWith('.blade.php') && !/(^|\/)config\/cors\.php$/.test(rel),
  sniff: (text) => /access-control-/i.test(text),
  extract(file) {
    return { policies: extractPhpHeaders(file.text, file.path) };
  },
};
