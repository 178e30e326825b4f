import type { Rule } from '../src/model/index.js';
import { credentialedReflectedOrigin } from './credentialed-reflected-origin.js';
import { credentialedWildcard } from './credentialed-wildcard.js';
import { djangoMiddlewareOrder } from './django-middleware-order.js';
import { parseError } from './parse-error.js';
import { reflectedOrigin } from './reflected-origin.js';
import { unknownCorsOption } from './unknown-cors-option.js';
import { unusedSuppression } from './unused-suppression.js';
import { wildcardOrigin } from './wildcard-origin.js';
import { credentialedWildcardList } from './credentialed-wildcard-list.js';
import { devOrigin } from './dev-origin.js';
import { excessiveMaxAge } from './excessive-max-age.js';
import { insecureOrigin } from './insecure-origin.js';
import { nullOrigin } from './null-origin.js';
import { originPatternBypass } from './origin-pattern-bypass.js';
import { sharedHostOrigin } from './shared-host-origin.js';
import { untrustedOrigin } from './untrusted-origin.js';
import { duplicateCorsHeader } from './duplicate-cors-header.js';
import { droppedCorsHeadersRule } from './dropped-cors-headers.js';
import { nginxCorsWithoutAlways } from './nginx-cors-without-always.js';
import { missingVaryOrigin } from './missing-vary-origin.js';

/** Every rule corslint knows. Its id is public vocabulary: keep it stable. */
export const allRules: Rule[] = [
  credentialedReflectedOrigin,
  reflectedOrigin,
  credentialedWildcard,
  wildcardOrigin,
  credentialedWildcardList,
  nullOrigin,
  originPatternBypass,
  insecureOrigin,
  devOrigin,
  sharedHostOrigin,
  untrustedOrigin,
  excessiveMaxAge,
  duplicateCorsHeader,
  droppedCorsHeadersRule,
  nginxCorsWithoutAlways,
  missingVaryOrigin,
  unknownCorsOption,
  djangoMiddlewareOrder,
  parseError,
  unusedSuppression,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
