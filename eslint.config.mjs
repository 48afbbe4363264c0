// Lint for cloud, local cloud, client and tests: typescript-eslint (type-aware where it finds bugs:
// floating promises, misused promises), React hooks rules on the client. Formatting is Prettier's (120 columns).
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'client/dist*/**',
      'cloudfunctions/dist/**',
      'test/artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An unawaited write is lost when a cloud function returns.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['client/src/**/*.tsx', 'client/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The client may import pure cloud modules only (webpack has no Node built-ins): these use crypto, and the
      // store, handlers and SDK code need the server. Types from anywhere are fine (erased at build).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@cloud/domain/campaigns',
                '@cloud/domain/member-code',
                '@cloud/domain/scene',
                '@cloud/domain/store-purchase',
                '@cloud/store/*',
                '@cloud/functions/*',
                '@cloud/lib/*',
              ],
              allowTypeImports: true,
              message: 'Only type imports from server-only cloud modules (they need Node or the SDK).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read raw documents over the admin API: `any` is the honest type there.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
