// Every retry button is the user's action: it goes through auth.ensureLogin() first, which is
// what re-arms the kit (its loop breaker) after logins failed, and then loads again. A failed
// login on retry shows as the page's error, without a second attempt by the load itself.
import { exists, fake, server, settle, tap, text, until } from './helpers/env'
import { pageUnderTest, resetApp } from './helpers/page'
import { auth } from '../../../miniprogram/api/client'
import { placeOrder } from '../../../miniprogram/api/orders'
import { cart } from '../../../miniprogram/stores/cart'

const openList = pageUnderTest('orders', ['onShow'])
const openDetail = pageUnderTest('order-detail', ['onLoad'])
const openCheckout = pageUnderTest('checkout', ['onLoad', 'onShow'])

beforeEach(resetApp)

afterEach(() => jest.restoreAllMocks())

test('orders: after a failed login, 重新加载 logs in through ensureLogin and shows the list', async () => {
  fake.control.failLogin('system error', 1)
  const page = openList()
  await until(() => page.data.state === 'error', 3000, 'error state')
  expect(text(page, '#orders-error')).toContain('登录失败')

  const ensureLogin = jest.spyOn(auth, 'ensureLogin')
  await tap(page, '#orders-retry')
  await until(() => page.data.state === 'empty', 3000, 'loaded after retry')
  expect(ensureLogin).toHaveBeenCalledTimes(1)
  expect(auth.store.isLoggedIn).toBe(true)
})

test('orders: a retry whose login fails again shows that error, with one wx.login only', async () => {
  fake.control.failLogin('system error', 1)
  const page = openList()
  await until(() => page.data.state === 'error', 3000, 'error state')
  fake.control.failLogin('system error', 1)
  const logins = fake.control.loginCalls
  await tap(page, '#orders-retry')
  await until(() => fake.control.loginCalls - logins === 1, 3000, 'the retry login')
  await settle()
  expect(page.data.state).toBe('error')
  expect(text(page, '#orders-error')).toContain('登录失败')
  expect(fake.control.loginCalls - logins).toBe(1)
  // the load did not run after the failed login (it would have tried a second wx.login)
  expect(server.calls('GET /orders')).toHaveLength(0)
})

test('orders: pull-to-refresh is the user’s action too', async () => {
  await auth.ensureLogin()
  const page = openList()
  await until(() => page.data.state === 'empty', 3000, 'empty')
  const ensureLogin = jest.spyOn(auth, 'ensureLogin')
  page.instance.onPullDownRefresh()
  await until(() => ensureLogin.mock.calls.length === 1, 3000, 'ensureLogin on refresh')
})

test('order detail: 重新加载 goes through ensureLogin, then loads the order', async () => {
  await placeOrder(
    { items: [{ itemId: 'soy-milk', quantity: 1 }], address: { address: '人民大道 1 号' } },
    'k-1',
  )
  server.fail('GET /orders/:id', { kind: 'status', statusCode: 500 })
  const page = openDetail({ id: 'o1' })
  await until(() => page.data.state === 'error', 3000, 'error')
  const ensureLogin = jest.spyOn(auth, 'ensureLogin')
  await tap(page, '#detail-retry')
  await until(() => page.data.state === 'ready', 3000, 'ready after retry')
  expect(ensureLogin).toHaveBeenCalledTimes(1)
})

test('checkout: the first submit logs in within the order call; 重新提交 goes through ensureLogin', async () => {
  cart.add({ id: 'soy-milk', name: '现磨豆浆', price: 600 })
  const ensureLogin = jest.spyOn(auth, 'ensureLogin')
  fake.control.failLogin('system error', 1)
  const page = openCheckout()
  await settle()
  await tap(page, '#type-address')
  page.querySelector('#address-input')!.dispatchEvent('input', {
    detail: { value: '上海市黄浦区人民大道 200 号' },
  })
  await settle()
  await tap(page, '#submit-order')
  await until(() => page.data.errorText !== '', 3000, 'order error')
  expect(ensureLogin).not.toHaveBeenCalled()
  expect(exists(page, '#order-error')).toBe(true)

  await tap(page, '#submit-order')
  await until(() => page.data.placed !== null, 3000, 'placed on retry')
  expect(ensureLogin).toHaveBeenCalledTimes(1)
  expect(server.orders).toHaveLength(1)
})
