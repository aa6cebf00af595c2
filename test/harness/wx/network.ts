// Network conditions and the app's foreground/background life, scriptable by tests:
// offline periods, a captive portal, a header-stripping proxy, header-name case, slow links, and
// onHide/onShow with the platform's 5 s rule (wechat-platform.md §10: 5 s after the app goes to the
// background its JS is suspended, a request still running fails with `request:fail interrupted`,
// network APIs fail until the app is in the foreground again; timers are suspended meanwhile).
import type { FakeWxContext, FakeWxModule } from './context'
import type { CaptivePortal, HeaderCase } from './network-state'

type Listener = (res: Record<string, unknown>) => void

/** The base library suspends a backgrounded app's JS this long after onHide. */
export const SUSPEND_AFTER_MS = 5000

export function networkApis(ctx: FakeWxContext) {
  const state = ctx.network
  const showListeners = new Set<Listener>()
  const hideListeners = new Set<Listener>()
  let suspendTimer: number | undefined
  let onlineTimer: number | undefined
  const history: Array<{ at: number; event: string }> = []

  const note = (event: string) => history.push({ at: ctx.clock.now(), event })
  const cut = (reason: 'interrupted' | 'offline') => {
    for (const l of [...state.cutListeners]) l(reason)
  }

  const setOffline = (offline: boolean) => {
    if (onlineTimer !== undefined) ctx.clock.clearTimeout(onlineTimer)
    onlineTimer = undefined
    if (state.offline === offline) return
    state.offline = offline
    note(offline ? 'offline' : 'online')
    // the connections of requests in flight are lost with the network
    if (offline) cut('offline')
  }

  const wx = {
    onAppShow(fn: Listener) {
      showListeners.add(fn)
    },
    offAppShow(fn?: Listener) {
      if (fn) showListeners.delete(fn)
      else showListeners.clear()
    },
    onAppHide(fn: Listener) {
      hideListeners.add(fn)
    },
    offAppHide(fn?: Listener) {
      if (fn) hideListeners.delete(fn)
      else hideListeners.clear()
    },
  }

  const control = {
    /** Network off (true) or back (false); requests in flight fail when it goes. */
    setOffline,
    /** Offline now, back online after `ms` of clock time: a tunnel, a lift, a dead zone. */
    goOffline(ms: number) {
      setOffline(true)
      onlineTimer = ctx.clock.setTimeout(() => {
        onlineTimer = undefined
        setOffline(false)
      }, ms)
    },
    get offline() {
      return state.offline
    },
    /** A captive portal answers every request with its HTML page (status 200); null removes it. */
    setCaptivePortal(portal: CaptivePortal | null) {
      state.portal = portal
      note(portal ? 'portal' : 'no portal')
    },
    /** A proxy that drops every response header it does not know (X-Session-Token included). */
    setHeaderStripping(strips: boolean) {
      state.stripsUnknownHeaders = strips
    },
    /** Response header names as sent, lower-cased or upper-cased (devices differ). */
    setHeaderCase(c: HeaderCase) {
      state.headerCase = c
    },
    /** Every request and wx.login takes `ms` longer (clock time). */
    setLinkLatency(ms: number) {
      state.linkLatencyMs = ms
    },
    /** The user leaves the app: onAppHide fires; 5 s later JS is suspended. */
    hideApp() {
      if (state.hidden) return
      state.hidden = true
      note('hide')
      for (const l of [...hideListeners]) l({})
      suspendTimer = ctx.clock.setTimeout(() => {
        suspendTimer = undefined
        state.suspended = true
        note('suspended')
        cut('interrupted')
        ctx.clock.suspend?.()
      }, SUSPEND_AFTER_MS)
    },
    /** The user comes back: timers run again, network calls work, onAppShow fires. */
    showApp() {
      if (!state.hidden) return
      if (suspendTimer !== undefined) ctx.clock.clearTimeout(suspendTimer)
      suspendTimer = undefined
      state.hidden = false
      if (state.suspended) {
        state.suspended = false
        ctx.clock.resume?.()
      }
      note('show')
      for (const l of [...showListeners]) l({ path: '', query: {}, scene: 1001 })
    },
    get appHidden() {
      return state.hidden
    },
    get appSuspended() {
      return state.suspended
    },
    /** Every condition change, with its clock time. */
    get networkHistory(): ReadonlyArray<{ at: number; event: string }> {
      return history
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
