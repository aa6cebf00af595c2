// Wires the fake wx (test/harness/wx) into the runtime: real clock, real HTTP to the test server
// with codes minted by its simulated WeChat, tap gestures, dialogs, and the open-type buttons'
// platform flows. Without a server (the runtime's own tests) the fake's defaults are used.
import { RealClock } from '../wx/clock'
import type { DialogAnswer, PendingDialog } from '../wx/dialogs'
import {
  httpRequestHandler,
  httpUploadHandler,
  simLoginCodeSource,
  simPhoneCodeSource,
  simProfileSource,
  type SimServer,
} from '../wx/http'
import { createFakeWx } from '../wx/index'
import type { OpenTypeFlows } from './builtins'
import type { RuntimeOptions } from './runtime'
import type { WxObject } from './wx-facade'

export interface BridgeOptions {
  server?: SimServer
  /** The test user (launch()'s `account`). */
  openid?: string
  /** getUserProfile answers anonymously, as base library ≥ 2.27.1 does (default true). */
  anonymousProfile?: boolean
}

export function createRuntimeWx(o: BridgeOptions = {}) {
  const openid = o.openid ?? 'o-headless-user'
  const server = o.server
  const fake = createFakeWx({
    clock: new RealClock(),
    ...(server
      ? {
          codeSource: simLoginCodeSource(server, openid),
          requestHandler: httpRequestHandler(server),
        }
      : {}),
  })
  const c = fake.control
  const profile = { anonymous: o.anonymousProfile ?? true }
  if (server) {
    c.setPhoneCodeSource(simPhoneCodeSource(server, openid))
    c.setProfileSource(simProfileSource(server, openid, () => profile.anonymous))
    c.setUploadHandler(httpUploadHandler(server))
  }
  const openTypes: OpenTypeFlows = {
    getPhoneNumber: async () => ({ ...(await c.tapPhoneButton()) }),
    getRealtimePhoneNumber: async () => ({ ...(await c.tapPhoneButton()) }),
    chooseAvatar: async () => {
      const picked = await c.chooseAvatar()
      // No event at all when the user cancels (platform doc): null tells builtins not to fire.
      return picked ? { ...picked } : null
    },
    openSetting: async () => ({ ...(await c.tapOpenSettingButton()) }),
    agreePrivacyAuthorization: (button) => {
      // Synchronous part: the platform learns the agree button was tapped before the app's
      // handlers (bindtap or bindagreeprivacyauthorization) call resolve().
      c.tapAgreePrivacy(button.id)
      return Promise.resolve({ errMsg: 'agreePrivacyAuthorization:ok' })
    },
  }
  const runtimeOptions: Pick<RuntimeOptions, 'wx' | 'runAsTap' | 'openTypes'> = {
    wx: fake.wx as unknown as WxObject,
    runAsTap: (fn) => c.runAsTap(fn),
    openTypes,
  }
  /** authorizeAllow on the settings page switches on every refused permission. */
  const beforeAnswer = (dialog: PendingDialog, answer: DialogAnswer): void => {
    if (dialog.kind !== 'settings' || answer !== 'confirm') return
    for (const [scope, granted] of Object.entries(c.authSetting))
      if (!granted) c.setScope(scope, true)
  }
  return { fake, dialogs: c.dialogs, runtimeOptions, profile, openid, beforeAnswer }
}
