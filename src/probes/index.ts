export { EVIL_DOMAIN, EVIL_ORIGIN, NULL_ORIGIN } from './constants.js';
export { matchEntry, testRegex, toJsRegExp, wildcardToRegExp, wildcardSource, splitPcreDelimiters } from './match.js';
export { evaluateCheck } from './check.js';
export { compileOriginRegex, backtrackingRisk, MAX_INPUT, type OriginRegex } from './regex/compile.js';
export { translateRegex } from './regex/translate.js';
export { regexSamples } from './regex/samples.js';
export { generateProbes, derive, type Probe, type ProbeKind, type ProbeSet } from './generate.js';
export { entrySeeds, configSeed, normalizeOrigin, type Seed } from './seeds.js';
export { hostInfo, isLoopback, isDevHost, parseOrigin, type HostInfo } from './domains.js';
