// wx.login and wx.checkSession: a fresh single-use code per call from a pluggable source,
// scriptable failures, latency, hangs and session validity, call counts for assertions.
// wx.login needs the network (platform doc §10): offline it fails with
// `login:fail -2:net::ERR_INTERNET_DISCONNECTED`; its `timeout` option (ms) bounds it, also when
// the answer never comes; a suspended (backgrounded) app's call is interrupted.
import { WxFail, wxAsync } from './api'
import type { FakeWxContext, FakeWxModule } from './context'
import { blockedReason } from './network-state'

export function loginApis(ctx: FakeWxContext) {
  let n = 0
  let source = ctx.options.codeSource ?? (() => `code-${++n}`)
  const failures: string[] = []
  let latencyMs = 0
  /** The next `hangs` calls never answer (only their `timeout` option ends them). */
  let hangs = 0
  let hangsForever = false
  let sessionValid = true
  const state = { loginCalls: 0, checkSessionCalls: 0, codes: [] as string[], pending: 0 }
  const net = ctx.network

  const wait = (ms: number) =>
    ms > 0 ? new Promise<void>((r) => ctx.clock.setTimeout(r, ms)) : Promise.resolve()

  /** The answer from WeChat's servers: a code, a scripted failure, or nothing at all. */
  const answer = async (waiting: () => boolean): Promise<{ code: string }> => {
    if (hangsForever || hangs > 0) {
      if (hangs > 0) hangs--
      return new Promise(() => undefined)
    }
    await wait(latencyMs + net.linkLatencyMs)
    const blocked = blockedReason(net)
    if (blocked) throw new WxFail('login', blocked)
    if (net.portal?.blocksLogin) throw new WxFail('login', '-202:net::ERR_CERT_AUTHORITY_INVALID')
    // a caller that gave up (timeout, interruption) gets no code minted for it
    if (!waiting()) throw new WxFail('login', 'timeout')
    const f = failures.shift()
    if (f !== undefined) throw new WxFail('login', f)
    const code = await source()
    state.codes.push(code)
    // a new code rotates the session_key, so checkSession is valid again
    sessionValid = true
    return { code }
  }

  const wx = {
    login: wxAsync('login', (o: { timeout?: number }) => {
      state.loginCalls++
      const blocked = blockedReason(net)
      if (blocked) return Promise.reject(new WxFail('login', blocked))
      state.pending++
      return new Promise<{ code: string }>((resolve, reject) => {
        let settled = false
        const finish = (f: () => void) => {
          if (settled) return
          settled = true
          state.pending--
          if (timer !== undefined) ctx.clock.clearTimeout(timer)
          net.cutListeners.delete(cut)
          f()
        }
        const cut = (why: 'interrupted' | 'offline') =>
          finish(() =>
            reject(
              new WxFail('login', why === 'interrupted' ? 'interrupted' : blockedReason(net)!),
            ),
          )
        net.cutListeners.add(cut)
        // wx.login's own `timeout` option (base library 1.9.90+) cuts a slow or lost answer short
        const timer =
          o.timeout !== undefined
            ? ctx.clock.setTimeout(
                () => finish(() => reject(new WxFail('login', 'timeout'))),
                o.timeout,
              )
            : undefined
        answer(() => !settled).then(
          (r) => finish(() => resolve(r)),
          (e: unknown) => finish(() => reject(e)),
        )
      })
    }),
    checkSession: wxAsync('checkSession', async (_o: object) => {
      state.checkSessionCalls++
      // the text varies on devices; this is the short form seen in the wild (platform doc §1)
      if (!sessionValid) throw new WxFail('checkSession', 'session time out, need relogin')
      return {}
    }),
  }

  const control = {
    /** wx.login calls so far (failed ones included). */
    get loginCalls() {
      return state.loginCalls
    },
    /** wx.login calls not answered yet. */
    get pendingLogins() {
      return state.pending
    },
    get checkSessionCalls() {
      return state.checkSessionCalls
    },
    /** Every code handed out, in order. */
    get codes(): readonly string[] {
      return state.codes
    },
    /** The next `times` wx.login calls fail with `login:fail <reason>`. */
    failLogin(reason = 'system error', times = 1) {
      for (let i = 0; i < times; i++) failures.push(reason)
    },
    /** Forgets the scripted failures not yet used. */
    clearLoginFailures() {
      failures.length = 0
    },
    setCodeSource(fn: () => Promise<string> | string) {
      source = fn
    },
    /** Delay (on ctx.clock) before wx.login answers. */
    setLoginLatency(ms: number) {
      latencyMs = ms
    },
    /** The next `times` wx.login calls never answer; only their `timeout` option ends them. */
    hangLogin(times = 1) {
      hangs += times
    },
    /** Every wx.login call from now on never answers (true) or answers again (false). */
    setLoginHanging(forever: boolean) {
      hangsForever = forever
      if (!forever) hangs = 0
    },
    setSessionValid(valid: boolean) {
      sessionValid = valid
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
