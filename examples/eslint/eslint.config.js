// A minimal ESLint (9 or 10) flat config with corslint's recommended rules.
// Copy it to your project's root as eslint.config.js, then:
//   npm install --save-dev eslint corslint
//   npx eslint .
import corslint from 'corslint/eslint-plugin';

export default [
  corslint.configs.recommended,

  // Optional: the origins your API serves. corslint/untrusted-origin then
  // reports any other origin a CORS setting accepts.
  {
    rules: {
      'corslint/untrusted-origin': ['warn', { trustedOrigins: ['https://app.example.com', 'https://*.example.com'] }],
    },
  },

  // TypeScript: add typescript-eslint's parser for .ts files
  // (npm install --save-dev typescript-eslint):
  //   import tseslint from 'typescript-eslint';
  //   { files: ['**/*.{ts,mts,cts,tsx}'], languageOptions: { parser: tseslint.parser } },
];
