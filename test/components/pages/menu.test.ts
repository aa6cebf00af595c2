// 菜单: browsing is public. GET /menu goes without a token and never calls wx.login; the cart,
// its badge and the checkout bar; loading, empty and error (with retry) states.
import { calls, exists, fake, server, settle, tap, text, until } from './helpers/env'
import { pageUnderTest, resetApp } from './helpers/page'
import { auth } from '../../../miniprogram/api/client'
import { cart } from '../../../miniprogram/stores/cart'
import '../../../miniprogram/app'

const open = pageUnderTest('menu', ['onLoad'])

beforeEach(resetApp)

test('launching the app creates the auth instance without logging in', () => {
  const app = getApp<{ onLaunch?: () => void; globalData?: { envVersion: string } }>()
  app.onLaunch?.()
  expect(app.globalData?.envVersion).toBe('develop')
  // no login: at most a code fetched ahead of need (the kit's prefetch), never exchanged
  expect(server.exchanges).toBe(0)
  expect(auth.store.status).toBe('anonymous')
})

test('a user browses the menu and fills the cart with zero wx.login calls', async () => {
  const logins = fake.control.loginCalls
  const page = open()
  await until(() => page.data.state === 'ready', 3000, 'menu ready')

  expect(exists(page, '#menu-list')).toBe(true)
  expect(page.data.categories.map((c: { name: string }) => c.name)).toEqual(['主食', '饮品'])

  await tap(page, '.add-beef-noodles')
  await tap(page, '.add-beef-noodles')
  await tap(page, '.add-fried-rice')
  await tap(page, '.remove-beef-noodles')
  await settle()

  expect(cart.count).toBe(2)
  expect(cart.total).toBe(2800 + 1800)
  expect(text(page, '#cart-badge')).toBe('2')
  expect(text(page, '#cart-total')).toBe('¥46.00')
  expect(calls.setTabBarBadge?.at(-1)).toMatchObject({ index: 0, text: '2' })

  // Another category.
  page.instance.setData({ activeId: 'drinks' })
  await settle()
  await tap(page, '.add-soy-milk')
  expect(cart.count).toBe(3)

  await tap(page, '#checkout-btn')
  expect(calls.navigateTo?.[0]).toMatchObject({ url: '/pages/checkout/index' })

  // Not once: no wx.login, no token, no code on the wire.
  expect(fake.control.loginCalls - logins).toBe(0)
  const menuCalls = server.calls('GET /menu')
  expect(menuCalls).toHaveLength(1)
  expect(menuCalls[0]!.header.authorization).toBeUndefined()
  expect(menuCalls[0]!.header['x-wx-code']).toBeUndefined()
  expect(auth.store.status).toBe('anonymous')
})

test('loading, then an error with retry, then the menu', async () => {
  server.fail('GET /menu', { kind: 'status', statusCode: 500 })
  const release = server.hold('GET /menu')
  const page = open()
  await settle()
  expect(page.data.state).toBe('loading')
  expect(exists(page, '#menu-loading')).toBe(true)

  release()
  await until(() => page.data.state === 'error', 3000, 'menu error')
  expect(exists(page, '#menu-error')).toBe(true)
  expect(text(page, '#menu-error')).toContain('服务暂时不可用')

  await tap(page, '#menu-retry')
  await until(() => page.data.state === 'ready', 3000, 'menu ready after retry')
  expect(server.exchanges).toBe(0)
})

test('an empty menu shows the empty state, and the checkout button stays disabled', async () => {
  server.menu = { currency: 'CNY', categories: [] }
  const page = open()
  await until(() => page.data.state === 'empty', 3000, 'menu empty')
  expect(exists(page, '#menu-empty')).toBe(true)
  await tap(page, '#checkout-btn')
  expect(calls.navigateTo ?? []).toHaveLength(0)
})
