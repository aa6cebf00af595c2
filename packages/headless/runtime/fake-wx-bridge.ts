// Wires the fake wx (../wx) into the runtime: real clock, real HTTP routed by the
// network table (app origins → servers; with a test server, DevTools' http://127.0.0.1:3000 goes
// to it), login codes minted by a simulated WeChat (the test server's, or any URL given), tap
// gestures, dialogs, and the open-type buttons' platform flows. Without a server or routes (the
// runtime's own tests) the fake's canned network is used.
import { WxFail } from '../wx/api'
import { RealClock } from '../wx/clock'
import type { DialogAnswer, PendingDialog } from '../wx/dialogs'
import {
  httpRequestHandler,
  httpUploadHandler,
  simLoginCodeSource,
  simPhoneCodeSource,
  simProfileSource,
  simSubscribeAcceptReporter,
  DEFAULT_APP_ORIGINS,
  type SimServer,
} from '../wx/http'
import { tempFilesOf } from '../wx/file-system'
import { createFakeWx } from '../wx/index'
import { routedSocketUrl } from './wx-socket'
import { routeUrl, urlCodeSource, type NetworkRoutes } from '../wx/network-routes'
import type { FakeRequest } from '../wx/request'
import type { OpenTypeFlows } from './builtins'
import type { RuntimeOptions } from './runtime'
import type { WxObject } from './wx-facade'

export interface BridgeOptions {
  server?: SimServer
  /** The test user (launch()'s `account`). */
  openid?: string
  /** getUserProfile answers anonymously, as base library ≥ 2.27.1 does (default true). */
  anonymousProfile?: boolean
  /** App origin → server origin, over the defaults (DevTools' localhost:3000 → `server`). */
  routes?: NetworkRoutes
  /** A URL minting wx.login codes (POST { openid }); default: `server`'s /__sim/login-code. */
  loginCodeUrl?: string
}

/** The network table in force: the test server takes DevTools' develop origins. */
/** Why wx.request fails when neither a test server nor network routes were given. */
export const NO_NETWORK =
  'the headless runtime sends wx.request only to a test server (WX_SIM_SERVER) or through network routes (WX_SIM_ROUTES)'

export function networkRoutes(o: BridgeOptions): NetworkRoutes {
  const defaults: NetworkRoutes = {}
  if (o.server)
    for (const from of o.server.rewriteOrigins ?? DEFAULT_APP_ORIGINS)
      defaults[from] = o.server.origin.replace(/\/$/, '')
  return { ...defaults, ...o.routes }
}

export function createRuntimeWx(o: BridgeOptions = {}) {
  const openid = o.openid ?? 'o-headless-user'
  const server = o.server
  const routes = networkRoutes(o)
  const networked = server !== undefined || Object.keys(routes).length > 0
  // The routing is ours: the HTTP handlers below get URLs already routed, and rewrite nothing.
  const direct: SimServer = { origin: '', rewriteOrigins: [] }
  const routed = (req: FakeRequest): FakeRequest => ({ ...req, url: routeUrl(req.url, routes) })
  const request = httpRequestHandler(direct)
  const codeSource = o.loginCodeUrl
    ? urlCodeSource(o.loginCodeUrl, openid)
    : server
      ? simLoginCodeSource(server, openid)
      : undefined
  const fake = createFakeWx({
    clock: new RealClock(),
    ...(codeSource ? { codeSource } : {}),
    requestHandler: networked
      ? (req: FakeRequest) => request(routed(req))
      : (req: FakeRequest) => {
          // An app's own backend is unreachable here: say why, rather than the fake's generic word.
          throw new WxFail('request', `${req.url} is not reachable: ${NO_NETWORK}`)
        },
  })
  const c = fake.control
  const profile = { anonymous: o.anonymousProfile ?? true }
  if (server) {
    c.setPhoneCodeSource(simPhoneCodeSource(server, openid))
    c.setProfileSource(simProfileSource(server, openid, () => profile.anonymous))
    c.setSubscribeAcceptReporter(simSubscribeAcceptReporter(server, openid))
  }
  if (networked) {
    const upload = httpUploadHandler(direct)
    c.setUploadHandler((u) => upload({ ...u, url: routeUrl(u.url, routes) }))
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
  const runtimeOptions: Pick<
    RuntimeOptions,
    'wx' | 'runAsTap' | 'openTypes' | 'dialogs' | 'fetchBytes' | 'tempFiles' | 'socketUrl'
  > = {
    tempFiles: tempFilesOf(c.ctx),
    socketUrl: (url) => routedSocketUrl(url, (u) => routeUrl(u, routes)),
    wx: fake.wx as unknown as WxObject,
    runAsTap: (fn) => c.runAsTap(fn),
    openTypes,
    dialogs: c.dialogs,
    fetchBytes: async (url, header) => {
      const res = await fetch(routeUrl(url, routes), { headers: header })
      return { statusCode: res.status, bytes: new Uint8Array(await res.arrayBuffer()) }
    },
  }
  /** authorizeAllow on the settings page switches on every refused permission. */
  const beforeAnswer = (dialog: PendingDialog, answer: DialogAnswer): void => {
    if (dialog.kind !== 'settings' || answer !== 'confirm') return
    for (const [scope, granted] of Object.entries(c.authSetting))
      if (!granted) c.setScope(scope, true)
  }
  return { fake, dialogs: c.dialogs, runtimeOptions, profile, openid, beforeAnswer, routes }
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
