// The conditions a phone's network and app lifecycle impose on every network API of the fake wx
// (wx.request, wx.login). Scripted through the `network` module's controls; read by request.ts and
// login.ts. Platform facts: wechat-platform.md §10 (background, wx.login needs the network,
// non-JSON answers, header case).

/** A captive portal (hotel or airport Wi-Fi): every request is answered by the portal's page. */
export interface CaptivePortal {
  /** The portal first redirects (302) to this URL; the request follows it (redirect: 'follow'). */
  redirectTo?: string
  /** The HTML page served with status 200; a default login page when omitted. */
  html?: string
  /** wx.login fails too (TLS to WeChat intercepted); by default it still gets through. */
  blocksLogin?: boolean
}

export type HeaderCase = 'as-sent' | 'lower' | 'upper'

export interface NetworkState {
  offline: boolean
  portal: CaptivePortal | null
  /** A proxy on the way drops every response header it does not know (X-Session-Token, ...). */
  stripsUnknownHeaders: boolean
  /** How response header names reach the app (iOS, Android, DevTools and HTTP/2 differ). */
  headerCase: HeaderCase
  /** Extra delay (ms, on ctx.clock) of every request and wx.login: a slow link. */
  linkLatencyMs: number
  /** onHide happened and onShow not yet. */
  hidden: boolean
  /** 5 s after onHide: JS suspended, running requests interrupted, network calls fail. */
  suspended: boolean
  /** Called when in-flight network work must end now (suspension, connection lost). */
  cutListeners: Set<(reason: 'interrupted' | 'offline') => void>
}

export const createNetworkState = (): NetworkState => ({
  offline: false,
  portal: null,
  stripsUnknownHeaders: false,
  headerCase: 'as-sent',
  linkLatencyMs: 0,
  hidden: false,
  suspended: false,
  cutListeners: new Set(),
})

/** errMsg reasons, as devices report them (platform doc §10; Android's net:: form). */
export const OFFLINE_REASON = '-2:net::ERR_INTERNET_DISCONNECTED'
export const INTERRUPTED_REASON = 'interrupted'

export const DEFAULT_PORTAL_HTML =
  '<!DOCTYPE html><html><head><title>Wi-Fi 登录</title></head>' +
  '<body><form action="/portal/login">请先登录 Wi-Fi</form></body></html>'

/** Headers a header-stripping proxy keeps: the standard ones, never an application's X-*. */
const STANDARD_HEADERS = new Set([
  'content-type',
  'content-length',
  'content-encoding',
  'cache-control',
  'date',
  'etag',
  'expires',
  'last-modified',
  'location',
  'retry-after',
  'server',
  'set-cookie',
  'vary',
  'connection',
])

/** Response headers as they reach the app under the current conditions. */
export function deliveredHeaders(
  state: NetworkState,
  header: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(header)) {
    if (state.stripsUnknownHeaders && !STANDARD_HEADERS.has(name.toLowerCase())) continue
    const shown =
      state.headerCase === 'lower'
        ? name.toLowerCase()
        : state.headerCase === 'upper'
          ? name.toUpperCase()
          : name
    out[shown] = value
  }
  return out
}

/** Why a network call cannot start now, or undefined when it can. */
export function blockedReason(state: NetworkState): string | undefined {
  if (state.suspended) return INTERRUPTED_REASON
  if (state.offline) return OFFLINE_REASON
  return undefined
}
