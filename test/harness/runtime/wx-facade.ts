// The `wx` global the mini-program sees: mocks installed by the automator (App.mockWxMethod) win,
// then the runtime's own APIs (routing, system info), then the fake wx, then harmless defaults
// for UI-only APIs the fake does not model (toast, loading, navigation bar …).
import { wxAsync } from '../wx/api'

export type WxObject = Record<string, unknown>

const UI_DEFAULTS = [
  'showToast',
  'hideToast',
  'showLoading',
  'hideLoading',
  'setNavigationBarTitle',
  'setNavigationBarColor',
  'showNavigationBarLoading',
  'hideNavigationBarLoading',
  'stopPullDownRefresh',
  'startPullDownRefresh',
  'vibrateShort',
  'vibrateLong',
  'setTabBarBadge',
  'removeTabBarBadge',
  'showTabBarRedDot',
  'hideTabBarRedDot',
  'pageScrollTo',
  'reportEvent',
  'reportAnalytics',
  'setClipboardData',
]

const SYSTEM_INFO = {
  brand: 'devtools',
  model: 'headless',
  pixelRatio: 2,
  screenWidth: 375,
  screenHeight: 667,
  windowWidth: 375,
  windowHeight: 667,
  statusBarHeight: 20,
  language: 'zh_CN',
  version: '8.0.5',
  system: 'Linux',
  platform: 'devtools',
  SDKVersion: '3.6.0',
  safeArea: { left: 0, right: 375, top: 20, bottom: 667, width: 375, height: 647 },
}

function defaults(): WxObject {
  const d: WxObject = {}
  for (const name of UI_DEFAULTS) d[name] = wxAsync(name, () => Promise.resolve({}))
  d.getSystemInfoSync = () => ({ ...SYSTEM_INFO })
  d.getSystemInfo = wxAsync('getSystemInfo', () => Promise.resolve({ ...SYSTEM_INFO }))
  d.getWindowInfo = () => ({ ...SYSTEM_INFO })
  d.getDeviceInfo = () => ({ ...SYSTEM_INFO })
  d.getAppBaseInfo = () => ({ SDKVersion: '3.6.0', version: '8.0.5', language: 'zh_CN' })
  d.getAccountInfoSync = () => ({
    miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' },
  })
  d.canIUse = () => true
  d.nextTick = (fn: () => void) => void Promise.resolve().then(fn)
  d.getLaunchOptionsSync = () => ({ path: '', query: {}, scene: 1001, referrerInfo: {} })
  d.getEnterOptionsSync = d.getLaunchOptionsSync
  for (const ev of [
    'AppShow',
    'AppHide',
    'Error',
    'UnhandledRejection',
    'PageNotFound',
    'NetworkStatusChange',
  ]) {
    d[`on${ev}`] = () => undefined
    d[`off${ev}`] = () => undefined
  }
  return d
}

export class WxFacade {
  private readonly mocks = new Map<string, unknown>()
  private readonly fallback = defaults()
  /** The object installed as the global `wx`. */
  readonly wx: WxObject

  constructor(
    private readonly base: WxObject,
    private readonly own: WxObject,
  ) {
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
