import type { AuthKitError } from './errors'
import type { AuthErrorCode } from './types'

type Fail = (code: AuthErrorCode, message: string) => AuthKitError

/** The kit's only call of wx.login: a fresh single-use code, or a recorded 'login_failed'. */
export const wxLogin = (fail: Fail) =>
  new Promise<string>((res, rej) =>
    wx.login({
      success: (r) => (r.code ? res(r.code) : rej(fail('login_failed', 'login:fail no code'))),
      fail: (e) => rej(fail('login_failed', e.errMsg)),
    }),
  )

/** Loop breaker: true when one more login would exceed `max` within the last `perMs`. */
export const createBudget = (max: number, perMs: number) => {
  let at: number[] = []
  return {
    take(now: number) {
      at = at.filter((t) => t > now - perMs)
      return at.length < max && !!at.push(now)
    },
    reset: () => void (at = []),
    get used() {
      return at.length
    },
  }
}
