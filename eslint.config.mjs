// One lint setup for every project. Module boundaries keep the data flow one way
// (docs/architecture.md): domain libs import no I/O, workflow code reaches the world
// only through activities, apps are thin wiring.
import nx from '@nx/eslint-plugin';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', 'tmp/**', '.data/**', '.nx/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    // Tests and their config may use the tools (local stack, fleet launcher).
    ignores: ['**/*.spec.ts', '**/vitest.config.ts', '**/test/**'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:persistence', onlyDependOnLibsWithTags: ['type:domain', 'type:persistence'] },
            { sourceTag: 'type:driver', onlyDependOnLibsWithTags: ['type:domain', 'type:driver'] },
            // Workflows may name activity types; the rule below makes those imports type-only.
            { sourceTag: 'type:workflows', onlyDependOnLibsWithTags: ['type:domain', 'type:workflows', 'type:activities'] },
            {
              sourceTag: 'type:activities',
              onlyDependOnLibsWithTags: ['type:domain', 'type:persistence', 'type:driver', 'type:activities'],
            },
            {
              sourceTag: 'type:application',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:persistence',
                'type:driver',
                'type:workflows',
                'type:activities',
                'type:application',
              ],
            },
            // A client of the API speaks in the application layer's types and typed errors.
            { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:domain', 'type:application', 'type:client'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // No-op callbacks are deliberate here (ignoring errors of a connection being closed,
      // a stop() for a service this process did not start).
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
  {
    // Tests read the environment the global setup provides.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Domain libraries are pure: no file system, network or process access.
    files: ['libs/banks/src/**/*.ts', 'libs/campaign/src/**/*.ts', 'libs/campaign-spec/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins, patterns: ['@prisma/*', 'pg', '@temporalio/*'] }],
    },
  },
  {
    // Temporal workflow code must be deterministic: no Node built-ins, no Prisma, no
    // activity implementations (types only, through proxyActivities).
    files: ['libs/workflows/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            { group: ['@prisma/*', 'pg', '@bankswitch/event-store', '@bankswitch/host-driver'], message: 'Workflows reach the world only through activities.' },
            { group: ['@bankswitch/activities'], allowTypeImports: true, message: 'Import activity types only (import type).' },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
];
