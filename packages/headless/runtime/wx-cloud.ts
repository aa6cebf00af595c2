// `wx.cloud` (云开发) needs WeChat's cloud environment, which a headless run does not have. Apps
// commonly call `wx.cloud.init()` in App.onLaunch without checking for it; on the platform wx.cloud
// always exists (base library ≥ 2.2.3), so leaving it undefined would crash such an app at launch
// for a reason that has nothing to do with the test. Instead `init` succeeds and does nothing,
// and every cloud call fails in WeChat's shape with a message that names the limitation:
// callbacks get `cloud.<api>:fail …`, the Promise form rejects with it, and the synchronous
// `database()` throws it.
import { wxAsync, WxFail } from '../wx/api'

const REASON = 'cloud development (wx.cloud) is not supported by the headless runtime'

const ASYNC_APIS = [
  'callFunction',
  'callContainer',
  'uploadFile',
  'downloadFile',
  'getTempFileURL',
  'deleteFile',
] as const

function unsupported(api: string): (o?: object) => Promise<object> | undefined {
  return wxAsync(`cloud.${api}`, () => Promise.reject(new WxFail(`cloud.${api}`, REASON)))
}

function cloudApis(): Record<string, unknown> {
  const apis: Record<string, unknown> = { init: () => undefined }
  for (const api of ASYNC_APIS) apis[api] = unsupported(api)
  apis.database = () => {
    throw new Error(`wx.cloud.database: ${REASON}`)
  }
  return apis
}

/** The `wx.cloud` object; `new wx.cloud.Cloud(options)` (a second environment) behaves alike. */
export function wxCloud(): Record<string, unknown> {
  const cloud = cloudApis()
  cloud.Cloud = function Cloud(this: Record<string, unknown>) {
    Object.assign(this, cloudApis())
  }
  return cloud
}
