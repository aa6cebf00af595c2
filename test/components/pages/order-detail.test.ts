// 订单详情: the status and its timeline, a re-read on every show and on pull-down (the merchant
// moves the order), and 取消订单 while the order is placed, after a confirmation.
import { answer, calls, exists, fake, server, settle, tap, text, until } from './helpers/env'
import { pageUnderTest, resetApp } from './helpers/page'
import { auth } from '../../../miniprogram/api/client'
import { placeOrder } from '../../../miniprogram/api/orders'

const openDetail = pageUnderTest('order-detail', ['onLoad', 'onShow'])

beforeEach(resetApp)

async function orderedAndOpen() {
  await auth.ensureLogin()
  await placeOrder(
    { items: [{ itemId: 'beef-noodles', quantity: 1 }], address: { address: '人民大道 1 号' } },
    'k',
  )
  const page = openDetail({ id: 'o1' })
  await until(() => page.data.state === 'ready', 3000, 'detail')
  return page
}

test('shows the status and the timeline; the first show does not read the order twice', async () => {
  const page = await orderedAndOpen()
  expect(text(page, '#detail-status')).toBe('已下单')
  expect(text(page, '#detail-timeline')).toContain('已下单')
  expect(server.calls('GET /orders/:id')).toHaveLength(1)
})

test('coming back to the page re-reads the order: the merchant accepted it', async () => {
  const page = await orderedAndOpen()
  server.setOrderStatus('o1', 'accepted')
  page.instance.onShow()
  await until(() => page.data.order?.status === 'accepted', 3000, 'the new status')
  expect(text(page, '#detail-status')).toBe('商家已接单')
  // Newest first: the change, then the order being placed.
  expect(page.data.order.steps.map((s: { statusText: string }) => s.statusText)).toEqual([
    '商家已接单',
    '已下单',
  ])
  expect(exists(page, '#detail-cancel')).toBe(false)
})

test('pull-down re-reads the order and stops the indicator', async () => {
  const page = await orderedAndOpen()
  server.setOrderStatus('o1', 'accepted')
  server.setOrderStatus('o1', 'ready')
  page.instance.onPullDownRefresh()
  await until(() => page.data.order?.status === 'ready', 3000, 'ready')
  await until(() => (calls.stopPullDownRefresh ?? []).length === 1, 3000, 'the indicator stops')
  expect(text(page, '#detail-status')).toBe('待取餐')
})

test('取消订单 asks first; confirming cancels the order', async () => {
  const page = await orderedAndOpen()
  expect(exists(page, '#detail-cancel')).toBe(true)
  await tap(page, '#detail-cancel')
  await answer('modal', 'cancel') // 再想想
  expect(server.calls('POST /orders/:id/cancel')).toHaveLength(0)
  await tap(page, '#detail-cancel')
  await answer('modal', 'confirm')
  await until(() => page.data.order?.status === 'cancelled', 3000, 'cancelled')
  expect(server.calls('POST /orders/:id/cancel')).toHaveLength(1)
  expect(text(page, '#detail-status')).toBe('已取消')
  expect(exists(page, '#detail-cancel')).toBe(false)
})

test('a cancel that loses to the merchant (409) says so and shows the new status', async () => {
  const page = await orderedAndOpen()
  server.setOrderStatus('o1', 'accepted') // the page still shows 已下单 with its cancel button
  await tap(page, '#detail-cancel')
  await answer('modal', 'confirm')
  await until(() => page.data.order?.status === 'accepted', 3000, 'the reloaded status')
  await settle()
  expect(fake.control.toast).toMatchObject({ title: '订单状态已变化，无法取消' })
  expect(exists(page, '#detail-cancel')).toBe(false)
})
