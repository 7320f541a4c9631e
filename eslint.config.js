// ESLint for keyfence: typescript-eslint's recommended rules, the import graph (the doors on top, the
// pipeline below them, nothing pointing back up) and a line length. Part of `npm test` (`npm run lint`).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** What the code below the doors is made of: it may not import src/run/, the pipeline that calls it. */
const BELOW_RUN = [
  'src/sources/**',
  'src/engine/**',
  'src/config/**',
  'src/findings/**',
  'src/suppressions/**',
  'src/reporters/**',
  'src/workflows/**',
  'src/github/**',
  'src/environment/**',
  'src/rules/**',
  'src/errors.ts',
  'src/version.ts',
];

export default defineConfig(
  globalIgnores([
    'dist/',
    'coverage/',
    '.bench/',
    '.precision/',
    // Scanned by the tests, not run: odd on purpose.
    'fixtures/',
    '**/fixtures/',
  ]),
  js.configs.recommended,
  // Not recommendedTypeChecked: on a 2-core machine it took `eslint .` from about 8 s to 36 s (67 s cold).
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@stylistic': stylistic },
    rules: {
      // A leading underscore marks a name kept on purpose: a parameter a callback's signature needs, or a
      // field left out of a copy by destructuring (`{ examples: _examples, ...spec }`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Measured on src/ as it was: of the lines this rule counts (not those holding a string, a regex, a
      // template literal or a URL), 99.5% of code lines are at most 144 characters and 99.5% of comment
      // lines at most 120 (prose wraps near 100).
      '@stylistic/max-len': [
        'error',
        {
          code: 140,
          comments: 120,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
  {
    // The import graph. Test files (test/**) may import anything.
    files: ['src/**/*.ts', 'scripts/**/*.mjs'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: ['src/!(cli)/**', 'src/*.ts', 'scripts/**'],
              from: 'src/cli',
              message:
                'src/cli/ is a door (the command line) and nothing else imports from it. Move the shared code down, ' +
                'e.g. to src/run or src/errors.ts, and import it from there in both places.',
            },
            {
              target: ['src/!(action)/**', 'src/*.ts', 'scripts/**'],
              from: 'src/action',
              message:
                'src/action/ is a door (the GitHub Action) and nothing else imports from it. Move the shared code down, ' +
                'e.g. to src/run or src/errors.ts, and import it from there in both places.',
            },
            {
              target: BELOW_RUN,
              from: 'src/run',
              message:
                'src/run/ is the pipeline the doors call: the code it calls must not import it back. Move what both ' +
                'need down (e.g. to src/errors.ts or the module whose data it is), or have src/run pass it in.',
            },
          ],
        },
      ],
    },
  },
);
