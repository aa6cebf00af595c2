/**
 * Login codes fetched ahead of need, so the first protected call does not wait for wx.login (a
 * call to WeChat's servers) before its own round trip.
 *
 * - Only while no session is held: a new code may replace the server's session_key (platform
 *   doc §1, checkSession: "可能会生成新的登录态session_key，从而使旧的 session_key 被顶替而失效").
 * - A code lives 5 minutes (wx.login's LoginSuccessCallbackResult: "有效期五分钟"); a held one is
 *   handed out only while younger than LOGIN_CODE_USABLE_MS, counted from when wx.login was
 *   called, and is refreshed then while the app is in the foreground. Nothing runs in the
 *   background.
 * - Frequency rule (api-frequency: "一天的调用总次数不多于该小程序 PV 的两倍，单用户一秒钟不能大于4次"):
 *   at most one prefetch in flight, none while a usable code is held, and attempts (failed ones
 *   included) at least LOGIN_CODE_USABLE_MS apart: at most 14 an hour in the foreground.
 * - A code is handed out once and then forgotten; a stale one is dropped. A login that finds a
 *   prefetch on its way waits for it (it is further along than a new wx.login would be); if it
 *   fails, the login asks wx.login itself, as it would have without prefetching.
 */
export const LOGIN_CODE_USABLE_MS = 270_000

export interface CodePrefetch {
  /** A code for a login: the held one if usable, else the prefetch on its way, else wx.login's. */
  take(): Promise<string>
  /**
   * Fetches a code now if none is held or coming, the app is shown and no session is held or
   * coming. `anew` (logout) first forgets the held or coming code.
   */
  prefetch(anew?: boolean): void
}

export const createCodePrefetch = (
  fetchCode: () => Promise<string>,
  /** True while no code is wanted (a session held, a login in flight, logins postponed). */
  sessionHeld: () => boolean,
): CodePrefetch => {
  let held: { code: string; at: number } | null = null
  /** The prefetch on its way, until a login claims it or a logout forgets it. */
  let pending: Promise<string> | null = null
  let shown = true
  let timer: ReturnType<typeof setTimeout> | undefined

  const usable = () => (held && Date.now() - held.at < LOGIN_CODE_USABLE_MS ? held : (held = null))

  /** The next prefetch, when the code asked for at `at` stops being usable. */
  const refreshAfter = (at: number) => {
    clearTimeout(timer!)
    if (!shown || sessionHeld()) return
    timer = setTimeout(() => prefetch(), at + LOGIN_CODE_USABLE_MS - Date.now())
    // A refresh must never keep a Node host (tests, tooling) alive; WeChat's timers have no unref.
    ;(timer as { unref?: () => void }).unref?.()
  }

  const prefetch = (anew?: boolean) => {
    if (anew) held = pending = null
    clearTimeout(timer!)
    if (!shown || pending || sessionHeld()) return
    const h = usable()
    if (h) return refreshAfter(h.at)
    const at = Date.now()
    const mine = (pending = fetchCode())
    mine
      .then(
        (code) => {
          // claimed by a login or forgotten by a logout while on its way, or a session arrived
          // meanwhile: not kept
          if (pending === mine && !sessionHeld()) held = { code, at }
        },
        () => {},
      )
      .then(() => {
        // one a login claimed or a logout forgot is no longer the pending one
        if (pending !== mine) return
        pending = null
        refreshAfter(at)
      })
  }

  const take = () => {
    const h = usable()
    held = null
    if (h) return Promise.resolve(h.code)
    const p = pending
    // claimed: no later login or prefetch result may take it
    pending = null
    return p ? p.catch(fetchCode) : fetchCode()
  }

  wx.onAppHide?.(() => {
    shown = false
    clearTimeout(timer!)
  })
  wx.onAppShow?.(() => {
    shown = true
    prefetch()
  })
  return { take, prefetch }
}
