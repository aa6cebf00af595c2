// 结算: the first order logs in silently (once) and is sent once; the location scope is asked only
// when the user wants the map, a refusal shows the auth-sheet and the typed address works; a
// network failure shows an error and the retry reuses the Idempotency-Key (never a second order);
// after success, order-status notifications are offered from the user's tap.
import {
  answer,
  calls,
  dialogOpen,
  exists,
  fake,
  inTap,
  server,
  settle,
  tap,
  text,
  until,
  type PageComp,
} from './helpers/env'
import { pageUnderTest, resetApp } from './helpers/page'
import { auth } from '../../../miniprogram/api/client'
import { cart } from '../../../miniprogram/stores/cart'

const open = pageUnderTest('checkout', ['onLoad', 'onShow'])

beforeEach(async () => {
  await resetApp()
  cart.add({ id: 'beef-noodles', name: '红烧牛肉面', price: 2800 })
  cart.add({ id: 'beef-noodles', name: '红烧牛肉面', price: 2800 })
  cart.add({ id: 'soy-milk', name: '现磨豆浆', price: 600 })
})

async function typeAddress(page: PageComp, value: string): Promise<void> {
  if (!page.data.manualMode) await tap(page, '#type-address')
  const input = page.querySelector('#address-input')!
  input.dispatchEvent('input', { detail: { value } })
  await settle()
}

const orderKeys = () => server.calls('POST /orders').map((c) => c.header['idempotency-key'])

test('the cart lines and total are shown', async () => {
  const page = open()
  await settle()
  expect(page.data.lines).toHaveLength(2)
  expect(text(page, '#checkout-total')).toBe('¥62.00')
})

test('placing the first order logs in exactly once and sends the order once', async () => {
  const logins = fake.control.loginCalls
  const page = open()
  await settle()
  await typeAddress(page, '上海市黄浦区人民大道 200 号 3 楼')
  page.querySelector('.note-input')!.dispatchEvent('input', { detail: { value: ' 少辣 ' } })
  await settle()
  await tap(page, '#submit-order')
  await until(() => page.data.placed !== null, 3000, 'order placed')

  expect(fake.control.loginCalls - logins).toBe(1)
  expect(server.logins).toBe(1)
  const posts = server.calls('POST /orders')
  expect(posts).toHaveLength(1)
  // One round trip: the order itself carried the login code.
  expect(posts[0]!.header['x-wx-code']).toBeTruthy()
  expect(posts[0]!.header['idempotency-key']).toBeTruthy()
  expect(posts[0]!.data).toEqual({
    items: [
      { itemId: 'beef-noodles', quantity: 2 },
      { itemId: 'soy-milk', quantity: 1 },
    ],
    address: '上海市黄浦区人民大道 200 号 3 楼',
    remark: '少辣',
  })
  expect(server.orders).toHaveLength(1)
  expect(server.orders[0]).toMatchObject({
    address: '上海市黄浦区人民大道 200 号 3 楼',
    remark: '少辣',
  })
  expect(auth.store.isLoggedIn).toBe(true)

  expect(exists(page, '#order-success')).toBe(true)
  expect(text(page, '#order-success')).toContain('¥62.00')
  expect(cart.count).toBe(0)

  // Order-status notifications, from the user's tap.
  inTap(() => page.instance.onSubscribe())
  await answer('subscribe', 'confirm')
  await until(() => page.data.subscribeState === 'accepted', 3000, 'subscribed')
  expect(exists(page, '#subscribe-ok')).toBe(true)

  await tap(page, '#view-order')
  expect(calls.redirectTo?.[0]).toMatchObject({ url: '/pages/order-detail/index?id=o1' })
})

test('the map: the location scope is asked at the tap, then chooseLocation fills the address', async () => {
  const page = open()
  await settle()
  expect(fake.control.authorizeCalls).toBe(0) // nothing asked on open

  await tap(page, '#choose-location')
  await answer('authorize', 'confirm')
  await answer('location', 'confirm')
  await until(() => page.data.location !== null, 3000, 'location chosen')
  expect(exists(page, '#address-chosen')).toBe(true)
  expect(fake.control.authSetting['scope.userLocation']).toBe(true)

  await tap(page, '#submit-order')
  await until(() => page.data.placed !== null, 3000, 'order placed')
  // The place's name, then its address; no note: no remark.
  expect(server.calls('POST /orders')[0]!.data).toMatchObject({
    address: '人民广场 上海市黄浦区人民大道',
  })
  expect(server.orders[0]).toMatchObject({ address: '人民广场 上海市黄浦区人民大道', remark: null })
})

test('a refused location shows the auth-sheet, and the typed-address path works', async () => {
  fake.control.setScope('scope.userLocation', false) // refused before
  const page = open()
  await settle()

  await tap(page, '#choose-location')
  await until(() => auth.store.reprompt !== null, 3000, 'reprompt')
  expect(auth.store.reprompt).toMatchObject({ scope: 'scope.userLocation' })
  // The global sheet explains why, and offers settings; the user declines it (暂不).
  await settle()
  const sheet = page.querySelector('#auth-sheet')!
  expect(sheet.dom?.textContent ?? '').toContain('需要你的位置信息权限')
  expect(sheet.dom?.textContent ?? '').toContain('需要你的位置来选择配送地址')
  expect(fake.control.openSettingCalls).toBe(0)
  sheet.querySelector('#dismiss-btn')!.dispatchEvent('tap')
  await until(() => page.data.manualMode === true, 3000, 'manual mode')
  expect(auth.store.reprompt).toBeNull()
  expect(text(page, '#address-hint')).toContain('手动填写')

  // Too short, then a real address.
  await typeAddress(page, '人民')
  await tap(page, '#submit-order')
  expect(text(page, '#address-hint')).toContain('至少')
  expect(server.calls('POST /orders')).toHaveLength(0)

  await typeAddress(page, '北京市朝阳区望京街 10 号')
  await tap(page, '#submit-order')
  await until(() => page.data.placed !== null, 3000, 'order placed')
  expect(server.orders[0]).toMatchObject({ address: '北京市朝阳区望京街 10 号', remark: null })
})

test('a typed address is sent trimmed, without control characters, at most 200 characters', async () => {
  const page = open()
  await settle()
  const long = `  上海市黄浦区\t人民大道 200 号\r\n${'甲'.repeat(250)}  `
  await typeAddress(page, long)
  await tap(page, '#submit-order')
  await until(() => page.data.placed !== null, 3000, 'order placed')
  const sent = (server.calls('POST /orders')[0]!.data as { address: string }).address
  expect(sent).toHaveLength(200)
  expect(sent.startsWith('上海市黄浦区 人民大道 200 号 \n甲')).toBe(true)
  expect(server.orders[0]!.address).toBe(sent)
})

test('a refused location granted again from the sheet goes on to the map', async () => {
  fake.control.setScope('scope.userLocation', false)
  const page = open()
  await settle()
  await tap(page, '#choose-location')
  await until(() => auth.store.reprompt !== null, 3000, 'reprompt')
  await settle()

  // 去设置: WeChat's settings page; the user turns location on and comes back.
  const back = fake.control.tapOpenSettingButton()
  fake.control.setScope('scope.userLocation', true)
  fake.control.dialogs.answer('confirm', ['settings'])
  const detail = await back
  page
    .querySelector('#auth-sheet')!
    .querySelector('#open-setting-btn')!
    .dispatchEvent('opensetting', { detail })
  await answer('location', 'confirm')
  await until(() => page.data.location !== null, 3000, 'location chosen')
  expect(auth.store.reprompt).toBeNull()
  expect(page.data.manualMode).toBe(false)
})

test('refusing the first location popup falls back to typing, without the sheet', async () => {
  const page = open()
  await settle()
  await tap(page, '#choose-location')
  await answer('authorize', 'cancel')
  await until(() => page.data.manualMode === true, 3000, 'manual mode')
  expect(auth.store.reprompt).toBeNull()
  expect(auth.store.scopes['scope.userLocation']).toBe('denied')
  expect(exists(page, '#address-input')).toBe(true)
})

test('a network failure while ordering shows an error; the retry reuses the same key', async () => {
  await auth.ensureLogin()
  // The first attempt reaches the server and creates the order, but every answer is lost on
  // the way back (the kit's own two retries included).
  server.fail('POST /orders', { kind: 'after-commit' }, 3)
  const page = open()
  await settle()
  await typeAddress(page, '上海市黄浦区人民大道 200 号')
  await tap(page, '#submit-order')
  await until(() => page.data.errorText !== '', 6000, 'order error')

  expect(exists(page, '#order-error')).toBe(true)
  expect(text(page, '#order-error')).toContain('网络')
  expect(text(page, '#submit-order')).toBe('重新提交')
  expect(cart.count).toBe(3) // nothing cleared
  const key = page.data.orderKey
  expect(key).toBeTruthy()

  await tap(page, '#submit-order')
  await until(() => page.data.placed !== null, 3000, 'order placed on retry')

  const keys = orderKeys()
  expect(keys.length).toBeGreaterThanOrEqual(2)
  expect(new Set(keys)).toEqual(new Set([key]))
  expect(server.orders).toHaveLength(1) // never a second order
  expect(page.data.placed.id).toBe('o1')
  expect(cart.count).toBe(0)
}, 15000)

test('a new checkout after success gets a new key', async () => {
  const page = open()
  await settle()
  await typeAddress(page, '上海市黄浦区人民大道 200 号')
  await tap(page, '#submit-order')
  await until(() => page.data.placed !== null, 3000, 'first order')
  expect(page.data.orderKey).toBe('')

  cart.add({ id: 'fried-rice', name: '扬州炒饭', price: 1800 })
  const again = open()
  await settle()
  await typeAddress(again, '上海市黄浦区人民大道 200 号')
  await tap(again, '#submit-order')
  await until(() => again.data.placed !== null, 3000, 'second order')
  const keys = orderKeys()
  expect(keys).toHaveLength(2)
  expect(keys[0]).not.toBe(keys[1])
  expect(server.orders).toHaveLength(2)
})

test('no dialog is left open', async () => {
  open()
  await settle()
  await expect(dialogOpen('authorize', 50)).rejects.toThrow()
})
