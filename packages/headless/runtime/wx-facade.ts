// The `wx` global the mini-program sees: mocks installed by the automator (App.mockWxMethod) win,
// then the runtime's own APIs (routing), then the fake wx, then the device APIs (wx-device.ts)
// and harmless defaults for UI-only APIs nobody models (navigation bar, tab bar badges …), and a
// wx.cloud whose calls fail clearly (wx-cloud.ts).
// wx.canIUse answers from what this object really has (wx-can-i-use.ts).
import { wxAsync } from '../wx/api'
import { canIUse } from './wx-can-i-use'
import { wxCloud } from './wx-cloud'

export type WxObject = Record<string, unknown>

const UI_DEFAULTS = [
  'showToast',
  'hideToast',
  'showLoading',
  'hideLoading',
  'setNavigationBarColor',
  'showNavigationBarLoading',
  'hideNavigationBarLoading',
  'stopPullDownRefresh',
  'setTabBarBadge',
  'removeTabBarBadge',
  'showTabBarRedDot',
  'hideTabBarRedDot',
  'pageScrollTo',
  'reportEvent',
  'reportAnalytics',
  'showShareMenu',
  'hideShareMenu',
  'setBackgroundColor',
  'setBackgroundTextStyle',
  'hideHomeButton',
  'setKeepScreenOn',
  'setEnableDebug',
]

/**
 * The log APIs apps call at launch: wx.getLogManager() and wx.getRealtimeLogManager() write to
 * the console (which the automator client hears), wx.reportMonitor records nothing.
 */
function loggers(): WxObject {
  const logManager = {
    log: (...a: unknown[]) => console.log(...a),
    info: (...a: unknown[]) => console.info(...a),
    warn: (...a: unknown[]) => console.warn(...a),
    debug: (...a: unknown[]) => console.debug(...a),
  }
  const realtime = {
    info: (...a: unknown[]) => console.info(...a),
    warn: (...a: unknown[]) => console.warn(...a),
    error: (...a: unknown[]) => console.error(...a),
    setFilterMsg: () => undefined,
    addFilterMsg: () => undefined,
    in: () => realtime,
  }
  return {
    getLogManager: () => logManager,
    getRealtimeLogManager: () => realtime,
    reportMonitor: () => undefined,
  }
}

function defaults(): WxObject {
  const d: WxObject = {}
  for (const name of UI_DEFAULTS) d[name] = wxAsync(name, () => Promise.resolve({}))
  d.getAccountInfoSync = () => ({
    miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' },
  })
  d.nextTick = (fn: () => void) => void Promise.resolve().then(fn)
  d.cloud = wxCloud()
  Object.assign(d, loggers())
  return d
}

export class WxFacade {
  private readonly mocks = new Map<string, unknown>()
  private readonly fallback: WxObject
  /** The object installed as the global `wx`. */
  readonly wx: WxObject

  constructor(
    private readonly base: WxObject,
    private readonly own: WxObject,
    device: WxObject = {},
  ) {
    this.fallback = { ...defaults(), ...device }
    Object.defineProperties(this.fallback, Object.getOwnPropertyDescriptors(device))
    this.fallback.canIUse = (schema: unknown) => canIUse(schema, (name) => this.has(name))
    const lookup = (name: string): unknown =>
      this.mocks.has(name) ? this.mocks.get(name) : this.original(name)
    const keys = (): string[] => [
      ...new Set([
        ...Object.keys(this.fallback),
        ...Object.keys(this.base),
        ...Object.keys(this.own),
        ...this.mocks.keys(),
      ]),
    ]
    this.wx = new Proxy<WxObject>(
      {},
      {
        get: (_t, name) => (typeof name === 'string' ? lookup(name) : undefined),
        has: (_t, name) => typeof name === 'string' && lookup(name) !== undefined,
        ownKeys: () => keys(),
        getOwnPropertyDescriptor: (_t, name) =>
          typeof name === 'string' && lookup(name) !== undefined
            ? { configurable: true, enumerable: true, writable: false, value: lookup(name) }
            : undefined,
        set: () => false,
      },
    )
  }

  /** The implementation without mocks (what `this.origin` is inside a mock). */
  original(name: string): unknown {
    if (name in this.own) return this.own[name]
    if (name in this.base) return this.base[name]
    return this.fallback[name]
  }

  mock(name: string, impl: unknown): void {
    this.mocks.set(name, impl)
  }

  restore(name: string): void {
    this.mocks.delete(name)
  }

  has(name: string): boolean {
    return this.mocks.has(name) || this.original(name) !== undefined
  }
}
