import path from 'node:path';
import type { ExtractContext, ExtractResult, Extractor, ProjectFact, SourceFile } from '../../model/index.js';
import { ParseError } from '../../model/index.js';
import { isNginxPath, looksLikeNginx, sniffNginx } from './candidates.js';
import { buildConfig } from './conf.js';
import type { ExpandedConfig } from './include.js';
import { configRoot, expandConfig, parseFileText, realPath } from './include.js';
import { includersOf } from './includers.js';
import { buildPolicies, involvesFile } from './policies.js';

/**
 * nginx: `add_header` / headers-more in http, server, location and `if`
 * blocks, with include trees, inheritance, `map` and `if` guards. A file
 * included by another nginx file of the same run is analysed once, in its
 * includer's context (docs/extractors/nginx.md).
 */
export const nginxExtractor: Extractor = {
  name: 'nginx',
  matchesPath: isNginxPath,
  sniff: sniffNginx,
  extract(file: SourceFile, ctx: ExtractContext): ExtractResult {
    // Own syntax first: a broken file is reported on itself even when another file includes it.
    try {
      parseFileText(file.text, file.path, file.absPath);
    } catch (e) {
      if (e instanceof ParseError && !looksLikeNginx(file.text)) return { policies: [] };
      throw e;
    }
    const host = { readFile: ctx.readFile, displayPath: ctx.displayPath, root: ctx.root };
    const root = configRoot(file.absPath, ctx.root);
    const includers = includersOf(realPath(file.absPath), root, host, ctx);
    if (includers.linted) return { policies: [] };
    if (includers.top) {
      // Included only by files this run does not lint: analyse it where it is used.
      const tree = expandConfig(includers.top, host, root);
      const policies = buildPolicies(buildConfig(tree.directives)).filter((p) => involvesFile(p, file.path));
      return { policies, facts: notesAsFacts(tree, file.path) };
    }
    const tree = expandConfig(file.absPath, host, root);
    return { policies: buildPolicies(buildConfig(tree.directives)), facts: notesAsFacts(tree) };
  },
};

function notesAsFacts(tree: ExpandedConfig, onlyFile?: string): ProjectFact[] {
  return tree.notes
    .filter((n) => !onlyFile || n.loc.file === onlyFile)
    .map((n) => ({
      kind: `nginx-include-${n.kind}`,
      loc: n.loc,
      data: { target: n.target, ...(n.detail ? { detail: n.detail } : {}), config: path.basename(tree.absPath) },
    }));
}

export { isNginxPath, looksLikeNginx, sniffNginx };
