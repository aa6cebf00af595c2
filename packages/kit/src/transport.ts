import { AuthKitError } from './errors'
import type { ApiResponse, RequestOptions } from './types'

export type Resp = ApiResponse<unknown>
type Task = WechatMiniprogram.RequestTask

/** wx.request answers keep the server's header case; the kit reads them lower-cased. */
const lower = (h: Record<string, unknown> = {}) => {
  const r: Record<string, string> = {}
  for (const k in h) r[k.toLowerCase()] = String(h[k])
  return r
}

/**
 * Builds the wx.request options. The token goes only in Authorization, and only to our own
 * server (never to an absolute URL elsewhere); the code only in X-WX-Code.
 */
export const build = (base: string, o: RequestOptions, tok?: string, code?: string) => {
  const url = /^https?:/.test(o.url) ? o.url : base + o.url
  const header: Record<string, string> = { ...o.header }
  if (tok && !url.indexOf(base + '/')) header.Authorization = 'Bearer ' + tok
  if (code) header['X-WX-Code'] = code
  if (o.idempotencyKey) header['Idempotency-Key'] = o.idempotencyKey
  return {
    url,
    // PATCH is missing from the typings' union but passes through wx.request.
    method: (o.method || 'GET') as 'GET',
    data: o.data,
    header,
    timeout: o.timeoutMs,
  }
}

/** One wx.request as a promise. Non-2xx resolves (WeChat semantics); fail maps to a typed error. */
export const xfer = (opt: ReturnType<typeof build>, tasks: Set<Task>) =>
  new Promise<Resp>((res, rej) => {
    let done = 0
    // declared before the call: a synchronous settle (some fakes) must not hit a TDZ
    let t: Task | undefined
    // eslint-disable-next-line prefer-const
    t = wx.request({
      ...opt,
      success: (r) => {
        done = 1
        tasks.delete(t!)
        res({ data: r.data, statusCode: r.statusCode, header: lower(r.header) })
      },
      fail: ({ errMsg: m }) => {
        done = 1
        tasks.delete(t!)
        rej(
          new AuthKitError(
            /abort/.test(m) ? 'aborted' : /timeout|超时/.test(m) ? 'timeout' : 'network',
            m,
          ),
        )
      },
    })
    if (!done) tasks.add(t)
  })

/** Message and details of a non-2xx answer: `{error:{code,message}}` and Retry-After. */
export const info = (r: Resp): [string, Partial<AuthKitError>] => {
  const e = (r.data as { error?: { code?: string; message?: string } } | null)?.error
  const ra = +r.header['retry-after']
  return [
    (e && e.message) || 'HTTP ' + r.statusCode,
    {
      statusCode: r.statusCode,
      serverCode: e && e.code,
      retryAfterMs: ra >= 0 ? ra * 1000 : undefined,
    },
  ]
}
