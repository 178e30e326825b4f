export { ConfigError } from './errors.js';
export { CONFIG_FILE, loadConfig, type LoadedConfig } from './load.js';
export { originProblem, validateConfig, type CorslintConfig } from './validate.js';
export { effectiveSettings, type Settings, type SettingsOptions } from './settings.js';
