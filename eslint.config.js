import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'stream', 'worker_threads', 'process', 'events', 'timers', 'dns', 'tls', 'zlib', 'buffer', 'vm', 'cluster', 'readline'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'web/build/**', 'web/.cache/**', 'widget/dist/**', 'db/migrations/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O clients, and
    // activities by type only. The bundler would fail on some of these; the rest would break replay.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...NODE_BUILTINS.flatMap((m) => [m, `node:${m}`]), 'postgres', 'drizzle-orm', 'mongodb', 'openai', 'groq-sdk', 'twilio', 'hono', 'ws'].map((name) => ({
            name,
            message: 'Workflow code is deterministic and sandboxed: do I/O in activities.',
          })),
          patterns: [
            { group: ['node:*', 'drizzle-orm/*', '@aws-sdk/*', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'microsoft-cognitiveservices-speech-sdk'], message: 'Not allowed in workflow code.' },
            { group: ['../db/*', '../api/*', '../activities/*'], allowTypeImports: true, message: 'Workflows import activities and data types only (import type).' },
          ],
        },
      ],
    },
  },
);
