// <navigator url open-type delta>: a tap routes as the component's documentation says. open-type
// navigate (the default), redirect, switchTab, reLaunch and navigateBack call the route API of
// that name (a relative url resolves from the current page, as the route APIs do); `exit` and
// target="miniProgram" need the WeChat client and do nothing here. A route that fails (a page
// that does not exist, a full page stack) is reported as DevTools reports it, with its errMsg.
import type { ExparserNode } from './exparser'
import { attribute } from './tree'

export type RouteApi = 'navigateTo' | 'redirectTo' | 'switchTab' | 'reLaunch' | 'navigateBack'

/** Calls a route API with WeChat's options; resolves with nothing, rejects with the wx failure. */
export type Route = (api: RouteApi, options: { url?: string; delta?: number }) => Promise<void>

const ROUTE_OF_OPEN_TYPE: Record<string, RouteApi> = {
  navigate: 'navigateTo',
  redirect: 'redirectTo',
  switchTab: 'switchTab',
  reLaunch: 'reLaunch',
  navigateBack: 'navigateBack',
}

/** The route a tap on this navigator takes, or undefined when it takes none here. */
export function navigatorRoute(
  navigator: ExparserNode,
): { api: RouteApi; options: { url?: string; delta?: number } } | undefined {
  if (attribute(navigator, 'target') === 'miniProgram') return undefined
  const openType = attribute(navigator, 'open-type')
  const api = ROUTE_OF_OPEN_TYPE[typeof openType === 'string' && openType ? openType : 'navigate']
  if (!api) return undefined
  if (api === 'navigateBack') {
    const delta = Number(attribute(navigator, 'delta') ?? 1)
    return { api, options: { delta: Number.isFinite(delta) && delta > 0 ? delta : 1 } }
  }
  const url = attribute(navigator, 'url')
  if (typeof url !== 'string' || url === '') return undefined
  return { api, options: { url } }
}
