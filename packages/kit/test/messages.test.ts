// The error messages that ship with the kit: what an app shows for each rejection, and how it
// extends or replaces the map (the built package, as the app gets it).
import {
  AuthKitError,
  DEFAULT_FALLBACK_MESSAGE,
  defaultErrorMessages,
  errorCode,
  errorMessage,
  type AuthErrorCode,
} from 'wx-login-kit'

const CODES: AuthErrorCode[] = [
  'network',
  'timeout',
  'http',
  'invalid_response',
  'login_failed',
  'login_loop',
  'aborted',
  'scope_denied',
  'privacy_denied',
  'privacy_undeclared',
  'subscribe_off',
  'subscribe_unavailable',
  'gesture_required',
  'profile_denied',
  'phone_denied',
  'phone_cancelled',
  'phone_quota',
  'upload_failed',
  'invalid_input',
]

test('every error code has a Simplified Chinese message, and nothing else does', () => {
  expect(Object.keys(defaultErrorMessages).sort()).toEqual([...CODES].sort())
  for (const code of CODES) expect(defaultErrorMessages[code]).toMatch(/[\u4e00-\u9fff]/)
})

test("a kit error gets its code's message; anything else gets the fallback", () => {
  const offline = new AuthKitError('network', 'request:fail')
  expect(errorCode(offline)).toBe('network')
  expect(errorMessage(offline)).toBe(defaultErrorMessages.network)
  expect(errorCode(new Error('boom'))).toBeNull()
  expect(errorMessage(new Error('boom'))).toBe(DEFAULT_FALLBACK_MESSAGE)
  expect(errorMessage({ code: 'not_a_kit_code' }, undefined, '稍后再试')).toBe('稍后再试')
})

test('an app extends the map: its own words win, the rest stay the defaults', () => {
  const messages = { ...defaultErrorMessages, network: '没有网络' }
  expect(errorMessage(new AuthKitError('network', 'x'), messages)).toBe('没有网络')
  expect(errorMessage(new AuthKitError('timeout', 'x'), messages)).toBe(
    defaultErrorMessages.timeout,
  )
})

test('an app replaces the map: a code it leaves out falls back to the default message', () => {
  const mine = { login_failed: '登录没有成功' }
  expect(errorMessage(new AuthKitError('login_failed', 'x'), mine)).toBe('登录没有成功')
  expect(errorMessage(new AuthKitError('aborted', 'x'), mine)).toBe(defaultErrorMessages.aborted)
})
