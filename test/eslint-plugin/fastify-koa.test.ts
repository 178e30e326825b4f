import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import corslint, { pluginRules } from '../../src/eslint-plugin/index.js';
import { REPO, fixtureUnits } from '../support/fixtures.js';

/**
 * The plugin runs the Fastify and Koa extractors on ESLint's AST too: over
 * fixtures/fastify and fixtures/koa it finds what the CLI finds (a finding
 * the CLI places in an imported module is mapped back, as for Express).
 */
const PLUGIN_RULES = new Set(pluginRules().map((r) => r.meta.id));
const RELOCATED = / \(The value is in (.+):(\d+):(\d+)\.\)$/;

function eslint() {
  return new ESLint({
    cwd: REPO,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: tseslint.parser } }, corslint.configs.recommended],
  });
}

describe.each(['fastify', 'koa'])('ESLint Node API over fixtures/%s', (fw) => {
  it('reports the same findings as the CLI', async () => {
    const fromEslint = new Set<string>();
    for (const r of await eslint().lintFiles([`fixtures/${fw}`])) {
      const file = path.relative(REPO, r.filePath).split(path.sep).join('/');
      for (const m of r.messages) {
        expect(m.fatal, `${file}: ${m.message}`).toBeFalsy();
        const moved = RELOCATED.exec(m.message);
        fromEslint.add(moved ? `${moved[1]}:${moved[2]}:${moved[3]} ${m.ruleId!.slice(9)}` : `${file}:${m.line}:${m.column} ${m.ruleId!.slice(9)}`);
      }
    }
    const fromCli = new Set<string>();
    for (const unit of fixtureUnits().filter((u) => u.target.startsWith(`fixtures/${fw}/`))) {
      const { findings } = await lint([unit.target], { cwd: REPO });
      for (const f of findings) if (PLUGIN_RULES.has(f.ruleId)) fromCli.add(`${f.file}:${f.line}:${f.column} ${f.ruleId}`);
    }
    expect(fromCli.size).toBeGreaterThan(12);
    expect([...fromEslint].sort()).toEqual([...fromCli].sort());
  });
});

describe('allowlist suggestions', () => {
  it('are offered for @fastify/cors', async () => {
    const [r] = await eslint().lintText("import cors from '@fastify/cors';\nawait app.register(cors, { origin: true, credentials: true });\n", { filePath: path.join(REPO, 'src/app.js') });
    expect(r!.messages).toEqual([expect.objectContaining({ ruleId: 'corslint/credentialed-reflected-origin', line: 2 })]);
    expect(r!.messages[0]!.suggestions?.[0]?.desc).toMatch(/allowlist/);
  });

  it('are not offered for @koa/cors, which would send a list as several headers', async () => {
    const [r] = await eslint().lintText("import cors from '@koa/cors';\napp.use(cors({ origin: '*', credentials: true }));\n", { filePath: path.join(REPO, 'src/app.js') });
    expect(r!.messages).toEqual([expect.objectContaining({ ruleId: 'corslint/credentialed-reflected-origin', line: 2 })]);
    expect(r!.messages[0]!.suggestions ?? []).toEqual([]);
  });
});
