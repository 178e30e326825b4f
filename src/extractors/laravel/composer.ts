import path from 'node:path';
import type { ExtractContext } from '../../model/index.js';

/**
 * Which CORS stack reads a project's config/cors.php, from the composer files
 * next to its `config/` directory (RULES.md decisions 7 and 17: the lockfile's
 * version, else the lowest version the manifest's range allows).
 */
export interface LaravelProfile {
  /** laravel/framework version, e.g. '11.9.2'. */
  laravelVersion?: string;
  /** The CORS package when it is not the framework's own HandleCors. */
  corsPackage?: { name: string; version: string };
  evidence?: 'composer.lock' | 'composer.json';
  /**
   * `php-cors`: fruitcake/php-cors (Laravel ≥ 9, laravel-cors 3) and
   * asm89/stack-cors 2 (laravel-cors 2), which answers the same way.
   * `stack-cors-1`: barryvdh/laravel-cors ≤ 0.11 and fruitcake/laravel-cors 1.x,
   * which reflect every allowed origin and answer 403 to the others.
   */
  stack: 'php-cors' | 'stack-cors-1';
  /** Which spelling of the keys the package reads. */
  keys: 'both' | 'snake' | 'camel';
  /** Values for keys missing from the file: php-cors' own, or the config merged in by the framework/package. */
  defaults: 'php-cors' | 'laravel-11' | 'laravel-cors' | 'barryvdh';
  /**
   * `paths` when the key is missing: [] (Laravel 9/10 and laravel-cors read
   * `config('cors.paths', [])`: CORS is off), the framework's list (Laravel ≥ 11),
   * or undefined: no path filter (barryvdh, or no evidence of the version).
   */
  pathsDefault?: string[];
}

export const LARAVEL_11_PATHS = ['api/*', 'sanctum/csrf-cookie'];

interface LockPackage {
  name?: unknown;
  version?: unknown;
}

/** The profile when the composer files say nothing: the newest behaviour, no path filter. */
export const UNPINNED_PROFILE: LaravelProfile = { stack: 'php-cors', keys: 'both', defaults: 'php-cors' };

/**
 * Undefined when the composer files show that no stack corslint models reads
 * config/cors.php: Laravel before 9 (or Lumen) has no HandleCors of its own,
 * so without barryvdh/fruitcake laravel-cors the file is dead (an app that
 * copied it and wrote its own middleware); another CORS package
 * (spatie/laravel-cors, …) reads the file with keys and semantics of its own.
 */
export function laravelProfile(configAbsPath: string, ctx: ExtractContext): LaravelProfile | undefined {
  // config/cors.php → the application root holds composer.json / composer.lock.
  const appRoot = path.dirname(path.dirname(configAbsPath));
  const lock = parseJson(ctx.readFile(path.join(appRoot, 'composer.lock')));
  const manifest = parseJson(ctx.readFile(path.join(appRoot, 'composer.json')));

  const locked = new Map<string, string>();
  if (lock) {
    for (const group of ['packages', 'packages-dev']) {
      const pkgs = lock[group];
      if (!Array.isArray(pkgs)) continue;
      for (const p of pkgs as LockPackage[]) {
        if (typeof p.name === 'string' && typeof p.version === 'string') locked.set(p.name.toLowerCase(), p.version.replace(/^v/i, ''));
      }
    }
  }
  const required = new Map<string, string>();
  if (manifest) {
    for (const group of ['require', 'require-dev']) {
      const req = manifest[group];
      if (!req || typeof req !== 'object') continue;
      for (const [name, range] of Object.entries(req as Record<string, unknown>)) {
        const low = typeof range === 'string' ? lowestAllowed(range) : undefined;
        if (low) required.set(name.toLowerCase(), low);
      }
    }
  }

  const version = (name: string): { version: string; evidence: 'composer.lock' | 'composer.json' } | undefined => {
    if (lock) {
      const v = locked.get(name);
      return v ? { version: v, evidence: 'composer.lock' } : undefined;
    }
    const v = required.get(name);
    return v ? { version: v, evidence: 'composer.json' } : undefined;
  };

  const laravel = version('laravel/framework');
  const base: Pick<LaravelProfile, 'laravelVersion' | 'evidence'> = {};
  if (laravel) {
    base.laravelVersion = laravel.version;
    base.evidence = laravel.evidence;
  }

  const barryvdh = version('barryvdh/laravel-cors');
  if (barryvdh) {
    return {
      ...base,
      evidence: barryvdh.evidence,
      corsPackage: { name: 'barryvdh/laravel-cors', version: barryvdh.version },
      // Only a lockfile proves which stack-cors runs; a manifest alone keeps the newest behaviour.
      stack: barryvdh.evidence === 'composer.lock' ? 'stack-cors-1' : 'php-cors',
      keys: 'camel',
      defaults: 'barryvdh',
    };
  }
  const fruitcake = version('fruitcake/laravel-cors');
  if (fruitcake) {
    const major = majorOf(fruitcake.version);
    return {
      ...base,
      evidence: fruitcake.evidence,
      corsPackage: { name: 'fruitcake/laravel-cors', version: fruitcake.version },
      stack: major !== undefined && major < 2 && fruitcake.evidence === 'composer.lock' ? 'stack-cors-1' : 'php-cors',
      // laravel-cors 1.x and 2.x copy the snake_case keys into stack-cors options; 3.x hands the config to php-cors.
      keys: major !== undefined && major < 3 ? 'snake' : 'both',
      defaults: 'laravel-cors',
      pathsDefault: [],
    };
  }
  const major = laravel ? majorOf(laravel.version) : undefined;
  const names = lock ? [...locked.keys()] : [...required.keys()];
  if (names.some((n) => OTHER_CORS_PACKAGE.test(n) && !CORS_STACKS.has(n))) return undefined;
  const lumen = version('laravel/lumen-framework');
  if ((major !== undefined && major < 9) || (lumen && !laravel)) return undefined;
  if (major !== undefined && major >= 11) {
    return { ...base, stack: 'php-cors', keys: 'both', defaults: 'laravel-11', pathsDefault: LARAVEL_11_PATHS };
  }
  if (major !== undefined && major >= 9) {
    return { ...base, stack: 'php-cors', keys: 'both', defaults: 'php-cors', pathsDefault: [] };
  }
  return { ...base, ...UNPINNED_PROFILE };
}

/** A package that reads a config/cors.php (or brings a CORS middleware) of its own. */
const OTHER_CORS_PACKAGE = /(^|[/-])cors([/-]|$)/;
/** What HandleCors and the laravel-cors packages run on, or a copy of them: they read the file as modelled. */
const CORS_STACKS = new Set(['fruitcake/php-cors', 'asm89/stack-cors', 'barryvdh/laravel-cors', 'fruitcake/laravel-cors']);

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function majorOf(version: string): number | undefined {
  const m = /^v?(\d+)/.exec(version);
  return m ? Number(m[1]) : undefined;
}

/** The lowest version a composer constraint allows: '^10.10|^11.0' → '10.10', '>=8.0 <9' → '8.0', '11.*' → '11.0'. */
export function lowestAllowed(range: string): string | undefined {
  let best: number[] | undefined;
  for (const alt of range.split(/\s*\|\|?\s*/)) {
    const first = alt.trim().split(/[\s,]+/)[0] ?? '';
    if (/^</.test(first)) continue;
    const m = /^(?:[\^~]|>=?|==?)?\s*v?(\d+(?:\.(?:\d+|\*|x))*)/i.exec(first);
    if (!m) continue;
    const parts = m[1]!.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
    if (first.startsWith('>') && !first.startsWith('>=')) parts[parts.length - 1]! += 1;
    if (!best || compareParts(parts, best) < 0) best = parts;
  }
  if (!best) return undefined;
  while (best.length < 2) best.push(0);
  return best.join('.');
}

function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
