// 订单: protected (opening the tab logs in silently, once); loading, empty, list and error states;
// pull-to-refresh; tap opens the detail. And the detail page itself.
import { calls, exists, fake, server, settle, tap, text, until } from './helpers/env'
import { pageUnderTest, resetApp } from './helpers/page'
import { auth } from '../../../miniprogram/api/client'
import { placeOrder } from '../../../miniprogram/api/orders'

const openList = pageUnderTest('orders', ['onShow'])
const openDetail = pageUnderTest('order-detail', ['onLoad'])

beforeEach(resetApp)

async function seedOrders(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await placeOrder(
      {
        items: [
          { itemId: 'beef-noodles', quantity: 1 + i },
          { itemId: 'fried-rice', quantity: 1 },
          { itemId: 'soy-milk', quantity: 2 },
        ],
        address: { address: `人民大道 ${i + 1} 号` },
        note: i === 0 ? '少辣' : undefined,
      },
      `seed-${i}`,
    )
  }
}

test('opening the tab logs in silently, once, and shows loading then the empty state', async () => {
  const logins = fake.control.loginCalls
  const release = server.hold('GET /orders')
  const page = openList()
  await settle()
  expect(page.data.state).toBe('loading')
  expect(exists(page, '#orders-loading')).toBe(true)

  release()
  await until(() => page.data.state === 'empty', 3000, 'empty state')
  expect(exists(page, '#orders-empty')).toBe(true)
  expect(text(page, '#orders-empty')).toContain('还没有订单')
  expect(fake.control.loginCalls - logins).toBe(1)
  expect(server.calls('GET /orders')[0]!.header['x-wx-code']).toBeTruthy()
  expect(auth.store.isLoggedIn).toBe(true)
})

test('the list: newest first, with status, summary and total; tap opens the detail', async () => {
  await seedOrders(2)
  const page = openList()
  await until(() => page.data.state === 'list', 3000, 'list')
  expect(exists(page, '#orders-list')).toBe(true)
  expect(page.data.orders.map((o: { id: string }) => o.id)).toEqual(['o2', 'o1'])
  expect(text(page, '.order-o1')).toContain('已下单')
  expect(text(page, '.order-o1')).toContain('红烧牛肉面×1、扬州炒饭×1 等 4 件')
  expect(text(page, '.order-o1')).toContain('¥58.00')
  expect(text(page, '.order-o1')).toContain('人民大道 1 号')

  await tap(page, '.order-o1')
  expect(calls.navigateTo?.[0]).toMatchObject({ url: '/pages/order-detail/index?id=o1' })
})

test('an error with retry', async () => {
  await auth.ensureLogin()
  // GET is idempotent: the kit retries twice; all three attempts fail.
  server.fail('GET /orders', { kind: 'network' }, 3)
  const page = openList()
  await until(() => page.data.state === 'error', 6000, 'error state')
  expect(exists(page, '#orders-error')).toBe(true)
  expect(text(page, '#orders-error')).toContain('网络')

  await seedOrders(1)
  await tap(page, '#orders-retry')
  await until(() => page.data.state === 'list', 3000, 'list after retry')
  expect(page.data.orders).toHaveLength(1)
}, 10000)

test('pull-to-refresh reloads the list and stops the indicator', async () => {
  await seedOrders(1)
  const page = openList()
  await until(() => page.data.state === 'list', 3000, 'list')
  await seedOrders(2) // seed-0 repeats (same key: no new order), seed-1 is new
  page.instance.onPullDownRefresh()
  await until(() => (calls.stopPullDownRefresh?.length ?? 0) === 1, 3000, 'refresh stopped')
  expect(page.data.orders).toHaveLength(2)
  // While refreshing, the list stayed on screen (no loading flash).
  expect(page.data.state).toBe('list')
})

test('the detail page shows one order, with its address and the note (the remark)', async () => {
  await seedOrders(1)
  // The address travels as its own field, the note as the remark.
  expect(server.calls('POST /orders')[0]!.data).toMatchObject({
    address: '人民大道 1 号',
    remark: '少辣',
  })
  const page = openDetail({ id: 'o1' })
  await until(() => page.data.state === 'ready', 3000, 'detail')
  expect(exists(page, '#detail')).toBe(true)
  expect(page.data.order.address).toBe('人民大道 1 号')
  expect(text(page, '#detail-address')).toContain('人民大道 1 号')
  expect(page.data.order.note).toBe('少辣')
  expect(text(page, '#detail-note')).toContain('少辣')
  expect(text(page, '#detail-total')).toBe('¥58.00')
})

test('the detail page: an order without address or note shows neither', async () => {
  await auth.ensureLogin()
  await placeOrder({ items: [{ itemId: 'soy-milk', quantity: 1 }], address: { address: ' ' } }, 'k')
  expect(server.calls('POST /orders')[0]!.data).toEqual({
    items: [{ itemId: 'soy-milk', quantity: 1 }],
  })
  const page = openDetail({ id: 'o1' })
  await until(() => page.data.state === 'ready', 3000, 'detail')
  expect(exists(page, '#detail-address')).toBe(false)
  expect(exists(page, '#detail-note')).toBe(false)
})

test('the detail page: an unknown order', async () => {
  await auth.ensureLogin()
  const page = openDetail({ id: 'nope' })
  await until(() => page.data.state === 'error', 3000, 'detail error')
  expect(text(page, '#detail-error')).toContain('订单不存在')
})
