import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import corslint, { pluginRules } from '../../src/eslint-plugin/index.js';
import { REPO, fixtureUnits } from '../support/fixtures.js';

/**
 * The plugin through ESLint's Node API over fixtures/express/ finds what the
 * CLI finds there: same rule, same place, same message. A finding the CLI
 * places in an imported module is reported by the plugin at the policy in
 * the importing file, naming the original place; it is mapped back here.
 */
const PLUGIN_RULES = new Set(pluginRules().map((r) => r.meta.id));
const RELOCATED = / \(The value is in (.+):(\d+):(\d+)\.\)$/;

/**
 * A fixture project with a corslint.config.json declaring trustedOrigins gets
 * them the ESLint way: as the option of corslint/untrusted-origin for its files.
 */
function trustedOriginsOverrides(): Linter.Config[] {
  return fixtureUnits()
    .filter((u) => u.target.startsWith('fixtures/express/') && existsSync(path.join(REPO, u.target, 'corslint.config.json')))
    .map((u) => {
      const config = JSON.parse(readFileSync(path.join(REPO, u.target, 'corslint.config.json'), 'utf8')) as { trustedOrigins?: string[] };
      return { files: [`${u.target}/**`], rules: { 'corslint/untrusted-origin': ['warn', { trustedOrigins: config.trustedOrigins ?? [] }] } };
    });
}

function eslintFor() {
  return new ESLint({
    cwd: REPO,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: tseslint.parser } },
      corslint.configs.recommended,
      ...trustedOriginsOverrides(),
    ],
  });
}

describe('ESLint Node API over fixtures/express', () => {
  it('reports the same findings as the CLI', async () => {
    const results = await eslintFor().lintFiles(['fixtures/express']);
    const fromEslint = new Set<string>();
    for (const r of results) {
      const file = path.relative(REPO, r.filePath).split(path.sep).join('/');
      for (const m of r.messages) {
        if (m.fatal) continue; // ESLint's own parse error (fixtures/express/parse-error.js)
        expect(m.ruleId).toMatch(/^corslint\//);
        const moved = RELOCATED.exec(m.message);
        fromEslint.add(
          moved ? `${moved[1]}:${moved[2]}:${moved[3]} ${m.ruleId!.slice(9)} ${m.message.replace(RELOCATED, '')}` : `${file}:${m.line}:${m.column} ${m.ruleId!.slice(9)} ${m.message}`,
        );
      }
    }

    const fromCli = new Set<string>();
    for (const unit of fixtureUnits().filter((u) => u.target.startsWith('fixtures/express/'))) {
      const { findings } = await lint([unit.target], { cwd: REPO });
      for (const f of findings) if (PLUGIN_RULES.has(f.ruleId)) fromCli.add(`${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`);
    }

    expect(fromCli.size).toBeGreaterThan(20);
    expect([...fromEslint].sort()).toEqual([...fromCli].sort());
  });

  it('reports ESLint parse errors itself and keeps linting the other files', async () => {
    const [broken] = await eslintFor().lintFiles(['fixtures/express/parse-error.js']);
    expect(broken!.messages.some((m) => m.fatal)).toBe(true);
  });

  it('a Node project with cors({origin: true, credentials: true}) gets the error from the recommended config', async () => {
    const eslint = eslintFor();
    const [r] = await eslint.lintText("const cors = require('cors');\napp.use(cors({ origin: true, credentials: true }));\n", { filePath: path.join(REPO, 'src/app.js') });
    expect(r!.messages).toEqual([
      expect.objectContaining({ ruleId: 'corslint/credentialed-reflected-origin', severity: 2, line: 2, column: 24, endLine: 2, endColumn: 28 }),
    ]);
    expect(r!.messages[0]!.suggestions?.[0]?.desc).toMatch(/allowlist/);
  });

  it("eslint-disable comments apply as usual", async () => {
    const [r] = await eslintFor().lintText(
      "const cors = require('cors');\n// eslint-disable-next-line corslint/credentialed-reflected-origin -- admin tool\napp.use(cors({ origin: true, credentials: true }));\n",
      { filePath: path.join(REPO, 'src/app.js') },
    );
    expect(r!.messages).toEqual([]);
  });
});
