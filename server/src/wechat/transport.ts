// How the WeChat client reaches api.weixin.qq.com (or the simulated WeChat): one request in,
// the HTTP status and the raw body text out. Parsing and error mapping are the client's job.

export interface WeChatTransportRequest {
  method: 'GET' | 'POST'
  /** Path on api.weixin.qq.com, e.g. '/sns/jscode2session'. */
  path: string
  query: Record<string, string>
  /** JSON body for POST requests (serialized by the transport). */
  body?: unknown
  timeoutMs: number
}

export interface WeChatTransportResponse {
  status: number
  text: string
}

export type WeChatTransport = (req: WeChatTransportRequest) => Promise<WeChatTransportResponse>

/**
 * A transport failure (no HTTP answer). Its message never contains the URL, because the query
 * carries secrets (appid secret, access_token, js_code).
 */
export class WeChatTransportError extends Error {
  readonly kind: 'timeout' | 'network'
  /** A system error code such as 'ECONNREFUSED' when known. */
  readonly causeCode: string | null
  constructor(kind: 'timeout' | 'network', causeCode: string | null = null) {
    super(kind === 'timeout' ? 'WeChat request timed out' : 'WeChat request failed (network)')
    this.name = 'WeChatTransportError'
    this.kind = kind
    this.causeCode = causeCode
  }
}

function errorCode(e: unknown): string | null {
  if (typeof e !== 'object' || e === null) return null
  const own = (e as { code?: unknown }).code
  if (typeof own === 'string') return own
  const cause = (e as { cause?: unknown }).cause
  if (typeof cause === 'object' && cause !== null) {
    const code = (cause as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return null
}

function isTimeout(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    ((e as { name?: unknown }).name === 'TimeoutError' ||
      (e as { name?: unknown }).name === 'AbortError')
  )
}

/** The real transport: global fetch with a per-request timeout (AbortSignal.timeout). */
export function httpTransport(baseUrl = 'https://api.weixin.qq.com'): WeChatTransport {
  const base = baseUrl.replace(/\/+$/, '')
  return async (req) => {
    const qs = new URLSearchParams(req.query).toString()
    const url = `${base}${req.path}${qs ? `?${qs}` : ''}`
    const headers: Record<string, string> = { accept: 'application/json' }
    const init: RequestInit = {
      method: req.method,
      headers,
      signal: AbortSignal.timeout(req.timeoutMs),
    }
    if (req.body !== undefined) {
      headers['content-type'] = 'application/json'
      init.body = JSON.stringify(req.body)
    }
    try {
      const res = await fetch(url, init)
      const text = await res.text()
      return { status: res.status, text }
    } catch (e) {
      if (isTimeout(e)) throw new WeChatTransportError('timeout', null)
      throw new WeChatTransportError('network', errorCode(e))
    }
  }
}
