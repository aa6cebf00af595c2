// User-facing messages (Simplified Chinese) for the kit's typed errors.
import type { AuthErrorCode } from '../auth/types'

const MESSAGES: Record<AuthErrorCode, string> = {
  network: '网络不太稳定，请检查网络后重试',
  timeout: '请求超时，请稍后重试',
  http: '服务暂时不可用，请稍后重试',
  invalid_response: '网络异常，如在使用公共 Wi-Fi，请先完成网络登录后重试',
  login_failed: '登录失败，请稍后重试',
  login_loop: '登录过于频繁，请稍后点击重试',
  aborted: '操作已取消',
  scope_denied: '未获得授权',
  privacy_denied: '需要同意隐私保护指引后才能使用该功能',
  gesture_required: '请点击按钮后重试',
  profile_denied: '你拒绝了使用微信头像昵称，可以手动填写',
  phone_denied: '你拒绝了授权手机号，需要时可以再次绑定',
  phone_cancelled: '已取消绑定手机号',
  phone_quota: '手机号验证服务今日额度已用完，请稍后再试',
  upload_failed: '头像上传失败，请重试',
  invalid_input: '输入有误，请检查后重试',
}

/** The kit's error code of a rejection, when it is one of the kit's errors. */
export function errorCode(e: unknown): AuthErrorCode | null {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
    const code = e.code
    return isAuthErrorCode(code) ? code : null
  }
  return null
}

function isAuthErrorCode(code: string): code is AuthErrorCode {
  return Object.prototype.hasOwnProperty.call(MESSAGES, code)
}

export function errorMessage(e: unknown, fallback = '出了点问题，请稍后重试'): string {
  const code = errorCode(e)
  return code ? MESSAGES[code] : fallback
}
