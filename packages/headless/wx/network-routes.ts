// Where the app under test's network goes: a table of app origins → the servers that answer for
// them (e.g. { "https://api.shop.example": "http://127.0.0.1:4000" }), so any app's backend can
// be pointed at a local one without touching the app. URLs whose origin is not in the table go out
// unchanged. And a login-code source for any backend: a URL (a simulated WeChat's control route)
// that mints a wx.login code for the test user, POSTed { openid } and answering { code } or the
// code as plain text.
export type NetworkRoutes = Record<string, string>

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** Validates a routes table (from JSON): every key and value must be an http(s) origin. */
export function parseRoutes(value: unknown, source = 'routes'): NetworkRoutes {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${source}: expected an object of "app origin": "server origin"`)
  const out: NetworkRoutes = {}
  for (const [from, to] of Object.entries(value as Record<string, unknown>)) {
    const fromOrigin = originOf(from)
    const toOrigin = typeof to === 'string' ? originOf(to) : undefined
    if (!fromOrigin || !/^https?:/.test(fromOrigin))
      throw new Error(`${source}: "${from}" is not an http(s) origin`)
    if (!toOrigin || typeof to !== 'string' || !/^https?:/.test(toOrigin))
      throw new Error(`${source}: "${String(to)}" (for ${from}) is not an http(s) URL`)
    out[fromOrigin] = to.replace(/\/+$/, '')
  }
  return out
}

/** The URL the request really goes to. A target may carry a path prefix. */
export function routeUrl(url: string, routes: NetworkRoutes): string {
  const origin = originOf(url)
  if (!origin) return url
  const target = routes[origin]
  return target === undefined ? url : target + url.slice(origin.length)
}

/** wx.login codes minted by POSTing { openid } to `url`. */
export function urlCodeSource(url: string, openid: string): () => Promise<string> {
  return async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid }),
    })
    const text = await res.text()
    if (!res.ok)
      throw new Error(`login code source ${url}: HTTP ${res.status} ${text.slice(0, 200)}`)
    let code: unknown = text.trim()
    if (text.trim().startsWith('{')) code = (JSON.parse(text) as { code?: unknown }).code
    if (typeof code !== 'string' || code === '')
      throw new Error(`login code source ${url}: no code in the answer`)
    return code
  }
}
