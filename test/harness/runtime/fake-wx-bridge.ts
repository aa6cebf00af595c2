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
    share: async (button) => {
      await c.dialogs.open('share', 'shareAppMessage', shareContent(button.id))
      // The platform tells the app nothing about the outcome (no success callback since 2.x).
      return null
    },
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

/**
 * What a share button shares: the current page's onShareAppMessage({from: 'button', target})
 * answer, over WeChat's defaults (the page's path, no title).
 * https://developers.weixin.qq.com/miniprogram/dev/reference/api/Page.html#onShareAppMessage-Object-object
 */
function shareContent(buttonId: string): Record<string, unknown> {
  const pages =
    (
      globalThis as { getCurrentPages?: () => Array<Record<string, unknown>> }
    ).getCurrentPages?.() ?? []
  const page = pages[pages.length - 1]
  const route = typeof page?.route === 'string' ? page.route : ''
  const onShare = page?.onShareAppMessage
  const answer: unknown =
    typeof onShare === 'function'
      ? (onShare as (o: unknown) => unknown).call(page, {
          from: 'button',
          target: { id: buttonId },
        })
      : undefined
  const content = typeof answer === 'object' && answer !== null ? answer : {}
  return { title: '', path: `/${route}`, ...content }
}
