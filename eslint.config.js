import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

/** The only two files allowed to touch Electron's raw IPC objects. */
const IPC_GLUE = ['src/main/ipc/register-ipc.ts', 'src/preload/index.ts']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'bench-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      ecmaVersion: 2024,
      sourceType: 'module',
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'vue/multi-word-component-names': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message:
                'Raw IPC lives only in src/main/ipc/register-ipc.ts and src/preload/index.ts: use the contract.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='electron'][property.name=/^ipc(Main|Renderer)$/]",
          message: 'Raw IPC lives only in the two glue files.',
        },
      ],
    },
  },
  {
    // The Node layer: services, shared logic and the CLI run under plain Node (the CLI, the tests,
    // the harness), so Electron never reaches them; only src/main's glue files and src/preload import it.
    files: ['src/main/services/**/*.ts', 'src/shared/**/*.ts', 'src/cli/**/*.ts', 'src/main/app-services.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Services, shared logic and the CLI run without Electron: take what you need as a dependency (see app-services.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: IPC_GLUE,
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/renderer/**/*'],
    ignores: ['src/renderer/src/api.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'window',
          property: 'api',
          message: 'Only src/renderer/src/api.ts reads window.api: go through a store.',
        },
      ],
    },
  },
  prettier,
)
