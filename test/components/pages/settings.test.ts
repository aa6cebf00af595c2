// 权限设置: every scope the app has asked, with its state from getSetting (re-read on show), and
// the tap-bound way to WeChat's settings page.
import { exists, fake, settle, text, until } from './helpers/env'
import { pageUnderTest, resetApp } from './helpers/page'
import { auth } from '../../../miniprogram/api/client'

const open = pageUnderTest('settings', ['onShow'])

beforeEach(resetApp)

test('nothing asked yet: the empty state, and no popup', async () => {
  const page = open()
  await until(() => page.data.loaded, 3000, 'loaded')
  expect(exists(page, '#scopes-empty')).toBe(true)
  expect(fake.control.authorizeCalls).toBe(0)
  expect(exists(page, '#open-setting')).toBe(true)
})

test('asked scopes with their states; coming back from settings re-reads them', async () => {
  fake.control.setScope('scope.userLocation', false)
  fake.control.setScope('scope.writePhotosAlbum', true)
  const page = open()
  await until(() => page.data.scopeList.length === 2, 3000, 'scopes listed')
  expect(text(page, '.scope-denied')).toContain('位置信息')
  expect(text(page, '.scope-denied')).toContain('已拒绝')
  expect(text(page, '.scope-granted')).toContain('保存到相册')
  expect(text(page, '.scope-granted')).toContain('已允许')

  // The user taps the openSetting button, turns location on, and comes back.
  const back = fake.control.tapOpenSettingButton()
  fake.control.setScope('scope.userLocation', true)
  fake.control.dialogs.answer('confirm', ['settings'])
  const detail = await back
  page.querySelector('#open-setting')!.dispatchEvent('opensetting', { detail })
  await until(() => auth.store.scopes['scope.userLocation'] === 'granted', 3000, 're-read')
  await settle()
  expect(exists(page, '.scope-denied')).toBe(false)
  expect(page.data.scopeList.every((s: { state: string }) => s.state === 'granted')).toBe(true)
})

test('subscriptions: the user’s own permanent choices are listed; ban and filter never are', async () => {
  fake.control.setSubscription('t-accept', 'accept')
  fake.control.setSubscription('t-ban', 'ban')
  auth.store.setSubscription('t-filter', 'filter')
  const page = open()
  await until(() => page.data.loaded, 3000, 'loaded')
  await settle()
  expect(page.data.subscriptionList).toEqual([{ id: 't-accept', stateText: '已订阅' }])
  expect(text(page, '#subscriptions')).toContain('已订阅')
  expect(text(page, '#subscriptions')).not.toContain('屏蔽')
})
