// 结算's subscribe button after an order, on the subscription outcomes of the platform doc §6:
// accept -> 已订阅; a reject (now or permanent) and the main switch off -> the way to settings;
// ban / filter / the app's own failures -> no nag for the user at all.
import {
  answer,
  exists,
  fake,
  inTap,
  server,
  settle,
  text,
  until,
  type PageComp,
} from './helpers/env'
import { pageUnderTest, resetApp } from './helpers/page'
import { auth } from '../../../miniprogram/api/client'
import { ORDER_STATUS_TEMPLATE_IDS } from '../../../miniprogram/config'

const open = pageUnderTest('checkout', ['onLoad', 'onShow'])
const [TEMPLATE] = ORDER_STATUS_TEMPLATE_IDS as [string]

beforeEach(async () => {
  await resetApp()
  fake.control.setSubscription(TEMPLATE, null)
  fake.control.setSubscriptionMainSwitch(true)
  fake.control.banTemplate(TEMPLATE, false)
  fake.control.filterTemplate(TEMPLATE, false)
  fake.control.failSubscribe(null)
  fake.control.setSubscribeKeepChoice(false)
  fake.control.setSubscribeAnswers({ [TEMPLATE]: 'accept' })
})

/** The success screen of a placed order, where the subscribe button lives. */
async function placed(): Promise<PageComp> {
  const page = open()
  page.instance.setData({ placed: { id: 'o1', totalText: '¥6.00' } })
  await settle()
  expect(exists(page, '#subscribe-btn')).toBe(true)
  return page
}

async function subscribe(page: PageComp, panel: 'confirm' | 'cancel' | null): Promise<void> {
  inTap(() => page.instance.onSubscribe())
  if (panel) await answer('subscribe', panel)
  await until(() => page.data.subscribeState !== 'asking', 3000, 'subscribe outcome')
  await settle()
}

test('accept: 已订阅, the button goes away', async () => {
  const page = await placed()
  await subscribe(page, 'confirm')
  expect(text(page, '#subscribe-ok')).toBe('已订阅，订单状态变化时会通知你')
  expect(exists(page, '#subscribe-btn')).toBe(false)
  // The server hears of the accept: one message will follow the next status change.
  await until(() => server.subscriptionReports.length === 1, 3000, 'the report')
  expect(server.subscriptionReports).toEqual([{ [TEMPLATE]: 'accept' }])
})

test('reject in the panel: the button stays and settings are offered', async () => {
  fake.control.setSubscribeAnswers({ [TEMPLATE]: 'reject' })
  const page = await placed()
  await subscribe(page, 'confirm')
  expect(text(page, '#subscribe-rejected')).toContain('在设置中开启')
  expect(exists(page, '#subscribe-settings')).toBe(true)
  expect(exists(page, '#subscribe-btn')).toBe(true)
  expect(auth.store.reprompt).toBeNull()
  await until(() => server.subscriptionReports.length === 1, 3000, 'the report')
  expect(server.subscriptionReports).toEqual([{ [TEMPLATE]: 'reject' }])
})

test('a permanent reject (no panel): settings are offered, by the page and the auth-sheet', async () => {
  fake.control.setSubscription(TEMPLATE, 'reject')
  const panels = () => fake.control.dialogs.history.filter((d) => d.kind === 'subscribe').length
  const panelsBefore = panels()
  const page = await placed()
  await subscribe(page, null)
  expect(panels()).toBe(panelsBefore)
  expect(exists(page, '#subscribe-settings')).toBe(true)
  await until(
    () => !!page.querySelector('#auth-sheet')!.querySelector('.auth-sheet'),
    3000,
    'sheet',
  )
  expect(text(page.querySelector('#auth-sheet')!, '.auth-sheet__title')).toBe(
    '需要你的订阅消息权限',
  )

  // Turned on in settings (the page's own openSetting button): 已订阅
  page.querySelector('#subscribe-settings')!.dispatchEvent('opensetting', {
    detail: {
      errMsg: 'openSetting:ok',
      authSetting: {},
      subscriptionsSetting: { mainSwitch: true, itemSettings: { [TEMPLATE]: 'accept' } },
    },
  })
  await settle()
  expect(exists(page, '#subscribe-ok')).toBe(true)
})

test('the main switch off (errCode 20004): its own copy and the way to settings', async () => {
  fake.control.setSubscriptionMainSwitch(false)
  const page = await placed()
  await subscribe(page, null)
  expect(text(page, '#subscribe-off')).toBe('你已关闭本小程序的消息通知，可在设置中重新开启')
  expect(exists(page, '#subscribe-settings')).toBe(true)
  expect(exists(page, '#subscribe-failed')).toBe(false)
})

test.each([
  ['a back-end ban', () => fake.control.banTemplate(TEMPLATE)],
  ['a filtered template', () => fake.control.filterTemplate(TEMPLATE)],
  ['a template the platform does not know (20001)', () => fake.control.failSubscribe(20001)],
])('%s: nothing for the user to act on, so no button, no message, no sheet', async (_, arrange) => {
  arrange()
  const page = await placed()
  await subscribe(page, null)
  expect(page.data.subscribeState).toBe('unavailable')
  expect(exists(page, '#subscribe-btn')).toBe(false)
  expect(exists(page, '#subscribe-settings')).toBe(false)
  expect(exists(page, '#subscribe-failed')).toBe(false)
  expect(exists(page, '#subscribe-ok')).toBe(false)
  expect(auth.store.reprompt).toBeNull()
})

test('a network failure of the subscription (10002): 订阅失败, the button stays for another tap', async () => {
  fake.control.failSubscribe(10002)
  const page = await placed()
  await subscribe(page, null)
  expect(text(page, '#subscribe-failed')).toBe('订阅失败，请稍后重试')
  expect(exists(page, '#subscribe-btn')).toBe(true)
})
