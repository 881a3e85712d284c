import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NOT_IN_DOMAIN =
  'domain/ is pure TypeScript shared by server and web: no Node, no DOM, no server or web code.';

const WEB_NOT_SERVER = {
  regex: '(^|/)server(/|$)',
  message: 'The web app never imports server code: share it through domain/ (#domain/*).',
};

/** `../teams/teams.service` from another feature: only `../teams` (its index.ts) is public. */
const ANOTHER_FEATURES_INSIDE = {
  regex: '^\\.\\./(?!\\.\\.)[^/]+/',
  message: "Import another feature through its index.ts ('../teams'), not its files.",
};

const INFRA_NOT_FEATURES = {
  regex: '(^|/)modules(/|$)',
  message: 'Infrastructure (db, plugins, mail) does not import features; features import it.',
};

const SQL_MESSAGE = 'SQL lives only in *.repository.ts files (DESIGN.md, convention 2).';

const KYSELY_SQL = { name: 'kysely', importNames: ['sql'], message: SQL_MESSAGE };

/** Kysely's query builders and the `sql` tag. */
const SQL_SYNTAX = [
  {
    selector:
      'CallExpression[callee.property.name=/^(selectFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto|selectNoFrom)$/]',
    message: SQL_MESSAGE,
  },
  { selector: 'TaggedTemplateExpression[tag.name="sql"]', message: SQL_MESSAGE },
];

/** Problem types are named once, in domain/schemas/problem.ts (PROBLEM_TYPES). */
const PROBLEM_LITERAL = {
  selector:
    'Literal[value=/^urn:rally:problem:/], TemplateElement[value.raw=/^urn:rally:problem:/]',
  message: 'Use PROBLEM_TYPES (#domain/schemas/problem) instead of a problem type literal.',
};

/** Where SQL may be written: repositories, the database layer and migrations, tests, the seed. */
const SQL_ALLOWED = [
  'server/**/*.repository.ts',
  'server/db/**',
  'server/cli/seed.ts',
  'server/test/**',
  'server/**/*.test.ts',
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'data', 'coverage', '.scratch'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // domain/ is shared by server and browser: it must not reach for Node or the DOM.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({ name, message: NOT_IN_DOMAIN })),
          patterns: [
            { regex: '^node:', message: NOT_IN_DOMAIN },
            { regex: '(^|/)(server|web)(/|$)', message: NOT_IN_DOMAIN },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'indexedDB']
          .concat(['fetch', 'process', 'Buffer', 'require', '__dirname', '__filename'])
          .map((name) => ({ name, message: NOT_IN_DOMAIN })),
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    ignores: ['web/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [WEB_NOT_SERVER] }],
      'no-restricted-syntax': ['error', PROBLEM_LITERAL],
    },
  },
  {
    files: ['web/src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [WEB_NOT_SERVER, ANOTHER_FEATURES_INSIDE] }],
    },
  },
  {
    // SQL lives only in repositories (DESIGN.md convention 2), the database layer and migrations.
    files: ['server/**/*.ts'],
    ignores: SQL_ALLOWED,
    rules: {
      'no-restricted-imports': ['error', { paths: [KYSELY_SQL] }],
      'no-restricted-syntax': ['error', ...SQL_SYNTAX, PROBLEM_LITERAL],
    },
  },
  {
    files: ['server/plugins/**/*.ts', 'server/mail/**/*.ts'],
    ignores: SQL_ALLOWED,
    rules: {
      'no-restricted-imports': ['error', { paths: [KYSELY_SQL], patterns: [INFRA_NOT_FEATURES] }],
    },
  },
  {
    files: ['server/db/**/*.ts', 'server/plugins/**/*.repository.ts'],
    ignores: ['server/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [INFRA_NOT_FEATURES] }] },
  },
  {
    // A server module uses another only through its index.ts (its public face).
    files: ['server/modules/**/*.ts'],
    ignores: [...SQL_ALLOWED, '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [KYSELY_SQL], patterns: [ANOTHER_FEATURES_INSIDE] },
      ],
    },
  },
  {
    files: ['server/cli/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
