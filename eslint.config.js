// @ts-check
/**
 * Lint: the usual hygiene over all TypeScript and JavaScript of the repository (`npm run lint`).
 * Type-aware where it finds real bugs (a promise nobody awaits, an await of a non-promise);
 * otherwise typescript-eslint's recommended set. Formatting is not linted.
 */
'use strict';
const { defineConfig } = require('eslint/config');
const js = require('@eslint/js');
const globals = require('globals');
const tseslint = require('typescript-eslint');

module.exports = defineConfig(
  { ignores: ['dist/', 'node_modules/', 'reports/', 'notebooks/', 'data/', '.tmp/'] },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: __dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // A leading underscore says "unused on purpose" (a destructured field left out, a callback's first argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Commands and lazily loaded modules are required on first use, so that `aq paper` does not load Vega.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Reference values are written with every digit their source printed (mpmath, the papers);
    // the literal that reaches the test is the nearest double, which is what is compared.
    files: ['test/**/*.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
