import { serverLabel } from '../src/advice/frameworks.js';
import { assumptionSuffix } from '../src/analysis/answers.js';
import { preflightAnswers, probePolicy } from '../src/analysis/probes.js';
import type { Rule } from '../src/model/index.js';
import { header } from '../src/model/index.js';

/** Firefox caps Access-Control-Max-Age at 24 h, Chromium at 2 h (SEMANTICS.md §0). */
export const MAX_USEFUL_MAX_AGE = 86400;

export const excessiveMaxAge: Rule = {
  meta: {
    id: 'excessive-max-age',
    defaultSeverity: 'warning',
    description: 'Access-Control-Max-Age above 86400: browsers cap it (Firefox at 24 h, Chromium at 2 h), so the value does nothing.',
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      const pp = probePolicy(ctx, policy);
      for (const ev of preflightAnswers(ctx, pp)) {
        const h = header(ev.response, 'access-control-max-age');
        if (!h?.loc) continue;
        const seconds = Number(h.value.trim());
        if (!Number.isFinite(seconds) || seconds <= MAX_USEFUL_MAX_AGE) break;
        ctx.report({
          loc: h.loc,
          framework: policy.framework,
          message:
            `${serverLabel(policy.framework)} sends Access-Control-Max-Age: ${h.value.trim()}${assumptionSuffix(ev)}, but browsers cap the preflight ` +
            `cache (Firefox at 86400 s, Chromium at 7200 s): the extra time does nothing, and a long cache keeps a changed policy out of ` +
            `users' browsers until they expire. Use 7200 or less.`,
        });
        break;
      }
    }
  },
};
