// wx.login and wx.checkSession: a fresh single-use code per call from a pluggable source,
// scriptable failures and session validity, call counts for assertions.
import { WxFail, wxAsync } from './api'
import type { FakeWxContext, FakeWxModule } from './context'

export function loginApis(ctx: FakeWxContext) {
  let n = 0
  let source = ctx.options.codeSource ?? (() => `code-${++n}`)
  const failures: string[] = []
  let latencyMs = 0
  let sessionValid = true
  const state = { loginCalls: 0, checkSessionCalls: 0, codes: [] as string[] }

  const wait = (ms: number) =>
    ms > 0 ? new Promise<void>((r) => ctx.clock.setTimeout(r, ms)) : Promise.resolve()

  const wx = {
    login: wxAsync('login', async (o: { timeout?: number }) => {
      state.loginCalls++
      // wx.login's own `timeout` option (base library 1.9.90+) cuts a slow answer short
      if (o.timeout !== undefined && o.timeout < latencyMs) {
        await wait(o.timeout)
        throw new WxFail('login', 'timeout')
      }
      await wait(latencyMs)
      const f = failures.shift()
      if (f !== undefined) throw new WxFail('login', f)
      const code = await source()
      state.codes.push(code)
      // a new code rotates the session_key, so checkSession is valid again
      sessionValid = true
      return { code }
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
    setCodeSource(fn: () => Promise<string> | string) {
      source = fn
    },
    /** Delay (on ctx.clock) before wx.login answers. */
    setLoginLatency(ms: number) {
      latencyMs = ms
    },
    setSessionValid(valid: boolean) {
      sessionValid = valid
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
