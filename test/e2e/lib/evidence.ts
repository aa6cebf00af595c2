// Evidence a journey collects inside the app through mockWxMethod (works on DevTools too): how
// many wx.login calls ran, and which requests carried a token. Mocks pass every call through to
// the real API (`this.origin`). They are sent as source strings, never as transpiled functions.
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'

const COUNT_LOGINS = `function (o) {
  var app = getApp()
  app.__e2eLogins = (app.__e2eLogins || 0) + 1
  var origin = this.origin
  return new Promise(function (resolve, reject) {
    origin(Object.assign({}, o, { success: resolve, fail: reject }))
  })
}`

export async function countLogins(mp: MiniProgram): Promise<void> {
  await mp.evaluate('function () { getApp().__e2eLogins = 0 }')
  await mp.mockWxMethod('login', COUNT_LOGINS)
}

export async function loginCalls(mp: MiniProgram): Promise<number> {
  return (await mp.evaluate('function () { return getApp().__e2eLogins || 0 }')) as number
}

const OFFLINE_SWITCH = `function (o) {
  var app = getApp()
  if (app.__e2eOffline) {
    app.__e2eOfflineHits = (app.__e2eOfflineHits || 0) + 1
    return { errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' }
  }
  var origin = this.origin
  return new Promise(function (resolve) {
    origin(Object.assign({}, o, { success: resolve, fail: resolve }))
  })
}`

/** Puts wx.request behind a switch: while offline every request fails as with no network. */
export async function installNetworkSwitch(mp: MiniProgram): Promise<void> {
  await mp.mockWxMethod('request', OFFLINE_SWITCH)
}

export async function setOffline(mp: MiniProgram, offline: boolean): Promise<void> {
  await mp.evaluate(`function () { getApp().__e2eOffline = ${offline ? 'true' : 'false'} }`)
}

/** Requests refused while offline. */
export async function offlineHits(mp: MiniProgram): Promise<number> {
  return (await mp.evaluate('function () { return getApp().__e2eOfflineHits || 0 }')) as number
}
