import { AuthKitError } from './errors'
import type { ApiResponse, RequestOptions } from './types'

export type Response = ApiResponse<unknown>
type RequestTask = WechatMiniprogram.RequestTask

/** What a request carries to our own server: the session token, or a fresh login code. */
export interface Credentials {
  token?: string
  code?: string
}

/** A scheme (https:) or a protocol-relative start (//): not a path of ours to join. */
const ABSOLUTE_URL = /^(\w+:|\/\/)/

const trimSlashes = (s: string) => s.replace(/\/+$/, '')

/** A path joined to baseUrl whatever its slashes; an absolute URL is kept as it is. */
export const joinUrl = (baseUrl: string, url: string) =>
  ABSOLUTE_URL.test(url) ? url : trimSlashes(baseUrl) + '/' + url.replace(/^\/+/, '')

/**
 * Whether `url` is `baseUrl` or below it: the only place the token and login codes may go. What
 * follows the base must start a path, query or fragment, so `https://api.test.evil.com`,
 * `https://api.test@evil.com` and `https://api.test:8443` are not under `https://api.test`.
 */
export const isUnderBase = (baseUrl: string, url: string) => {
  const base = trimSlashes(baseUrl).toLowerCase()
  const target = url.toLowerCase()
  return target.startsWith(base) && /^([/?#]|$)/.test(target.slice(base.length))
}

/** wx.request has no PATCH and no other method than these (platform doc §10). */
export const isIdempotent = (o: RequestOptions) =>
  !!o.idempotencyKey || /^(GET|HEAD|PUT|DELETE|OPTIONS)$/.test(o.method || 'GET')

/** The wx.request options. The token goes only in Authorization, the code only in X-WX-Code. */
export const buildRequest = (
  url: string,
  o: RequestOptions,
  credentials: Credentials,
  timeoutMs: number,
) => {
  const header: Record<string, string> = { ...o.header }
  if (credentials.token) header.Authorization = 'Bearer ' + credentials.token
  if (credentials.code) header['X-WX-Code'] = credentials.code
  if (o.idempotencyKey) header['Idempotency-Key'] = o.idempotencyKey
  return {
    url,
    method: (o.method || 'GET') as 'GET',
    data: o.data,
    header,
    timeout: timeoutMs,
  }
}

/** Header names arrive in whatever case the server or the client stack wrote them. */
const lowerCaseNames = (header: Record<string, unknown> = {}) => {
  const lowered: Record<string, string> = {}
  for (const name in header) lowered[name.toLowerCase()] = String(header[name])
  return lowered
}

const failureCode = (errMsg: string) =>
  /abort/.test(errMsg) ? 'aborted' : /timeout|超时/.test(errMsg) ? 'timeout' : 'network'

/** One wx.request as a promise: any HTTP answer resolves (WeChat semantics), `fail` rejects typed. */
export const sendRequest = (options: ReturnType<typeof buildRequest>, tasks: Set<RequestTask>) =>
  new Promise<Response>((resolve, reject) => {
    let settled = false
    // declared before the call: a fake that settles synchronously must not hit a TDZ
    let task: RequestTask | undefined
    // eslint-disable-next-line prefer-const
    task = wx.request({
      ...options,
      success: (r) => {
        settled = true
        tasks.delete(task!)
        resolve({ data: r.data, statusCode: r.statusCode, header: lowerCaseNames(r.header) })
      },
      fail: ({ errMsg }) => {
        settled = true
        tasks.delete(task!)
        reject(new AuthKitError(failureCode(errMsg), errMsg))
      },
    })
    if (!settled) tasks.add(task)
  })

/** The app went to the background and the platform cut the request (`request:fail interrupted`). */
export const isInterruption = (e: AuthKitError) => /interrupted/.test(e.message)

export const isSuccess = (r: Response) => r.statusCode >= 200 && r.statusCode < 300

/**
 * A body wx.request could not parse as JSON stays a string (platform doc §10): a captive portal's
 * or a gateway's HTML page. An empty body (204) is fine.
 */
export const hasUnparsedBody = (r: Response) =>
  typeof r.data === 'string' && /\S/.test(r.data) && !/json/i.test(r.header['content-type'] || '')

/** Retry-After in ms, from delta-seconds or an HTTP-date; undefined when absent or past. */
export const retryAfterMs = (r: Response) => {
  const value = r.header['retry-after'] || ''
  const ms = /^\d+$/.test(value) ? +value * 1000 : Date.parse(value) - Date.now()
  return ms > 0 ? ms : undefined
}

/** The typed error of an answer the kit does not accept: non-2xx, or a 2xx that is not JSON. */
export const responseError = (r: Response, code: 'http' | 'invalid_response' | 'login_failed') => {
  const error = (r.data as { error?: { code?: string; message?: string } } | null)?.error
  return new AuthKitError(code, (error && error.message) || 'HTTP ' + r.statusCode, {
    statusCode: r.statusCode,
    serverCode: error && error.code,
    retryAfterMs: retryAfterMs(r),
  })
}
