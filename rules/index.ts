import type { Rule } from '../src/model/index.js';
import { credentialedReflectedOrigin } from './credentialed-reflected-origin.js';
import { credentialedWildcard } from './credentialed-wildcard.js';
import { parseError } from './parse-error.js';
import { reflectedOrigin } from './reflected-origin.js';
import { unknownCorsOption } from './unknown-cors-option.js';
import { wildcardOrigin } from './wildcard-origin.js';

/** Every rule corslint knows. Its id is public vocabulary: keep it stable. */
export const allRules: Rule[] = [
  credentialedReflectedOrigin,
  reflectedOrigin,
  credentialedWildcard,
  wildcardOrigin,
  unknownCorsOption,
  parseError,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
