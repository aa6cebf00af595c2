// app.json resolveAlias: the longest matching key wins; values are paths from the miniprogram root.
import { applyResolveAlias } from './resolve-alias'

const aliases = { '@/*': '/*', '@utils/*': 'utils/*', '@utils/deep/*': 'lib/deep/*' }

test('a matching request becomes a root-absolute path', () => {
  expect(applyResolveAlias(aliases, '@/pages/a/util')).toBe('/pages/a/util')
  expect(applyResolveAlias(aliases, '@utils/format')).toBe('/utils/format')
})

test('the longest key wins', () => {
  expect(applyResolveAlias(aliases, '@utils/deep/x.js')).toBe('/lib/deep/x.js')
})

test('a request no key matches is left alone', () => {
  expect(applyResolveAlias(aliases, './util')).toBeUndefined()
  expect(applyResolveAlias(aliases, 'dayjs')).toBeUndefined()
})
