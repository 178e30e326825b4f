import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { docsUrl } from '../../src/docs-url.js';
import plugin, { pluginRules } from '../../src/eslint-plugin/index.js';

/**
 * ESLint's RuleTester over every plugin rule: a clean and a flagged case in
 * JavaScript (espree) and in TypeScript (@typescript-eslint/parser).
 */
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const js = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } });
const ts = new RuleTester({ languageOptions: { parser: tseslint.parser, sourceType: 'module' } });

const PRE = "const cors = require('cors');\n";
const TS_PRE = "import cors, { type CorsOptions } from 'cors';\nimport express from 'express';\nconst app = express();\n";
const JS_FILE = 'src/server.js';
const TS_FILE = 'src/server.ts';
const CLEAN = "app.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n";
const TS_CLEAN = "const options: CorsOptions = { origin: ['https://app.example.com'] as string[], credentials: true };\napp.use(cors(options));\n";

interface Case {
  /** JavaScript that triggers the rule once, on line 2 after the require. */
  code: string;
  /** TypeScript that triggers it, after the imports (lines 1-3). */
  tsCode: string;
  /** For rules that offer the allowlist: the suggested JS and TS code, or null where none is safe. */
  suggest?: [string | null, string | null];
  options?: unknown[];
}

const cases: Record<string, Case> = {
  'credentialed-reflected-origin': {
    code: 'app.use(cors({ origin: true, credentials: true }));\n',
    tsCode: 'const options: CorsOptions = { origin: true, credentials: true };\napp.use(cors(options));\n',
    suggest: [
      "app.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n",
      "const options: CorsOptions = { origin: ['https://app.example.com'], credentials: true };\napp.use(cors(options));\n",
    ],
  },
  'reflected-origin': {
    code: 'app.use(cors({ origin: true }));\n',
    tsCode: "app.use('/api', cors({ origin: true as boolean }));\n",
    // `true as boolean` is not a plain literal: no suggestion.
    suggest: ["app.use(cors({ origin: ['https://app.example.com'] }));\n", null],
  },
  'credentialed-wildcard': {
    code: "app.use(cors({ origin: '*', credentials: true }));\n",
    tsCode: "app.use(cors({ origin: '*', credentials: true } satisfies CorsOptions));\n",
    suggest: [
      "app.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n",
      "app.use(cors({ origin: ['https://app.example.com'], credentials: true } satisfies CorsOptions));\n",
    ],
  },
  'credentialed-wildcard-list': {
    code: "app.use(cors({ origin: ['https://app.example.com'], credentials: true, allowedHeaders: '*' }));\n",
    tsCode: "const headers: string = '*';\napp.use(cors({ origin: ['https://app.example.com'], credentials: true, exposedHeaders: headers }));\n",
  },
  'wildcard-origin': {
    code: 'app.use(cors());\n',
    tsCode: "app.use(cors({ origin: '*' }));\n",
    // The default origin is not written: nothing to replace.
    suggest: [null, "app.use(cors({ origin: ['https://app.example.com'] }));\n"],
  },
  'unknown-cors-option': {
    code: "app.use(cors({ origin: ['https://app.example.com'], credential: true }));\n",
    tsCode: "app.use(cors({ origin: ['https://app.example.com'], allowHeaders: ['X-Token'] } as CorsOptions));\n",
  },
  'null-origin': {
    code: "app.use(cors({ origin: ['https://app.example.com', 'null'] }));\n",
    tsCode: "const allowed: string[] = ['https://app.example.com', 'null'];\napp.use(cors({ origin: allowed }));\n",
  },
  'origin-pattern-bypass': {
    code: 'app.use(cors({ origin: /https:\\/\\/app\\.example\\.com/ }));\n',
    tsCode: "const allowed: RegExp[] = [/^https:\\/\\/app.example\\.com$/];\napp.use(cors({ origin: allowed }));\n",
  },
  'insecure-origin': {
    code: "app.use(cors({ origin: ['http://app.example.com'] }));\n",
    tsCode: "app.use(cors({ origin: 'http://app.example.com' as const }));\n",
  },
  'dev-origin': {
    code: "app.use(cors({ origin: ['https://app.example.com', 'http://localhost:3000'] }));\n",
    tsCode: "const origins = ['https://app.example.com', 'http://127.0.0.1:5173'] as const;\napp.use(cors({ origin: [...origins] }));\n",
  },
  'shared-host-origin': {
    code: 'app.use(cors({ origin: /^https:\\/\\/[a-z0-9-]+\\.vercel\\.app$/ }));\n',
    tsCode: "app.use(cors({ origin: [/^https:\\/\\/[\\w-]+\\.netlify\\.app$/] as RegExp[] }));\n",
  },
  'untrusted-origin': {
    code: "app.use(cors({ origin: ['https://app.example.com', 'https://partner.example.net'] }));\n",
    tsCode: "const partner: string = 'https://partner.example.net';\napp.use(cors({ origin: ['https://app.example.com', partner] }));\n",
    options: [{ trustedOrigins: ['https://app.example.com'] }],
  },
  'missing-vary-origin': {
    code: [
      "const allowed = ['https://app.example.com'];",
      'app.use((req, res, next) => {',
      '  if (allowed.includes(req.headers.origin)) res.setHeader("Access-Control-Allow-Origin", req.headers.origin);',
      '  next();',
      '});',
      '',
    ].join('\n'),
    tsCode: [
      "const allowed: string[] = ['https://app.example.com'];",
      'app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {',
      "  const origin = req.headers.origin as string;",
      "  if (allowed.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);",
      '  next();',
      '});',
      '',
    ].join('\n'),
  },
  'excessive-max-age': {
    code: "app.use(cors({ origin: ['https://app.example.com'], maxAge: 604800 }));\n",
    tsCode: "const week: number = 7 * 24 * 3600;\napp.use(cors({ origin: ['https://app.example.com'], maxAge: week }));\n",
  },
};

describe('corslint ESLint plugin rules', () => {
  it('has a RuleTester case for every plugin rule', () => {
    expect(Object.keys(cases).sort()).toEqual(pluginRules().map((r) => r.meta.id).sort());
  });

  it('every rule has the metadata ESLint shows', () => {
    for (const r of pluginRules()) {
      const meta = plugin.rules[r.meta.id]!.meta!;
      expect(meta.type).toBe('problem');
      expect(meta.docs?.description).toBe(r.meta.description);
      expect(meta.docs?.url).toBe(docsUrl(r.meta.id));
      expect(meta.messages?.finding).toBeDefined();
      expect(Array.isArray(meta.schema)).toBe(true);
    }
    expect(plugin.rules['credentialed-reflected-origin']!.meta!.hasSuggestions).toBe(true);
    expect(plugin.rules['unknown-cors-option']!.meta!.hasSuggestions).toBeUndefined();
  });
});

for (const [id, c] of Object.entries(cases)) {
  const rule = plugin.rules[id]!;
  const options = c.options ? { options: c.options } : {};
  const suggestions = (pre: string, output: string | null | undefined) =>
    rule.meta?.hasSuggestions ? { suggestions: output ? [{ messageId: 'useAllowlist', output: pre + output }] : [] } : {};

  js.run(id, rule, {
    valid: [
      { code: PRE + CLEAN, filename: JS_FILE, ...options },
      // Files the extractor never reads, and code that only looks similar.
      { code: PRE + c.code, filename: 'src/types.d.ts', ...options },
      { code: `const notCors = (o) => o;\n${c.code.replace(/cors\(/g, 'notCors(').replace(/Access-Control-/g, 'X-Control-')}`, filename: JS_FILE, ...options },
      // corslint's own suppression comments hold in the editor too (one above
      // each line, wherever the rule places its finding; unused ones are the CLI's to report).
      { code: PRE + c.code.replace(/^(?=.)/gm, `// corslint-disable-next-line ${id} -- intended\n`), filename: JS_FILE, ...options },
    ],
    invalid: [
      {
        code: PRE + c.code,
        filename: JS_FILE,
        ...options,
        errors: [{ messageId: 'finding', ...suggestions(PRE, c.suggest?.[0]) }],
      },
    ],
  });

  ts.run(`${id} (TypeScript)`, rule, {
    valid: [{ code: TS_PRE + TS_CLEAN, filename: TS_FILE, ...options }],
    invalid: [
      {
        code: TS_PRE + c.tsCode,
        filename: TS_FILE,
        ...options,
        errors: [{ messageId: 'finding', ...suggestions(TS_PRE, c.suggest?.[1]) }],
      },
    ],
  });
}

// untrusted-origin has nothing to compare against without trustedOrigins.
js.run('untrusted-origin (no options)', plugin.rules['untrusted-origin']!, {
  valid: [{ code: PRE + cases['untrusted-origin']!.code, filename: JS_FILE }],
  invalid: [],
});

afterAll(() => {
  // RuleTester registers its own tests; this file must not pass vacuously.
  expect(Object.keys(cases).length).toBeGreaterThan(10);
});
