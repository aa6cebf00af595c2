import { AuthKitError } from './errors'

/**
 * The kit's only call of wx.login: a fresh single-use code. wx.login needs the network and may
 * never answer (platform doc §10), so it is bounded twice: by its own `timeout` option and by a
 * timer of the kit (base libraries before 1.9.90 ignore the option). A failure rejects
 * 'login_failed' with the platform's errMsg ('network' when the background interrupted it).
 */
export const fetchLoginCode = (timeoutMs: number) =>
  new Promise<string>((resolve, reject) => {
    // cut by the background (platform doc §10): an interruption, not a failed login
    const fail = (errMsg: string) =>
      reject(new AuthKitError(/interrupted/.test(errMsg) ? 'network' : 'login_failed', errMsg))
    const guard = setTimeout(() => fail('login:fail timeout'), timeoutMs)
    wx.login({
      timeout: timeoutMs,
      success: (r) => (r.code ? resolve(r.code) : fail('login:fail no code')),
      fail: (e) => fail(e.errMsg),
      complete: () => clearTimeout(guard),
    })
  })
