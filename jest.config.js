// One jest run, several projects: the kit and the headless runtime (packages/headless) in node, components and pages on
// miniprogram-simulate (jsdom), the server in node. `npm test` runs them all.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', isolatedModules: true }]
const serverTsJest = [
  'ts-jest',
  { tsconfig: '<rootDir>/server/tsconfig.json', isolatedModules: true },
]
// typebox 1.x and cookie 2.x (loaded by app.inject) ship only ES modules: jest compiles them to CJS.
const esmToCjs = [
  'ts-jest',
  { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, isolatedModules: true },
]

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit', '<rootDir>/packages/headless'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'components',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/components'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/test/components/setup.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/server/test'],
      testMatch: ['**/*.test.ts'],
      moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
      transform: { '^.+\\.ts$': serverTsJest, '^.+\\.m?js$': esmToCjs },
      transformIgnorePatterns: ['/node_modules/(?!(typebox|cookie|set-cookie-parser)/)'],
    },
  ],
}
