// Device APIs public mini-programs call on a tap that nothing on a Linux box can really do: open
// the map app, scan a code, hide the keyboard, jump to another mini-program. Each keeps WeChat's
// calling convention and errMsg; what the user would do on the phone (the code scanned) comes
// from DeviceConfig, and what the app asked for (the location opened) is kept in DeviceState.
// https://developers.weixin.qq.com/miniprogram/dev/api/device/scan/wx.scanCode.html
// https://developers.weixin.qq.com/miniprogram/dev/api/location/wx.openLocation.html
// https://developers.weixin.qq.com/miniprogram/dev/api/navigate/wx.navigateToMiniProgram.html
import { wxAsync, WxFail } from '../wx/api'

export type WxObject = Record<string, unknown>

/** What wx.scanCode answers: the code the user scans. */
export interface ScanResult {
  result: string
  scanType: string
  charSet: string
  path?: string
  rawData?: string
}

export interface OpenedLocation {
  latitude: number
  longitude: number
  name?: string
  address?: string
  scale?: number
}

/** Why wx.navigateToMiniProgram always fails here. */
export const NO_OTHER_MINI_PROGRAM =
  'the headless runtime runs one mini-program and cannot open another'

function requireNumber(api: string, o: Record<string, unknown>, name: string): number {
  const v = o[name]
  if (typeof v !== 'number' || Number.isNaN(v))
    throw new WxFail(
      api,
      `parameter error: parameter.${name} should be Number instead of ${v === undefined ? 'Undefined' : typeof v}`,
    )
  return v
}

export function deviceExtraApis(
  scanCode: () => ScanResult | 'cancel',
  openedLocations: OpenedLocation[],
): WxObject {
  return {
    openLocation: wxAsync('openLocation', async (o: Record<string, unknown>) => {
      const opened: OpenedLocation = {
        latitude: requireNumber('openLocation', o, 'latitude'),
        longitude: requireNumber('openLocation', o, 'longitude'),
      }
      if (typeof o.name === 'string') opened.name = o.name
      if (typeof o.address === 'string') opened.address = o.address
      if (typeof o.scale === 'number') opened.scale = o.scale
      openedLocations.push(opened)
      return {}
    }),
    scanCode: wxAsync('scanCode', async () => {
      const answer = scanCode()
      if (answer === 'cancel') throw new WxFail('scanCode', 'cancel')
      return { ...answer }
    }),
    hideKeyboard: wxAsync('hideKeyboard', () => Promise.resolve({})),
    navigateToMiniProgram: wxAsync('navigateToMiniProgram', () =>
      Promise.reject(new WxFail('navigateToMiniProgram', NO_OTHER_MINI_PROGRAM)),
    ),
    arrayBufferToBase64: (buffer: unknown) =>
      buffer instanceof ArrayBuffer ? Buffer.from(buffer).toString('base64') : '',
    base64ToArrayBuffer: (base64: unknown) => {
      const bytes = Buffer.from(typeof base64 === 'string' ? base64 : '', 'base64')
      // A copy: Node's small Buffers share one pooled ArrayBuffer.
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    },
  }
}
