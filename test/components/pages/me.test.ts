// 我的: login state; "use WeChat profile" from the tap with the anonymous-answer fallback to the
// form; the phone bound and shown masked, with clear messages for deny / cancel / quota; and
// logout resetting everything.
import {
  answer,
  calls,
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
import { mePageUnderTest } from './helpers/me-page'
import { auth } from '../../../miniprogram/api/client'
import { cart } from '../../../miniprogram/stores/cart'
import { listOrders } from '../../../miniprogram/api/orders'

const { open, openLoggedIn } = mePageUnderTest()

/** The user taps the getPhoneNumber button and answers the phone dialog. */
async function tapPhone(page: PageComp, a: 'confirm' | 'cancel' | null): Promise<void> {
  const pending = fake.control.tapPhoneButton()
  if (a) await answer('phone', a)
  const detail = await pending
  page.querySelector('#bind-phone')!.dispatchEvent('getphonenumber', { detail })
  await until(() => !page.data.binding && page.data.phoneMessage !== '', 3000, 'phone answer')
}

test('anonymous: opening 我的 never logs in; the login button does', async () => {
  const logins = fake.control.loginCalls
  const page = open()
  await settle()
  expect(exists(page, '#me-anonymous')).toBe(true)
  expect(exists(page, '#use-wechat-profile')).toBe(false)
  expect(exists(page, '#logout-btn')).toBe(false)
  expect(fake.control.loginCalls - logins).toBe(0)

  await tap(page, '#login-btn')
  await until(() => page.data.isLoggedIn, 3000, 'logged in')
  expect(exists(page, '#me-user')).toBe(true)
  expect(text(page, '#me-nickname')).toBe('未设置昵称')
  expect(text(page, '#me-phone-none')).toBe('未绑定')
})

test('after a silent login by a protected call (no user in the answer), 我的 reads /me', async () => {
  await listOrders() // logs in through X-WX-Code: the answer carries a token, not the user
  expect(auth.store.isLoggedIn).toBe(true)
  expect(auth.store.user).toBeNull()
  server.users.get('u1')!.nickname = '老王'
  const page = open()
  await until(() => text(page, '#me-nickname') === '老王', 3000, 'user read')
  expect(server.calls('GET /me')).toHaveLength(1)
})

test('使用微信头像昵称: an anonymous answer routes to the fill-in form', async () => {
  const page = await openLoggedIn()
  // prepareProfile on show fetched the code before the tap.
  await until(() => fake.control.loginCalls >= 2, 3000, 'code prefetched')

  inTap(() => page.instance.onUseWechatProfile())
  await answer('profile', 'confirm')
  await until(() => page.data.profilePrompt === 'anonymous', 3000, 'anonymous prompt')
  expect(fake.control.profileCalls).toBe(1)
  expect(exists(page, '#profile-form-box')).toBe(true)
  expect(text(page, '#profile-message')).toContain('请在下方填写')
  // Nothing was sent for an anonymous answer.
  expect(server.calls('POST /me/wechat-profile')).toHaveLength(0)

  // The form saves (through the kit), then emits `saved`.
  const form = page.querySelector('#profile-form')!
  await auth.saveProfile({ nickname: '小满' })
  form.dispatchEvent('saved', { detail: {} })
  await settle()
  expect(page.data.profilePrompt).toBeNull()
  expect(exists(page, '#profile-form-box')).toBe(false)
  expect(text(page, '#me-nickname')).toBe('小满')
  expect(text(page, '#profile-message')).toBe('资料已保存')
})

test('使用微信头像昵称: a refusal is remembered and the button offered again', async () => {
  const page = await openLoggedIn()
  inTap(() => page.instance.onUseWechatProfile())
  await answer('profile', 'cancel')
  await until(() => page.data.profilePrompt === 'refused', 3000, 'refused prompt')
  expect(exists(page, '#profile-refused')).toBe(true)
  expect(exists(page, '#use-wechat-profile')).toBe(true)
  expect(text(page, '#profile-message')).toContain('手动填写')
})

test('the phone number is bound and shown masked', async () => {
  const page = await openLoggedIn()
  await tapPhone(page, 'confirm')
  expect(server.calls('POST /me/phone')[0]!.data).toEqual({ code: 'phone-code-1' })
  expect(text(page, '#me-phone')).toBe('138****8000')
  expect(text(page, '#phone-message')).toBe('手机号已绑定')
  expect(auth.store.user?.phone).toBe('138****8000')
})

test('phone: clear messages for a refusal, a cancel and an exhausted quota', async () => {
  const page = await openLoggedIn()

  await tapPhone(page, 'cancel')
  expect(text(page, '#phone-message')).toContain('拒绝')
  expect(auth.store.lastError?.code).toBe('phone_denied')

  fake.control.setPhoneDismissal('getPhoneNumber:fail:user cancel')
  await tapPhone(page, 'cancel')
  expect(text(page, '#phone-message')).toBe('已取消绑定手机号')
  expect(auth.store.lastError?.code).toBe('phone_cancelled')

  fake.control.setPhoneQuota(0)
  await tapPhone(page, null)
  expect(text(page, '#phone-message')).toContain('上限')
  expect(auth.store.lastError?.code).toBe('phone_quota')

  expect(server.calls('POST /me/phone')).toHaveLength(0)
  expect(exists(page, '#me-phone-none')).toBe(true)
})

test('logout resets everything: session, store, storage, cart, page', async () => {
  const page = await openLoggedIn()
  await tapPhone(page, 'confirm')
  fake.control.setScope('scope.userLocation', true)
  await auth.refreshScopes()
  cart.add({ id: 'soy-milk', name: '现磨豆浆', price: 600 })
  const token = server.calls('POST /me/phone')[0]!.header.authorization
  expect(token).toMatch(/^Bearer /)

  await tap(page, '#logout-btn')
  // A confirmation first; cancelling keeps everything.
  await answer('modal', 'cancel')
  expect(auth.store.isLoggedIn).toBe(true)

  await tap(page, '#logout-btn')
  await answer('modal', 'confirm')
  await until(() => !page.data.isLoggedIn, 3000, 'logged out')
  await settle()

  expect(auth.store.status).toBe('anonymous')
  expect(auth.store.user).toBeNull()
  expect(auth.store.scopes).toEqual({})
  expect(auth.store.profilePrompt).toBeNull()
  expect(cart.count).toBe(0)
  expect(exists(page, '#me-anonymous')).toBe(true)
  expect(exists(page, '#me-phone')).toBe(false)
  expect(page.data.phoneMessage).toBe('')
  expect(calls.removeTabBarBadge?.length ?? 0).toBeGreaterThan(0)
  // The server session is revoked and nothing is left in storage.
  await until(() => server.calls('POST /auth/logout').length === 1, 3000, 'server logout')
  expect(server.calls('POST /auth/logout')[0]!.header.authorization).toBe(token)
  expect(server.sessions.size).toBe(0)
  expect([...fake.control.ctx.storage.keys()]).toEqual([])

  // The next protected call logs in again, silently (with the code prefetched after the logout).
  const logins = server.exchanges
  await listOrders()
  expect(server.exchanges - logins).toBe(1)
})
