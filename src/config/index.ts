export { ConfigError } from './errors.js';
export { CONFIG_FILE, discoverConfigIn, loadConfig, type LoadedConfig } from './load.js';
export { originProblem, validateConfig, type CorslintConfig } from './validate.js';
export { effectiveSettings, settingsOf, type Settings, type SettingsOptions } from './settings.js';
export { ConfigTree, type GoverningSettings } from './tree.js';
