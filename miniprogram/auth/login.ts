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

/**
 * Loop breaker. It counts refusals: logins whose fresh token the server then answered with 401.
 * With `max` of them in the last `perMs` it trips; it re-arms `perMs` after tripping, or on reset.
 * Entries dated in the future (the device clock moved back) are ignored.
 */
export const createLoopBreaker = (max: number, perMs: number) => {
  let refusals: number[] = []
  let trippedAt: number | null = null
  const breaker = {
    recordRefusal(now: number) {
      refusals.push(now)
    },
    /** Whether a login may run now; `onTrip` runs when this check trips it. */
    allows(now: number, onTrip: (refusals: number) => void) {
      if (trippedAt !== null && (now - trippedAt >= perMs || now < trippedAt)) breaker.reset()
      refusals = refusals.filter((at) => at <= now && at > now - perMs)
      if (trippedAt === null && refusals.length >= max) {
        trippedAt = now
        onTrip(refusals.length)
      }
      return trippedAt === null
    },
    get tripped() {
      return trippedAt !== null
    },
    reset() {
      refusals = []
      trippedAt = null
    },
  }
  return breaker
}
