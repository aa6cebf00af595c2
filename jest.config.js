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

// The kit is always tested BUILT, never from its TypeScript source (type checking still reads the
// source, through tsconfig.test.json's paths), so `npm run build` runs first (npm test does):
// - the kit's own suites load `wx-login-kit` and `wx-login-kit/<module>` from its miniprogram_dist;
// - the app's suites (pages, components) load it where 构建 npm put it for the app,
//   miniprogram/miniprogram_npm/wx-login-kit, the same copy the components' templates come from.
const kitAt = (dir) => ({
  '^wx-login-kit$': `${dir}/index.js`,
  '^wx-login-kit/(.*)$': `${dir}/$1`,
})
const kitDist = kitAt('<rootDir>/packages/kit/miniprogram_dist')
const kitInApp = kitAt('<rootDir>/miniprogram/miniprogram_npm/wx-login-kit')

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit', '<rootDir>/packages/headless', '<rootDir>/packages/kit/test'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper: kitDist,
    },
    {
      displayName: 'components',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/components'],
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/test/components/setup.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper: kitInApp,
    },
    {
      displayName: 'server',
      testEnvironment: 'node',
      // examples/express is a back end on the server library: its tests run with the server's.
      roots: ['<rootDir>/server/test', '<rootDir>/examples/express/test'],
      testMatch: ['**/*.test.ts'],
      moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
      transform: { '^.+\\.ts$': serverTsJest, '^.+\\.m?js$': esmToCjs },
      transformIgnorePatterns: ['/node_modules/(?!(typebox|cookie|set-cookie-parser)/)'],
    },
  ],
}
