// Lint rules, including the dependency rule of DESIGN §5: core is pure, only gateway/http knows
// express and http-proxy-middleware, and config/ is the only reader of process.env.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const httpOnly = ['express', 'http-proxy-middleware'];
const io = [
  'ioredis',
  'winston',
  'prom-client',
  'node:http',
  'node:https',
  'node:net',
  'node:tls',
  'node:dns',
  'node:fs',
  'node:fs/promises',
  'node:sqlite',
  'node:child_process',
];
const banPackages = (names, why) => names.map((name) => ({ name, message: why }));
const processEnv = {
  object: 'process',
  property: 'env',
  message: 'Only config/ reads process.env: take the value from the Config object.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The probe paths let a test prove the layering rules fire (test/unit/lint/).
        projectService: {
          allowDefaultProject: ['gateway/*/lint-probe.ts', 'adapters/lint-probe.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
      'no-restricted-properties': ['error', processEnv],
      'no-restricted-imports': [
        'error',
        { paths: banPackages(httpOnly, 'Only gateway/http may use the HTTP framework.') },
      ],
    },
  },
  {
    files: ['gateway/http/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['gateway/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banPackages([...httpOnly, ...io], 'gateway/core is pure: no I/O, no framework.'),
          patterns: [
            {
              group: [
                '**/http/**',
                '**/services/**',
                '**/ports/**',
                '**/adapters/**',
                '**/config/**',
                '**/observability/**',
              ],
              message: 'gateway/core depends on nothing else in the project.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        processEnv,
        {
          object: 'Date',
          property: 'now',
          message: 'gateway/core has no clock: take time as an argument.',
        },
        { object: 'Math', property: 'random', message: 'gateway/core is deterministic.' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['gateway/services/**', 'gateway/ports/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banPackages(
            [...httpOnly, ...io],
            'services and ports reach I/O only through ports.',
          ),
          patterns: [
            {
              group: ['**/http/**', '**/adapters/**', '**/observability/**'],
              message: 'services depend on core and ports only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['adapters/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banPackages(httpOnly, 'Adapters do not know the HTTP framework.'),
          patterns: [
            {
              group: ['**/gateway/http/**', '**/gateway/services/**'],
              message: 'adapters implement ports; they do not call services or HTTP.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['config/**', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**', '**/*.test.ts', 'bench/**', 'scripts/**'],
    rules: {
      'no-restricted-imports': 'off',
      'max-lines': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
