// Lint: strict TypeScript, React hooks rules, and the import boundaries that keep the architecture
// honest (core is pure; only src/db imports Dexie; features never import each other).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const restrict = (patterns, paths = []) => ['error', { patterns, paths }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // The browser bundle never imports the server; only src/db imports Dexie.
      'no-restricted-imports': restrict([
        { group: ['**/sync-server/**'], message: 'The PWA never imports the sync server.' },
        { group: ['dexie'], message: 'Only src/db imports Dexie (style.md habit 3).' },
      ]),
    },
  },
  {
    files: ['src/db/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([{ group: ['**/sync-server/**', '@/features/*', '@/app/*'], message: 'db/ sits below features and app.' }]) },
  },
  {
    files: ['src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['dexie'], message: 'Only src/db imports Dexie.' },
        { group: ['@/features/*', '../../features/*', '../*/*'], message: 'Features never import each other: move shared code down (state/, components/, db/, core/).' },
        { group: ['@/app/*'], message: 'Features do not import the app shell; the app composes features.' },
      ]),
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // The core is pure: the same handlers run on the tablet and on the server (style.md habit 1).
      'no-restricted-imports': restrict(
        [
          { group: ['react', 'react-*', 'dexie', 'dexie-*', 'zustand', 'zustand/*', 'workbox-*'], message: 'src/core is pure TypeScript: no UI, storage or PWA libraries.' },
          { group: ['@/db/*', '@/sync/*', '@/features/*', '@/app/*', '@/state/*', '@/components/*', '**/sync-server/**', 'node:*'], message: 'src/core imports only src/core.' },
        ],
      ),
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Inject I/O into the core.' }, { name: 'localStorage', message: 'Inject storage.' }, { name: 'indexedDB', message: 'Inject storage.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Inject the clock.' },
        { object: 'Math', property: 'random', message: 'Inject randomness.' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject the clock: no new Date() in the core.' }],
    },
  },
  {
    files: ['sync-server/src/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/src/db/**', '**/src/sync/**', '**/src/features/**', '**/src/app/**', '**/src/state/**', '**/src/components/**', '@/*'], message: 'The server imports only src/core (the shared rules).' },
      ]),
    },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'sync-server/test/**', 'bench/**', 'e2e/**'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off', 'no-restricted-globals': 'off' },
  },
);
