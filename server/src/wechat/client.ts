// The WeChat server API client: code2Session, phone codes, checkSessionKey and a stable
// access_token cache. See design.md "The server's contract" and wechat-platform.md §2, §3, §5, §8.

import type { Logger } from 'pino'
import { sessionKeySignature } from './crypto'
import { ACCESS_TOKEN_ERRCODES, parseRid } from './errors'
import { WeChatTransportError, type WeChatTransport } from './transport'
import {
  WeChatApiError,
  type Code2SessionResult,
  type PhoneInfo,
  type SubscribeMessage,
  type WeChatApi,
  type WeChatClient,
} from './types'

export interface WeChatClientOptions {
  appid: string
  secret: string
  transport: WeChatTransport
  now?: () => number
  log?: Logger
  /** Per-request timeout, default 5000 ms. */
  timeoutMs?: number
  /** Refresh the access_token this long before it expires (default 5 minutes). */
  tokenMarginMs?: number
  /** Codes remembered as seen: at most `max` (default 10000), each for `ttlMs` (default 10 min). */
  seenCodes?: { max?: number; ttlMs?: number }
}

/** A short, non-secret prefix of a code or token for logs. */
export function redact(value: string): string {
  return value.length <= 6 ? '***' : `${value.slice(0, 4)}…`
}

type Json = Record<string, unknown>

interface CachedToken {
  token: string
  /** When to stop using it (expiry minus the margin). */
  refreshAt: number
}

interface SeenCode {
  /** errcode to answer locally: 40163 (exchanged or used) or 40029 (WeChat said invalid). */
  errcode: 40163 | 40029
  until: number
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function createWeChatClient(opts: WeChatClientOptions): WeChatClient {
  const { appid, secret, transport } = opts
  const now = opts.now ?? Date.now
  const log = opts.log
  const timeoutMs = opts.timeoutMs ?? 5000
  const marginMs = opts.tokenMarginMs ?? 5 * 60_000
  const seenMax = opts.seenCodes?.max ?? 10_000
  const seenTtlMs = opts.seenCodes?.ttlMs ?? 10 * 60_000

  const inflightCodes = new Map<string, Promise<Code2SessionResult>>()
  const seenCodes = new Map<string, SeenCode>()
  let cachedToken: CachedToken | null = null
  let refreshing: Promise<string> | null = null

  function remember(code: string, errcode: SeenCode['errcode']): void {
    seenCodes.delete(code)
    seenCodes.set(code, { errcode, until: now() + seenTtlMs })
    while (seenCodes.size > seenMax) {
      const oldest = seenCodes.keys().next().value
      if (oldest === undefined) break
      seenCodes.delete(oldest)
    }
  }

  function seen(code: string): SeenCode | null {
    const entry = seenCodes.get(code)
    if (!entry) return null
    if (entry.until <= now()) {
      seenCodes.delete(code)
      return null
    }
    return entry
  }

  /** One call: transport, HTTP status, JSON, errcode. Returns the parsed success body. */
  async function call(
    api: WeChatApi,
    req: { method: 'GET' | 'POST'; path: string; query: Record<string, string>; body?: unknown },
  ): Promise<Json> {
    let res: { status: number; text: string }
    try {
      res = await transport({ ...req, timeoutMs })
    } catch (e) {
      const kind = e instanceof WeChatTransportError ? e.kind : 'network'
      log?.warn({ api, kind }, 'wechat request failed')
      throw new WeChatApiError(api, -1, kind === 'timeout' ? 'request timed out' : 'network error')
    }
    if (res.status !== 200) {
      log?.warn({ api, status: res.status }, 'wechat answered a non-200 status')
      throw new WeChatApiError(api, -1, `http status ${res.status}`)
    }
    let body: unknown
    try {
      body = JSON.parse(res.text)
    } catch {
      body = undefined
    }
    if (!isObject(body)) {
      log?.warn({ api }, 'wechat answered malformed JSON')
      throw new WeChatApiError(api, -1, 'malformed response')
    }
    const errcode = body.errcode === undefined || body.errcode === null ? 0 : Number(body.errcode)
    if (!Number.isInteger(errcode)) {
      throw new WeChatApiError(api, -1, 'malformed response')
    }
    if (errcode !== 0) {
      const errmsg = typeof body.errmsg === 'string' ? body.errmsg : ''
      const rid = parseRid(errmsg)
      log?.warn({ api, errcode, rid }, 'wechat answered an error')
      throw new WeChatApiError(api, errcode, errmsg, rid)
    }
    return body
  }

  function malformed(api: WeChatApi): WeChatApiError {
    log?.warn({ api }, 'wechat answered an unexpected body')
    return new WeChatApiError(api, -1, 'malformed response')
  }

  async function exchange(code: string): Promise<Code2SessionResult> {
    const started = now()
    const body = await call('jscode2session', {
      method: 'GET',
      path: '/sns/jscode2session',
      query: { appid, secret, js_code: code, grant_type: 'authorization_code' },
    })
    const { openid, session_key: sessionKey, unionid } = body
    if (typeof openid !== 'string' || openid === '' || typeof sessionKey !== 'string') {
      throw malformed('jscode2session')
    }
    log?.debug({ api: 'jscode2session', code: redact(code), ms: now() - started }, 'code exchanged')
    return { openid, sessionKey, unionid: typeof unionid === 'string' && unionid ? unionid : null }
  }

  function code2Session(code: string): Promise<Code2SessionResult> {
    if (typeof code !== 'string' || code === '') {
      return Promise.reject(new WeChatApiError('jscode2session', 41008, 'missing code'))
    }
    const pending = inflightCodes.get(code)
    if (pending) {
      log?.debug({ code: redact(code) }, 'code exchange coalesced')
      return pending
    }
    const known = seen(code)
    if (known) {
      log?.info({ code: redact(code), errcode: known.errcode }, 'code seen before; not sent')
      return Promise.reject(
        new WeChatApiError(
          'jscode2session',
          known.errcode,
          known.errcode === 40163 ? 'code been used (seen before by this server)' : 'invalid code',
        ),
      )
    }
    const p = exchange(code).then(
      (result) => {
        remember(code, 40163)
        inflightCodes.delete(code)
        return result
      },
      (e: unknown) => {
        if (e instanceof WeChatApiError && (e.errcode === 40163 || e.errcode === 40029)) {
          remember(code, e.errcode)
        }
        inflightCodes.delete(code)
        throw e
      },
    )
    inflightCodes.set(code, p)
    return p
  }

  async function fetchToken(): Promise<string> {
    const requestedAt = now()
    const body = await call('stable_token', {
      method: 'POST',
      path: '/cgi-bin/stable_token',
      query: {},
      body: { grant_type: 'client_credential', appid, secret, force_refresh: false },
    })
    const token = body.access_token
    const expiresIn = Number(body.expires_in)
    if (
      typeof token !== 'string' ||
      token === '' ||
      !Number.isFinite(expiresIn) ||
      expiresIn <= 0
    ) {
      throw malformed('stable_token')
    }
    const lifetimeMs = expiresIn * 1000
    // Use it until `margin` before expiry, but at least half its remaining life (stable_token
    // can answer a token with as little as 300 s left).
    const useFor = Math.max(lifetimeMs - marginMs, lifetimeMs / 2)
    cachedToken = { token, refreshAt: requestedAt + useFor }
    log?.info({ expiresIn, token: redact(token) }, 'access_token refreshed')
    return token
  }

  function getAccessToken(): Promise<string> {
    if (cachedToken && now() < cachedToken.refreshAt) return Promise.resolve(cachedToken.token)
    if (!refreshing) {
      refreshing = fetchToken().finally(() => {
        refreshing = null
      })
    }
    return refreshing
  }

  /** Drops the stored token only if it is the one that failed (compare-and-invalidate). */
  function invalidate(failed: string): boolean {
    if (cachedToken && cachedToken.token === failed) {
      cachedToken = null
      return true
    }
    return false
  }

  /** Calls an access_token API; on 40001/40014/42001 refreshes (if still stored) and replays once. */
  async function withAccessToken<T>(
    api: WeChatApi,
    run: (token: string) => Promise<T>,
  ): Promise<T> {
    const token = await getAccessToken()
    try {
      return await run(token)
    } catch (e) {
      if (!(e instanceof WeChatApiError) || !ACCESS_TOKEN_ERRCODES.has(e.errcode)) throw e
      const dropped = invalidate(token)
      log?.info({ api, errcode: e.errcode, dropped }, 'access_token rejected; replaying once')
      const fresh = await getAccessToken()
      return run(fresh)
    }
  }

  async function getPhoneNumber(code: string, openid?: string): Promise<PhoneInfo> {
    if (typeof code !== 'string' || code === '') {
      throw new WeChatApiError('getuserphonenumber', 41008, 'missing code')
    }
    const body = await withAccessToken('getuserphonenumber', (token) =>
      call('getuserphonenumber', {
        method: 'POST',
        path: '/wxa/business/getuserphonenumber',
        query: { access_token: token },
        body: openid === undefined ? { code } : { code, openid },
      }),
    )
    const info = body.phone_info
    if (!isObject(info)) throw malformed('getuserphonenumber')
    const { phoneNumber, purePhoneNumber, countryCode, watermark } = info
    if (
      typeof phoneNumber !== 'string' ||
      typeof purePhoneNumber !== 'string' ||
      (typeof countryCode !== 'string' && typeof countryCode !== 'number') ||
      !isObject(watermark) ||
      typeof watermark.appid !== 'string' ||
      typeof watermark.timestamp !== 'number'
    ) {
      throw malformed('getuserphonenumber')
    }
    return {
      phoneNumber,
      purePhoneNumber,
      countryCode: String(countryCode),
      watermark: { timestamp: watermark.timestamp, appid: watermark.appid },
    }
  }

  async function checkSessionKey(openid: string, sessionKey: string): Promise<boolean> {
    const signature = sessionKeySignature(sessionKey, '')
    try {
      await withAccessToken('checksession', (token) =>
        call('checksession', {
          method: 'GET',
          path: '/wxa/checksession',
          query: { access_token: token, openid, signature, sig_method: 'hmac_sha256' },
        }),
      )
      return true
    } catch (e) {
      if (e instanceof WeChatApiError && e.errcode === 87009) return false
      throw e
    }
  }

  async function sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    await withAccessToken('subscribe_send', (token) =>
      call('subscribe_send', {
        method: 'POST',
        path: '/cgi-bin/message/subscribe/send',
        query: { access_token: token },
        body: message,
      }),
    )
  }

  return {
    appid,
    code2Session,
    getPhoneNumber,
    checkSessionKey,
    getAccessToken,
    sendSubscribeMessage,
  }
}
