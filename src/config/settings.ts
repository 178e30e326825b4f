import type { Severity } from '../model/index.js';
import { loadConfig, type LoadedConfig } from './load.js';

export interface SettingsOptions {
  /** A configuration file (--config); false: do not look for one. Default: discover it at the project root. */
  config?: string | false;
  rules?: Record<string, Severity>;
  trustedOrigins?: string[];
  ignore?: string[];
}

export interface Settings {
  rules: Record<string, Severity>;
  trustedOrigins?: string[];
  ignore: string[];
  /** Absolute path of the configuration file used, if any. */
  configFile?: string;
}

/** The configuration file's settings with the caller's options on top (options win; ignore globs add up). */
export function effectiveSettings(root: string, cwd: string, options: SettingsOptions, knownRules: readonly string[]): Settings {
  const loaded = options.config === false ? { config: {} } : loadConfig(root, knownRules, options.config, cwd);
  return settingsOf(loaded, options);
}

export function settingsOf(loaded: LoadedConfig, options: SettingsOptions): Settings {
  const c = loaded.config;
  const s: Settings = {
    rules: { ...c.rules, ...options.rules },
    ignore: [...(c.ignore ?? []), ...(options.ignore ?? [])],
  };
  const trusted = options.trustedOrigins ?? c.trustedOrigins;
  if (trusted) s.trustedOrigins = trusted;
  if (loaded.file) s.configFile = loaded.file;
  return s;
}
