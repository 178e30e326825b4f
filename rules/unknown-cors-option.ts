import { serverLabel } from '../src/advice/frameworks.js';
import type { Rule } from '../src/model/index.js';

export const unknownCorsOption: Rule = {
  meta: {
    id: 'unknown-cors-option',
    defaultSeverity: 'error',
    description: 'A misspelled or unknown CORS option is silently ignored and the framework default applies instead.',
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      for (const opt of policy.unknownOptions) {
        const hint = opt.suggestion ? ` Did you mean \`${opt.suggestion}\`?` : '';
        ctx.report({
          loc: opt.loc,
          framework: policy.framework,
          message: `\`${opt.key}\` is not an option ${serverLabel(policy.framework)} knows: it is silently ignored and the default applies instead.${hint}`,
        });
      }
    }
  },
};
