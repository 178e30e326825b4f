export * from './loc.js';
export * from './value.js';
export * from './origin.js';
export * from './policy.js';
export * from './request.js';
export * from './finding.js';
export * from './rule.js';
export * from './extractor.js';
