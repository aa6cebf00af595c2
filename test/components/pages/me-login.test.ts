// 我的 and login failures (issue 9, point 13): a failed login shows whether or not a session was
// held, with a retry that goes through auth.ensureLogin() (a user's action re-arms the kit), and
// any successful login clears it; logging out clears the page at once, while the server-side
// revoke is still on its way.
import { answer, exists, fake, server, settle, tap, text, until } from './helpers/env'
import { mePageUnderTest } from './helpers/me-page'
import { auth } from '../../../miniprogram/api/client'
import { listOrders } from '../../../miniprogram/api/orders'

const { open, openLoggedIn } = mePageUnderTest()

afterEach(() => jest.restoreAllMocks())

test('not logged in: a failed 登录 shows the failure and a retry; the retry logs in and clears it', async () => {
  const page = open()
  await settle()
  fake.control.failLogin('system error', 1)
  await tap(page, '#login-btn')
  await until(() => exists(page, '#login-error'), 3000, 'login error')
  expect(text(page, '#login-error-text')).toBe('登录失败，请稍后重试')
  expect(exists(page, '#me-anonymous')).toBe(true)

  const ensureLogin = jest.spyOn(auth, 'ensureLogin')
  await tap(page, '#login-retry')
  await until(() => page.data.isLoggedIn, 3000, 'logged in on retry')
  await settle()
  expect(ensureLogin).toHaveBeenCalled()
  expect(exists(page, '#login-error')).toBe(false)
  expect(exists(page, '#me-user')).toBe(true)
})

test('a session held: a failed silent re-login elsewhere shows here too, and a success clears it', async () => {
  const page = await openLoggedIn()
  expect(exists(page, '#login-error')).toBe(false)
  // The server drops the session; the renewal that a protected call starts fails.
  server.sessions.clear()
  fake.control.failLogin('system error', 1)
  await expect(listOrders()).rejects.toMatchObject({ code: 'login_failed' })
  await until(() => exists(page, '#login-error'), 3000, 'login error')
  expect(text(page, '#login-error-text')).toBe('登录失败，请稍后重试')

  await auth.ensureLogin()
  await until(() => !exists(page, '#login-error'), 3000, 'login error cleared')
})

test('a failed login from another page, while this one is open, is shown here as well', async () => {
  const page = open()
  await settle()
  fake.control.failLogin('system error', 1)
  await expect(listOrders()).rejects.toMatchObject({ code: 'login_failed' })
  await until(() => exists(page, '#login-error'), 3000, 'login error')
})

test('logging out clears the page at once, before the server has answered the revoke', async () => {
  const page = await openLoggedIn()
  const releaseRevoke = server.hold('POST /auth/logout')
  await tap(page, '#logout-btn')
  await answer('modal', 'confirm')
  await until(() => exists(page, '#me-anonymous'), 3000, 'page cleared')
  expect(exists(page, '#me-user')).toBe(false)
  expect(exists(page, '#logout-btn')).toBe(false)
  expect(fake.control.toast?.title).toBe('已退出登录')
  // the revoke was sent and is still waiting for its answer
  expect(server.calls('POST /auth/logout')).toHaveLength(1)
  expect(server.sessions.size).toBe(1)
  releaseRevoke()
  await until(() => server.sessions.size === 0, 3000, 'revoked')
})
