import { relatedAt, type Rule } from '../src/model/index.js';
import { droppedCorsHeaders } from '../src/semantics/nginx.js';

/**
 * RULES.md decision 13: a block with its own add_header inherits none of the
 * enclosing ones, so the CORS headers set around it are silently lost there.
 * The inheritance is nginx's (ngx_http_headers_merge_conf), computed by the
 * nginx model; `add_header_inherit merge` (nginx ≥ 1.29.3) keeps them.
 */
export const droppedCorsHeadersRule: Rule = {
  meta: {
    id: 'dropped-cors-headers',
    defaultSeverity: 'warning',
    description: 'An nginx block with its own add_header silently drops the CORS headers set at an enclosing level.',
    scope: 'policy',
  },
  check(ctx) {
    for (const policy of ctx.project.policies) {
      if (policy.framework !== 'nginx') continue;
      for (const d of droppedCorsHeaders(policy)) {
        const names = [...new Set(d.dropped.map((h) => h.name))];
        const from = [...new Set(d.dropped.map((h) => `\`${h.level}\``))].join(' and ');
        ctx.report({
          loc: d.at.loc,
          framework: 'nginx',
          related: d.dropped.map((h) => relatedAt(h.loc, `${h.name} is set here and not inherited by \`${d.conf.label}\``)),
          message:
            `\`${d.conf.label}\` has its own add_header, so nginx does not inherit the add_header directives of ${from}: ` +
            `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not sent for requests handled here and browsers block them. ` +
            `Repeat the CORS headers in this block (an \`include\` of a shared snippet keeps them in one place), ` +
            `or on nginx ≥ 1.29.3 add \`add_header_inherit merge;\`.`,
        });
      }
    }
  },
};
