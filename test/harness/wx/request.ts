// wx.request with WeChat's semantics, routed to a pluggable handler (an in-memory server in unit
// tests, real HTTP in the headless runtime). Every non-2xx answer still succeeds; `fail` means
// network error, timeout or abort. Latency and ordering come from ctx.clock.
import { WxFail, type WxFailResult } from './api'
import type { FakeWxContext, FakeWxModule } from './context'
import { blockedReason, DEFAULT_PORTAL_HTML, deliveredHeaders } from './network-state'

/** RequestOption.method in the typings (platform doc §10): no PATCH. */
export const REQUEST_METHODS = [
  'OPTIONS',
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'TRACE',
  'CONNECT',
] as const

/** What the handler (the "server") receives. */
export interface FakeRequest {
  /** Absolute URL; GET/HEAD data already turned into its query string. */
  url: string
  method: string
  /** Headers as sent, case preserved (look up with `headerOf`). */
  header: Record<string, string>
  /** The body as a server would parse it (JSON parsed when it is JSON); undefined for GET. */
  data: unknown
  /** The serialised body. */
  body: string | ArrayBuffer | undefined
  timeout: number
}

export interface FakeResponse {
  statusCode: number
  header?: Record<string, string>
  data?: unknown
}

/** Resolve with the answer, or throw (an Error or WxFail) for a network failure. */
export type RequestHandler = (req: FakeRequest) => Promise<FakeResponse> | FakeResponse

export interface RequestLogEntry extends FakeRequest {
  id: number
  /** Position in one sequence of sends and deliveries, for ordering assertions. */
  seq: number
  /** `seq` value when the caller's callback ran (undefined until then). */
  deliveredSeq?: number
  startedAt: number
  endedAt?: number
  /** Unsettled while undefined. */
  outcome?: 'ok' | 'fail'
  statusCode?: number
  errMsg?: string
  /** Where a captive portal redirected the request before answering with its page. */
  redirectedTo?: string
  /** Answered by a captive portal instead of the server. */
  byPortal?: boolean
}

export interface FakeRequestOption {
  url: string
  method?: string
  data?: unknown
  header?: Record<string, unknown>
  timeout?: number
  dataType?: string
  responseType?: string
  success?: (res: FakeRequestSuccess) => void
  fail?: (err: WxFailResult) => void
  complete?: (res: FakeRequestSuccess | WxFailResult) => void
}

export interface FakeRequestSuccess {
  data: unknown
  statusCode: number
  header: Record<string, string>
  cookies: string[]
  errMsg: string
}

export interface FakeRequestTask {
  abort(): void
  onHeadersReceived(fn: (r: { header: Record<string, string> }) => void): void
  offHeadersReceived(fn?: (r: { header: Record<string, string> }) => void): void
}

/** Case-insensitive header lookup (wx.request header names keep whatever case was sent). */
export function headerOf(h: Record<string, unknown> | undefined, name: string): string | undefined {
  const n = name.toLowerCase()
  for (const k of Object.keys(h ?? {})) if (k.toLowerCase() === n) return String(h![k])
  return undefined
}

const qs = (d: unknown): string =>
  typeof d === 'string'
    ? d
    : Object.entries((d ?? {}) as Record<string, unknown>)
        .map(([k, v]) => {
          const s = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)
          return `${encodeURIComponent(k)}=${encodeURIComponent(s)}`
        })
        .join('&')

const tryJson = (s: string): unknown => {
  try {
    return JSON.parse(s)
  } catch {
    return s
  }
}

export function requestApis(ctx: FakeWxContext) {
  const limit = ctx.options.maxConcurrentRequests ?? 10
  const overLimit = ctx.options.requestOverLimit ?? 'queue'
  let handler: RequestHandler =
    ctx.options.requestHandler ??
    (() => {
      throw new WxFail('request', 'no request handler')
    })
  const log: RequestLogEntry[] = []
  const waiting: Array<() => void> = []
  let running = 0
  let outstanding = 0
  let maxConcurrentSeen = 0
  let overLimitSeen = 0
  let nextId = 1
  let seq = 0

  const next = () => {
    while (running < limit && waiting.length) waiting.shift()!()
  }

  function request(o: FakeRequestOption): FakeRequestTask {
    const method = (o.method ?? 'GET').toUpperCase()
    const header: Record<string, string> = {}
    for (const [k, v] of Object.entries(o.header ?? {})) header[k] = String(v)
    if (headerOf(header, 'content-type') === undefined) header['content-type'] = 'application/json'
    let url = o.url
    let body: string | ArrayBuffer | undefined
    let data: unknown
    if (method === 'GET' || method === 'HEAD') {
      const q = o.data === undefined ? '' : qs(o.data)
      if (q) url += (url.includes('?') ? '&' : '?') + q
    } else if (o.data instanceof ArrayBuffer) {
      body = data = o.data
    } else if (o.data !== undefined) {
      const json = /json/i.test(headerOf(header, 'content-type')!)
      body = typeof o.data === 'string' ? o.data : json ? JSON.stringify(o.data) : qs(o.data)
      data = json ? tryJson(body) : body
    }
    const timeout = o.timeout ?? 60_000
    const entry: RequestLogEntry = {
      id: nextId++,
      seq: ++seq,
      url,
      method,
      header: { ...header },
      data,
      body,
      timeout,
      startedAt: ctx.clock.now(),
    }
    log.push(entry)

    let settled = false
    let started = false
    const net = ctx.network
    let start: (() => void) | undefined
    outstanding++
    maxConcurrentSeen = Math.max(maxConcurrentSeen, outstanding)

    const settle = (ok: FakeRequestSuccess | WxFailResult) => {
      if (settled) return
      settled = true
      outstanding--
      net.cutListeners.delete(cut)
      ctx.clock.clearTimeout(timer)
      if (started) running--
      else if (start) waiting.splice(waiting.indexOf(start), 1)
      next()
      entry.endedAt = ctx.clock.now()
      entry.errMsg = ok.errMsg
      if ('statusCode' in ok) {
        entry.outcome = 'ok'
        entry.statusCode = ok.statusCode
      } else entry.outcome = 'fail'
      // WeChat calls back asynchronously, never inside request() or abort()
      void Promise.resolve().then(() => {
        entry.deliveredSeq = ++seq
        if ('statusCode' in ok) o.success?.(ok)
        else o.fail?.(ok)
        o.complete?.(ok)
      })
    }
    const failWith = (reason: string) => settle({ errMsg: `request:fail ${reason}` })
    /** Suspension or a lost network ends a running request at once. */
    const cut = (why: 'interrupted' | 'offline') =>
      failWith(why === 'interrupted' ? 'interrupted' : blockedReason(net)!)

    const timer = ctx.clock.setTimeout(() => failWith('timeout'), timeout)

    /** The handler's answer, or the portal's page when a captive portal is in the way. */
    const answer = async (req: FakeRequest): Promise<FakeResponse> => {
      if (net.linkLatencyMs > 0)
        await new Promise((r) => ctx.clock.setTimeout(() => r(undefined), net.linkLatencyMs))
      const portal = net.portal
      if (!portal) return handler(req)
      entry.byPortal = true
      if (portal.redirectTo) entry.redirectedTo = portal.redirectTo
      return {
        statusCode: 200,
        header: { 'Content-Type': 'text/html; charset=utf-8' },
        data: portal.html ?? DEFAULT_PORTAL_HTML,
      }
    }

    const run = () => {
      started = true
      running++
      const blocked = blockedReason(net)
      if (blocked) {
        failWith(blocked)
        return
      }
      net.cutListeners.add(cut)
      const req: FakeRequest = { url, method, header: { ...header }, data, body, timeout }
      Promise.resolve()
        .then(() => answer(req))
        .then(
          (r) => {
            let d = r.data
            if (typeof d === 'string' && (o.dataType ?? 'json') === 'json') d = tryJson(d)
            // the answer crosses a wire: callers get a copy, never the handler's objects
            else if (d !== undefined && !(d instanceof ArrayBuffer))
              d = JSON.parse(JSON.stringify(d))
            settle({
              data: d ?? '',
              statusCode: r.statusCode,
              header: deliveredHeaders(net, { ...r.header }),
              cookies: [],
              errMsg: 'request:ok',
            })
          },
          (e: unknown) =>
            settle(
              e instanceof WxFail
                ? e.toResult()
                : { errMsg: `request:fail ${e instanceof Error ? e.message : String(e)}` },
            ),
        )
    }

    if (!(REQUEST_METHODS as readonly string[]).includes(method)) failWith('method is invalid')
    else if (running < limit) run()
    else {
      overLimitSeen++
      if (overLimit === 'fail') failWith('exceed max task count')
      else waiting.push((start = run))
    }

    return {
      abort: () => failWith('abort'),
      onHeadersReceived: () => undefined,
      offHeadersReceived: () => undefined,
    }
  }

  const wx = { request }
  const control = {
    /** Every request, in call order, with a snapshot of its headers and its outcome. */
    get requests(): readonly RequestLogEntry[] {
      return log
    },
    /** Most requests ever outstanding at once (issued by the app and not yet settled). */
    get maxConcurrentSeen() {
      return maxConcurrentSeen
    },
    /** Requests issued and not yet settled. */
    get inFlight() {
      return outstanding
    },
    /** Requests that found WeChat's limit full (queued or failed, per requestOverLimit). */
    get overLimitSeen() {
      return overLimitSeen
    },
    setHandler(h: RequestHandler) {
      handler = h
    },
    /** Resolves after `ms` of ctx.clock time: handlers await it to simulate latency. */
    delay(ms: number): Promise<void> {
      return new Promise((r) => ctx.clock.setTimeout(r, ms))
    },
    /** Forgets the log and the concurrency high-water mark. */
    clearRequests() {
      log.length = 0
      maxConcurrentSeen = outstanding
      overLimitSeen = 0
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
