// The Simplified Chinese message for every error code, shipped with the kit so its components and
// an adopter's pages show the same words without the app having to write them. An app extends the
// map (`{ ...defaultErrorMessages, network: '…' }`) or replaces it, and passes it to errorMessage.
import type { AuthErrorCode } from './types'

export type ErrorMessages = Readonly<Record<AuthErrorCode, string>>

export const defaultErrorMessages: ErrorMessages = {
  network: '网络不太稳定，请检查网络后重试',
  timeout: '请求超时，请稍后重试',
  http: '服务暂时不可用，请稍后重试',
  invalid_response: '网络异常，如在使用公共 Wi-Fi，请先完成网络登录后重试',
  login_failed: '登录失败，请稍后重试',
  login_loop: '登录过于频繁，请稍后点击重试',
  aborted: '操作已取消',
  scope_denied: '未获得授权',
  privacy_denied: '需要同意隐私保护指引后才能使用该功能',
  // errno 112 is the app's own configuration error: nothing the user agreed to or refused.
  privacy_undeclared: '该功能暂时无法使用，请稍后再试',
  subscribe_off: '你已关闭本小程序的消息通知，可在设置中重新开启',
  subscribe_unavailable: '订阅消息暂时无法使用，请稍后再试',
  gesture_required: '请点击按钮后重试',
  profile_denied: '你拒绝了使用微信头像昵称，可以手动填写',
  phone_denied: '你拒绝了授权手机号，需要时可以再次绑定',
  phone_cancelled: '已取消绑定手机号',
  phone_quota: '手机号验证服务今日额度已用完，请稍后再试',
  upload_failed: '头像上传失败，请重试',
  invalid_input: '输入有误，请检查后重试',
}

/** Shown for a rejection that is not one of the kit's errors. */
export const DEFAULT_FALLBACK_MESSAGE = '出了点问题，请稍后重试'

/** The kit's error code of a rejection, when it is one of the kit's errors; otherwise null. */
export function errorCode(e: unknown): AuthErrorCode | null {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
    const code = e.code
    return isAuthErrorCode(code) ? code : null
  }
  return null
}

function isAuthErrorCode(code: string): code is AuthErrorCode {
  return Object.prototype.hasOwnProperty.call(defaultErrorMessages, code)
}

/**
 * The message for a rejection: from `messages` (a code missing there falls back to the default
 * map), or `fallback` when the rejection is not one of the kit's errors.
 */
export function errorMessage(
  e: unknown,
  messages: Partial<Record<AuthErrorCode, string>> = defaultErrorMessages,
  fallback: string = DEFAULT_FALLBACK_MESSAGE,
): string {
  const code = errorCode(e)
  return code ? (messages[code] ?? defaultErrorMessages[code]) : fallback
}
