import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors.js';
import { validateConfig, type CorslintConfig } from './validate.js';

export const CONFIG_FILE = 'corslint.config.json';

export interface LoadedConfig {
  config: CorslintConfig;
  /** Where it came from (absolute); undefined when there is none. */
  file?: string;
}

/**
 * The project's configuration: `explicit` (--config) when given, else
 * `corslint.config.json` at the root, else the `"corslint"` key of the root's
 * package.json, else none. Read as JSON, never executed.
 */
export function loadConfig(root: string, knownRules: readonly string[], explicit?: string, cwd = process.cwd()): LoadedConfig {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    return { config: readConfigFile(file, explicit, knownRules), file };
  }
  return discoverConfigIn(root, knownRules, cwd) ?? { config: {} };
}

/** `corslint.config.json` in `dir`, else the `"corslint"` key of its package.json, else undefined. */
export function discoverConfigIn(dir: string, knownRules: readonly string[], cwd = process.cwd()): LoadedConfig | undefined {
  const own = path.join(dir, CONFIG_FILE);
  if (existsSync(own)) return { config: readConfigFile(own, displayName(own, cwd), knownRules), file: own };
  const pkg = path.join(dir, 'package.json');
  if (existsSync(pkg)) {
    const display = displayName(pkg, cwd);
    const json = parseJson(pkg, display);
    if (json && typeof json === 'object' && !Array.isArray(json) && 'corslint' in json) {
      return { config: validateConfig((json as Record<string, unknown>).corslint, `${display} "corslint"`, knownRules), file: pkg };
    }
  }
  return undefined;
}

function readConfigFile(file: string, display: string, knownRules: readonly string[]): CorslintConfig {
  return validateConfig(parseJson(file, display), display, knownRules);
}

function parseJson(file: string, display: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(display, undefined, `cannot read the configuration (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(display, undefined, `not valid JSON (${(e as Error).message})`);
  }
}

function displayName(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return (rel && !rel.startsWith('..') ? rel : abs).split(path.sep).join('/');
}
