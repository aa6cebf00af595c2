// The common wx APIs an app calls at start or on a tap that the fake wx (../wx) does
// not model: device and window info, the menu button, network type, update manager, animations,
// selector queries, action sheet, image preview, address, phone call, payment, download,
// clipboard, vibration and `wx.env`. Each keeps WeChat's calling convention and its parameter
// checks where an app would notice (a missing `phoneNumber` fails as in WeChat); what only the
// device decides (the network type, whether an update is waiting, the address the user picks,
// how a payment ends) comes from a `DeviceConfig` a test can set (and App.mockWxMethod still
// overrides any single call). The state they leave behind (clipboard, calls made, images
// previewed) is readable through `DeviceState` for assertions.
// Values: the iPhone 6/7/8 profile DevTools simulates by default (375 × 667, pixel ratio 2, capsule
// 87 × 32 at top 24), https://developers.weixin.qq.com/miniprogram/dev/api/ui/menu/wx.getMenuButtonBoundingClientRect.html
import { wxAsync, WxFail } from '../wx/api'
import type { TempFiles } from '../wx/file-system'
import type { Dialogs } from '../wx/dialogs'
import { createAnimation } from './wx-animation'
import { deviceExtraApis, type OpenedLocation, type ScanResult } from './wx-device-extras'
import { createInnerAudioContext } from './wx-inner-audio'

export type WxObject = Record<string, unknown>

export interface DeviceConfig {
  /** Merged over the default system info (getSystemInfo*, getWindowInfo, getDeviceInfo …). */
  systemInfo: Record<string, unknown>
  menuButton: {
    width: number
    height: number
    top: number
    right: number
    bottom: number
    left: number
  }
  networkType: 'wifi' | '2g' | '3g' | '4g' | '5g' | 'unknown' | 'none'
  /** What the update manager reports: no update, an update that downloads, or one that fails. */
  update: 'none' | 'ready' | 'failed'
  /** chooseAddress: the address the user picks, or 'cancel'. */
  address: Record<string, string> | 'cancel'
  /** requestPayment: how the payment ends once the user pays (confirms the sheet, if there is one). */
  payment: 'ok' | 'cancel' | 'fail'
  /** showActionSheet, once confirmed (or without a dialog owner): the index tapped, or 'cancel'. */
  actionSheet: number | 'cancel'
  /** scanCode: the code the user scans, or 'cancel' (WeChat's `scanCode:fail cancel`). */
  scanCode: ScanResult | 'cancel'
  env: { USER_DATA_PATH: string }
}

export const DEFAULT_SYSTEM_INFO = {
  brand: 'devtools',
  model: 'iPhone 6/7/8',
  pixelRatio: 2,
  screenWidth: 375,
  screenHeight: 667,
  windowWidth: 375,
  windowHeight: 667,
  statusBarHeight: 20,
  language: 'zh_CN',
  version: '8.0.5',
  system: 'iOS 10.0.1',
  platform: 'devtools',
  fontSizeSetting: 16,
  SDKVersion: '3.6.0',
  benchmarkLevel: 1,
  theme: 'light',
  deviceOrientation: 'portrait',
  safeArea: { left: 0, right: 375, top: 20, bottom: 667, width: 375, height: 647 },
}

export const DEFAULT_DEVICE: DeviceConfig = {
  systemInfo: {},
  menuButton: { width: 87, height: 32, top: 24, right: 368, bottom: 56, left: 281 },
  networkType: 'wifi',
  update: 'none',
  address: {
    userName: '张三',
    postalCode: '510000',
    provinceName: '广东省',
    cityName: '广州市',
    countyName: '海珠区',
    streetName: '新港中路街道',
    detailInfoNew: '新港中路397号',
    detailInfo: '新港中路397号',
    nationalCode: '510000',
    telNumber: '020-81167888',
  },
  payment: 'ok',
  actionSheet: 0,
  scanCode: 'cancel',
  env: { USER_DATA_PATH: 'http://usr' },
}

type NetworkListener = (res: { isConnected: boolean; networkType: string }) => void

/** What the app did through these APIs, for a test to read. */
export class DeviceState {
  clipboard = ''
  readonly phoneCalls: string[] = []
  readonly previews: Array<{ current: string; urls: string[] }> = []
  readonly vibrations: Array<'short' | 'long'> = []
  readonly payments: Array<Record<string, unknown>> = []
  /** wx.openLocation calls: the places the app showed on the map. */
  readonly openedLocations: OpenedLocation[] = []
  readonly downloads: Array<{ url: string; tempFilePath: string; bytes: Uint8Array }> = []
  readonly networkListeners = new Set<NetworkListener>()
  constructor(public config: DeviceConfig) {}

  /** The device's network changes: getNetworkType answers it and listeners hear it. */
  setNetworkType(type: DeviceConfig['networkType']): void {
    this.config = { ...this.config, networkType: type }
    for (const l of [...this.networkListeners])
      l({ isConnected: type !== 'none', networkType: type })
  }
}

export interface DeviceDeps {
  /**
   * System dialogs (showActionSheet and requestPayment's sheet wait there like showModal); none:
   * config.actionSheet and config.payment.
   */
  dialogs?: Dialogs
  /** A selector query over the current page (selector-query.ts). */
  createSelectorQuery: () => unknown
  createIntersectionObserver: (options?: unknown) => unknown
  /** Where downloadFile keeps what it fetched (the fake wx's file store, file-system.ts). */
  tempFiles: TempFiles
  /** GET a URL over the app's network (downloadFile). */
  fetchBytes: (
    url: string,
    header: Record<string, string>,
  ) => Promise<{ statusCode: number; bytes: Uint8Array }>
}

export function requireString(api: string, o: Record<string, unknown>, name: string): string {
  const v = o[name]
  if (typeof v !== 'string')
    throw new WxFail(
      api,
      `parameter error: parameter.${name} should be String instead of ${v === undefined ? 'Undefined' : typeof v}`,
    )
  return v
}

export function deviceApis(state: DeviceState, deps: DeviceDeps): WxObject {
  const c = (): DeviceConfig => state.config
  const systemInfo = (): Record<string, unknown> => ({ ...DEFAULT_SYSTEM_INFO, ...c().systemInfo })
  const pick = (keys: string[]) => (): Record<string, unknown> => {
    const info = systemInfo()
    return Object.fromEntries(keys.filter((k) => k in info).map((k) => [k, info[k]]))
  }
  const wx: WxObject = {
    ...deviceExtraApis(() => c().scanCode, state.openedLocations),
    createInnerAudioContext: () => createInnerAudioContext(),
    getSystemInfoSync: systemInfo,
    getSystemInfo: wxAsync('getSystemInfo', () => Promise.resolve(systemInfo())),
    getSystemInfoAsync: wxAsync('getSystemInfoAsync', () => Promise.resolve(systemInfo())),
    getWindowInfo: pick([
      'pixelRatio',
      'screenWidth',
      'screenHeight',
      'windowWidth',
      'windowHeight',
      'statusBarHeight',
      'safeArea',
    ]),
    getDeviceInfo: pick(['brand', 'model', 'system', 'platform', 'benchmarkLevel', 'pixelRatio']),
    getAppBaseInfo: pick(['SDKVersion', 'version', 'language', 'theme', 'fontSizeSetting']),
    getSystemSetting: () => ({
      bluetoothEnabled: false,
      locationEnabled: true,
      wifiEnabled: c().networkType === 'wifi',
      deviceOrientation: 'portrait',
    }),
    getMenuButtonBoundingClientRect: () => ({ ...c().menuButton }),
    getNetworkType: wxAsync('getNetworkType', () =>
      Promise.resolve({ networkType: c().networkType, signalStrength: 0, hasSystemProxy: false }),
    ),
    onNetworkStatusChange: (fn: unknown) => {
      if (typeof fn === 'function') state.networkListeners.add(fn as NetworkListener)
    },
    offNetworkStatusChange: (fn?: unknown) => {
      if (typeof fn === 'function') state.networkListeners.delete(fn as NetworkListener)
      else state.networkListeners.clear()
    },
    getUpdateManager: () => updateManager(c().update),
    createAnimation: (o?: Record<string, unknown>) => createAnimation(o),
    createSelectorQuery: () => deps.createSelectorQuery(),
    createIntersectionObserver: (_component?: unknown, options?: unknown) =>
      deps.createIntersectionObserver(options),
    showActionSheet: wxAsync('showActionSheet', async (o: Record<string, unknown>) => {
      const items = o.itemList
      if (!Array.isArray(items) || items.length === 0)
        throw new WxFail('showActionSheet', 'parameter error: parameter.itemList should be Array')
      if (items.length > 6)
        throw new WxFail('showActionSheet', 'parameter error: itemList should not be large than 6')
      if (deps.dialogs) {
        const answer = await deps.dialogs.open('actionsheet', 'showActionSheet', {
          itemList: items,
        })
        if (answer === 'cancel') throw new WxFail('showActionSheet', 'cancel')
      }
      // Confirmed (or no dialog to answer): the configured item is tapped, or the sheet cancelled.
      if (c().actionSheet === 'cancel') throw new WxFail('showActionSheet', 'cancel')
      const index = c().actionSheet
      return { tapIndex: typeof index === 'number' ? Math.min(index, items.length - 1) : 0 }
    }),
    previewImage: wxAsync('previewImage', async (o: Record<string, unknown>) => {
      const urls = o.urls
      if (!Array.isArray(urls) || urls.length === 0)
        throw new WxFail('previewImage', 'parameter error: parameter.urls should be Array')
      const current = typeof o.current === 'string' ? o.current : String(urls[0])
      state.previews.push({ current, urls: urls.map(String) })
      return {}
    }),
    chooseAddress: wxAsync('chooseAddress', async () => {
      const a = c().address
      if (a === 'cancel') throw new WxFail('chooseAddress', 'cancel')
      return { ...a }
    }),
    makePhoneCall: wxAsync('makePhoneCall', async (o: Record<string, unknown>) => {
      state.phoneCalls.push(requireString('makePhoneCall', o, 'phoneNumber'))
      return {}
    }),
    requestPayment: wxAsync('requestPayment', async (o: Record<string, unknown>) => {
      for (const k of ['timeStamp', 'nonceStr', 'package', 'paySign'])
        requireString('requestPayment', o, k)
      const { success: _s, fail: _f, complete: _c, ...order } = o
      state.payments.push(order)
      if (deps.dialogs) {
        // WeChat's payment sheet: it pays when confirmed; closing it (the automator's
        // native().closePaymentDialog()) fails the call with 'cancel', as on a phone.
        const answer = await deps.dialogs.open('payment', 'requestPayment', {
          package: order.package,
          signType: order.signType ?? 'MD5',
        })
        if (answer !== 'confirm') throw new WxFail('requestPayment', 'cancel')
      }
      // The user went on to pay (or there is no sheet to answer): `payment` says how it ends.
      if (c().payment === 'cancel') throw new WxFail('requestPayment', 'cancel')
      if (c().payment === 'fail') throw new WxFail('requestPayment', 'payment failed')
      return {}
    }),
    downloadFile: wxAsync('downloadFile', async (o: Record<string, unknown>) => {
      const url = requireString('downloadFile', o, 'url')
      const header = (o.header ?? {}) as Record<string, string>
      let res: { statusCode: number; bytes: Uint8Array }
      try {
        res = await deps.fetchBytes(url, header)
      } catch (e) {
        throw new WxFail('downloadFile', e instanceof Error ? e.message : String(e))
      }
      const ext = /\.([a-z0-9]{1,5})(?:[?#]|$)/i.exec(url)?.[1] ?? 'tmp'
      // With filePath the file is written there (the user data folder), not as a temp file.
      if (typeof o.filePath === 'string') {
        deps.tempFiles.write(o.filePath, res.bytes)
        state.downloads.push({ url, tempFilePath: o.filePath, bytes: res.bytes })
        return { filePath: o.filePath, statusCode: res.statusCode }
      }
      const tempFilePath = deps.tempFiles.save(res.bytes, ext)
      state.downloads.push({ url, tempFilePath, bytes: res.bytes })
      return { tempFilePath, statusCode: res.statusCode }
    }),
    setClipboardData: wxAsync('setClipboardData', async (o: Record<string, unknown>) => {
      state.clipboard = requireString('setClipboardData', o, 'data')
      return {}
    }),
    getClipboardData: wxAsync('getClipboardData', () => Promise.resolve({ data: state.clipboard })),
    vibrateShort: wxAsync('vibrateShort', async () => {
      state.vibrations.push('short')
      return {}
    }),
    vibrateLong: wxAsync('vibrateLong', async () => {
      state.vibrations.push('long')
      return {}
    }),
  }
  Object.defineProperty(wx, 'env', { enumerable: true, get: () => ({ ...c().env }) })
  return wx
}

type Callback = (res: Record<string, unknown>) => void

/** wx.getUpdateManager(): the check runs after launch; `ready`/`failed` follow a found update. */
function updateManager(update: DeviceConfig['update']): Record<string, unknown> {
  const later = (fn: () => void): void => void setTimeout(fn, 0)
  return {
    onCheckForUpdate: (cb: Callback) => later(() => cb({ hasUpdate: update !== 'none' })),
    onUpdateReady: (cb: Callback) => {
      if (update === 'ready') later(() => cb({}))
    },
    onUpdateFailed: (cb: Callback) => {
      if (update === 'failed') later(() => cb({}))
    },
    applyUpdate: () => undefined,
  }
}
