// The README: miniprogram-ci is an optional peer dependency that 构建 npm needs. Without it,
// packing fails with a message that says what to install, not Node's bare "Cannot find module".
import { NO_MINIPROGRAM_CI } from './pack-npm'

test('without miniprogram-ci installed, 构建 npm says to install it', async () => {
  jest.resetModules()
  jest.doMock('miniprogram-ci', () => {
    throw Object.assign(new Error("Cannot find module 'miniprogram-ci' from 'pack-npm.ts'"), {
      code: 'MODULE_NOT_FOUND',
    })
  })
  const { packProjectNpm } = (await import('./pack-npm')) as typeof import('./pack-npm')
  await expect(packProjectNpm('/nowhere')).rejects.toThrow(NO_MINIPROGRAM_CI)
  jest.dontMock('miniprogram-ci')
})
