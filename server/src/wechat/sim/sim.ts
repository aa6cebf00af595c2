// The simulated WeChat server API: a stateful, in-process fake of api.weixin.qq.com that keeps
// the real platform's rules (wechat-platform.md §2, §3, §4, §5, §8):
// - login codes are single use and valid 5 minutes; a new session_key per minted code, and one
//   valid session_key per user at a time (the latest);
// - code2Session success bodies carry no errcode; errmsgs end with ', rid: …';
// - stable_token returns the same token within its window, renews 5 minutes early with overlap,
//   force_refresh invalidates the old one; /cgi-bin/token supersedes its previous token (old one
//   kept 5 minutes);
// - phone codes are 64 hex chars, single use, valid 5 minutes, bound to an openid;
// - checksession verifies hmac_sha256(session_key, '').
// Faults (errcodes, HTTP status, malformed JSON, latency, timeouts) are injected per API.

import { randomBytes, randomInt } from 'crypto'
import type { Logger } from 'pino'
import { encryptWeChatData, sessionKeySignature, signRawData } from '../crypto'
import { WECHAT_ERRMSG } from '../errors'
import {
  WeChatTransportError,
  type WeChatTransport,
  type WeChatTransportRequest,
  type WeChatTransportResponse,
} from '../transport'
import { AgingMap } from './aging-map'
import { createSimClock, type SimClock } from './clock'
import {
  DEMO_APP_PAGES,
  DEMO_TEMPLATES,
  createSubscribeMessages,
  type SimDeliveredMessage,
  type SimTemplate,
} from './subscribe-messages'

export type { SimClock } from './clock'
export type { SimDeliveredMessage, SimTemplate } from './subscribe-messages'

export type SimApi =
  | 'jscode2session'
  | 'stable_token'
  | 'token'
  | 'getuserphonenumber'
  | 'checksession'
  | 'subscribe_send'

export const SIM_APIS: readonly SimApi[] = [
  'jscode2session',
  'stable_token',
  'token',
  'getuserphonenumber',
  'checksession',
  'subscribe_send',
]

const API_PATHS: Readonly<Record<string, SimApi>> = {
  '/sns/jscode2session': 'jscode2session',
  '/cgi-bin/stable_token': 'stable_token',
  '/cgi-bin/token': 'token',
  '/wxa/business/getuserphonenumber': 'getuserphonenumber',
  '/wxa/checksession': 'checksession',
  '/cgi-bin/message/subscribe/send': 'subscribe_send',
}

/** Default credentials of the simulated app (the server uses them in simulated mode). */
export const SIM_DEFAULT_APPID = 'wx51a0000000000000'
export const SIM_DEFAULT_SECRET = 'simulated0app0secret000000000000'
/** The one local development user unknown codes map to when `devFallback` is on. */
export const SIM_DEV_OPENID = 'o-dev-local-user'

const CODE_TTL_MS = 5 * 60_000
const TOKEN_TTL_MS = 7200_000
const TOKEN_RENEW_BEFORE_MS = 5 * 60_000
const PLAIN_TOKEN_OVERLAP_MS = 5 * 60_000
const FORCE_REFRESH_MIN_GAP_MS = 30_000
const FORCE_REFRESH_PER_DAY = 20
/**
 * Bounds of the simulator's state, so a long run or a flood of minting stays fast: at most
 * this many codes of each kind and users are kept (the oldest go first), and expired codes
 * are dropped as new ones arrive.
 */
export const SIM_MAX_CODES = 100_000
export const SIM_MAX_USERS = 100_000
const SIM_MAX_TOKENS = 10_000
/** Pending fault entries at most: adding one more throws SimFaultLimitError. */
export const SIM_MAX_FAULTS = 100
/** Shape of a real wx.login code (DevTools gives 32 base62 chars). */
const DEV_CODE_RE = /^[0-9A-Za-z_-]{16,64}$/

/** One injected fault. Without `times` it applies once. */
export interface SimFault {
  /** Answer this errcode (errmsg from the platform's table unless given; rid appended). */
  errcode?: number
  errmsg?: string
  /** Answer this HTTP status with an HTML body (a gateway error; the request is not processed). */
  status?: number
  /** Process the request, then truncate the JSON answer. */
  malformed?: boolean
  /** Latency before answering (virtual time with virtual timers). */
  delayMs?: number
  /** Never answer (the caller's timeout fires). */
  timeout?: boolean
  /** How many requests it applies to (default 1; Infinity for all). */
  times?: number
}

/** The fault queue is full (SIM_MAX_FAULTS entries): clear it or let faults fire first. */
export class SimFaultLimitError extends Error {
  constructor() {
    super(`simulated WeChat: at most ${SIM_MAX_FAULTS} pending faults`)
    this.name = 'SimFaultLimitError'
  }
}

export interface SimFaults {
  /** Applies `fault` to the next request of `api` ('*': any API). Throws SimFaultLimitError when full. */
  next(api: SimApi | '*', fault: Omit<SimFault, 'times'>): void
  /** Applies `fault` to the next `fault.times` requests (default 1). Throws SimFaultLimitError when full. */
  add(api: SimApi | '*', fault: SimFault): void
  clear(): void
  /** Faults still waiting, in order. */
  pending(): Array<{ api: SimApi | '*'; fault: SimFault }>
}

export interface SimUser {
  openid: string
  unionid: string | null
  /** The user's current session_key (null once expired with expireSessionKey). */
  sessionKey: string | null
}

export interface SimUserInfo {
  nickName: string
  gender: number
  language: string
  city: string
  province: string
  country: string
  avatarUrl: string
  is_demote?: boolean
}

export interface SimProfilePayload {
  rawData: string
  signature: string
  encryptedData: string
  iv: string
  userInfo: SimUserInfo
}

/** A request as WeChat's HTTP front sees it; `body` is the raw request text. */
export interface SimRequest {
  method: string
  path: string
  query: Record<string, string | undefined>
  body?: string
}

export interface SimWeChatOptions {
  appid?: string
  secret?: string
  now?: () => number
  log?: Logger
  /** Map well-formed codes the sim did not mint to the local dev user (simulated mode only). */
  devFallback?: boolean
  /** Latency and timeouts wait for `clock.advance` instead of real time (tests). */
  virtualTimers?: boolean
  /** The app is bound to an Open Platform account, so code2Session returns unionid (default true). */
  unionid?: boolean
  /** Most codes of each kind kept (default SIM_MAX_CODES); the oldest go first. */
  maxCodes?: number
  /** Most users kept (default SIM_MAX_USERS); the oldest go first. */
  maxUsers?: number
  /** Subscription-message templates of the app (default: the demo's order-status template). */
  templates?: Readonly<Record<string, SimTemplate>>
  /** Pages the app has, for subscribe/send's `page` (default: the demo app's pages). */
  pages?: readonly string[]
}

export interface SimWeChat {
  readonly appid: string
  readonly secret: string
  readonly devFallback: boolean
  readonly clock: SimClock
  readonly faults: SimFaults
  /** Requests received per API (faulted ones included), and how much state is kept. */
  readonly stats: {
    calls: Record<SimApi, number>
    stored(): { loginCodes: number; phoneCodes: number; users: number; tokens: number }
  }
  /** A WeChatTransport that calls this sim in-process (honours faults, latency and timeoutMs). */
  readonly transport: WeChatTransport
  /** Serves one HTTP request to the simulated api.weixin.qq.com. */
  handle(req: SimRequest): Promise<WeChatTransportResponse>
  /** What wx.login gives the user: a fresh code, and a new current session_key. */
  mintLoginCode(o?: { openid?: string; unionid?: string; appid?: string }): {
    code: string
    openid: string
  }
  /** What getPhoneNumber's button gives the user: a 64-hex phone code bound to `openid`. */
  mintPhoneCode(openid: string, phoneNumber?: string): string
  /** getUserProfile's answer, encrypted with the user's current session_key. */
  encryptUserProfile(
    openid: string,
    userInfo?: Partial<SimUserInfo>,
    o?: { withIds?: boolean },
  ): SimProfilePayload
  getUser(openid: string): SimUser | null
  /** The session_key expires (checksession answers 87009 until the next login code). */
  expireSessionKey(openid: string): void
  /** Like stable_token with force_refresh (no rate limit): the stored stable token dies at once. */
  rotateStableToken(): string
  /** The user tapped 允许 for this template in requestSubscribeMessage: one more send allowed. */
  acceptSubscription(openid: string, templateId: string): void
  /** Messages subscribe/send delivered to this user, oldest first. */
  deliveredMessages(openid: string): SimDeliveredMessage[]
}

interface LoginCodeRecord {
  openid: string
  appid: string
  expiresAt: number
  used: boolean
}

interface PhoneCodeRecord {
  openid: string
  purePhoneNumber: string
  countryCode: string
  expiresAt: number
  used: boolean
}

interface TokenRecord {
  token: string
  expiresAt: number
  /** From this time on, the token answers 40001 (superseded or force-refreshed). */
  revokedAt: number | null
}

type Json = Record<string, unknown>

/** The anonymous getUserProfile answer since base library 2.27.1 (wechat-platform.md §4). */
export const ANONYMOUS_USER_INFO: Readonly<SimUserInfo> = {
  nickName: '微信用户',
  gender: 0,
  language: '',
  city: '',
  province: '',
  country: '',
  avatarUrl:
    'https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132',
  is_demote: true,
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const OPENID_CHARS = `${BASE62}-_`

function randomString(length: number, alphabet: string): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

function newRid(): string {
  return `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`
}

function newSessionKey(): string {
  return randomBytes(16).toString('base64')
}

function prefix(value: string): string {
  return value.length <= 6 ? '***' : `${value.slice(0, 4)}…`
}

function json(body: Json): WeChatTransportResponse {
  return { status: 200, text: JSON.stringify(body) }
}

export function createSimWeChat(opts: SimWeChatOptions = {}): SimWeChat {
  const appid = opts.appid ?? SIM_DEFAULT_APPID
  const secret = opts.secret ?? SIM_DEFAULT_SECRET
  const log = opts.log
  const devFallback = opts.devFallback ?? false
  const withUnionid = opts.unionid ?? true
  const clock = createSimClock({ now: opts.now, virtualTimers: opts.virtualTimers })
  const maxCodes = opts.maxCodes ?? SIM_MAX_CODES
  const maxUsers = opts.maxUsers ?? SIM_MAX_USERS

  const users = new AgingMap<SimUser>()
  const loginCodes = new AgingMap<LoginCodeRecord>()
  const devCodes = new AgingMap<number>() // unknown codes mapped to the dev user -> expiry
  const phoneCodes = new AgingMap<PhoneCodeRecord>()
  const tokens = new AgingMap<TokenRecord>()
  let stableCurrent: TokenRecord | null = null
  const forceRefreshes: number[] = []
  let plainCurrent: TokenRecord | null = null
  let plainPrevious: TokenRecord | null = null

  const calls = Object.fromEntries(SIM_APIS.map((api) => [api, 0])) as Record<SimApi, number>
  const faultQueue: Array<{ api: SimApi | '*'; fault: SimFault; left: number }> = []

  const faults: SimFaults = {
    next(api, fault) {
      if (faultQueue.length >= SIM_MAX_FAULTS) throw new SimFaultLimitError()
      faultQueue.push({ api, fault: { ...fault, times: 1 }, left: 1 })
    },
    add(api, fault) {
      const left = fault.times ?? 1
      if (!(left > 0)) return
      if (faultQueue.length >= SIM_MAX_FAULTS) throw new SimFaultLimitError()
      faultQueue.push({ api, fault: { ...fault }, left })
    },
    clear() {
      faultQueue.length = 0
    },
    pending() {
      return faultQueue.map(({ api, fault, left }) => ({ api, fault: { ...fault, times: left } }))
    },
  }

  function takeFault(api: SimApi): SimFault | null {
    const i = faultQueue.findIndex((f) => f.api === api || f.api === '*')
    if (i === -1) return null
    const entry = faultQueue[i]!
    entry.left -= 1
    if (entry.left <= 0) faultQueue.splice(i, 1)
    return entry.fault
  }

  function error(errcode: number, errmsg?: string): WeChatTransportResponse {
    const base = errmsg ?? WECHAT_ERRMSG[errcode] ?? 'unknown error'
    return json({ errcode, errmsg: `${base}, rid: ${newRid()}` })
  }

  function ensureUser(openid: string, unionid?: string): SimUser {
    let user = users.get(openid)
    if (!user) {
      user = {
        openid,
        unionid: unionid ?? (withUnionid ? `o${randomString(27, OPENID_CHARS)}` : null),
        sessionKey: null,
      }
      users.set(openid, user)
      users.dropBeyond(maxUsers)
    } else if (unionid !== undefined) {
      user.unionid = unionid
    }
    return user
  }

  /**
   * Codes are inserted in expiry order (a fixed lifetime on a clock that only moves forward),
   * so the expired ones are the oldest: pruning stops at the first live one and costs O(1)
   * amortized per mint, however many codes are live (see AgingMap). A code is kept one extra
   * lifetime after expiry (a replay then still answers like WeChat), then forgotten; the caps
   * bound a flood of live codes.
   */
  function pruneCodes(): void {
    const t = clock.now()
    loginCodes.dropOldestWhile((rec) => rec.expiresAt + CODE_TTL_MS < t)
    devCodes.dropOldestWhile((until) => until < t)
    phoneCodes.dropOldestWhile((rec) => rec.expiresAt + CODE_TTL_MS < t)
    loginCodes.dropBeyond(maxCodes)
    devCodes.dropBeyond(maxCodes)
    phoneCodes.dropBeyond(maxCodes)
  }

  // --- access tokens -------------------------------------------------------------------------

  function issueToken(): TokenRecord {
    const rec: TokenRecord = {
      token: randomBytes(96).toString('base64url'),
      expiresAt: clock.now() + TOKEN_TTL_MS,
      revokedAt: null,
    }
    tokens.set(rec.token, rec)
    // Forget long-dead tokens (they would answer 40001 either way); issued in expiry order.
    const t = clock.now()
    tokens.dropOldestWhile((r) => r.expiresAt < t - TOKEN_TTL_MS)
    tokens.dropBeyond(SIM_MAX_TOKENS)
    return rec
  }

  function usable(rec: TokenRecord | null, t: number): rec is TokenRecord {
    return rec !== null && t < rec.expiresAt && (rec.revokedAt === null || t < rec.revokedAt)
  }

  function forceStable(t: number): TokenRecord {
    if (stableCurrent && stableCurrent.revokedAt === null) stableCurrent.revokedAt = t
    stableCurrent = issueToken()
    return stableCurrent
  }

  function stableToken(force: boolean): TokenRecord {
    const t = clock.now()
    if (force) {
      while (forceRefreshes.length && forceRefreshes[0]! <= t - 86_400_000) forceRefreshes.shift()
      const last = forceRefreshes[forceRefreshes.length - 1]
      const limited =
        (last !== undefined && t - last < FORCE_REFRESH_MIN_GAP_MS) ||
        forceRefreshes.length >= FORCE_REFRESH_PER_DAY
      if (!limited || !usable(stableCurrent, t)) {
        forceRefreshes.push(t)
        return forceStable(t)
      }
      return stableCurrent!
    }
    if (!usable(stableCurrent, t) || t >= stableCurrent.expiresAt - TOKEN_RENEW_BEFORE_MS) {
      // Renewal: the previous token keeps working until its own expiry (the overlap).
      stableCurrent = issueToken()
    }
    return stableCurrent
  }

  function plainToken(): TokenRecord {
    const t = clock.now()
    if (plainPrevious && (plainPrevious.revokedAt === null || plainPrevious.revokedAt > t)) {
      plainPrevious.revokedAt = t
    }
    if (plainCurrent) plainCurrent.revokedAt = t + PLAIN_TOKEN_OVERLAP_MS
    plainPrevious = plainCurrent
    plainCurrent = issueToken()
    return plainCurrent
  }

  /** null when the token is valid, else the error answer. */
  function checkToken(token: string | undefined): WeChatTransportResponse | null {
    if (!token) return error(41001)
    const rec = tokens.get(token)
    const t = clock.now()
    if (!rec) return error(40001)
    if (rec.revokedAt !== null && t >= rec.revokedAt) return error(40001)
    if (t >= rec.expiresAt) return error(42001)
    return null
  }

  function tokenBody(rec: TokenRecord): Json {
    return {
      access_token: rec.token,
      expires_in: Math.max(0, Math.floor((rec.expiresAt - clock.now()) / 1000)),
    }
  }

  function checkCredentials(
    gotAppid: unknown,
    gotSecret: unknown,
    grantType: unknown,
    expectedGrant: string,
  ): WeChatTransportResponse | null {
    if (typeof grantType !== 'string' || grantType !== expectedGrant) return error(40002)
    if (typeof gotAppid !== 'string' || gotAppid === '') return error(41002)
    if (typeof gotSecret !== 'string' || gotSecret === '') return error(41004)
    if (gotAppid !== appid) return error(40013)
    if (gotSecret !== secret) return error(40125)
    return null
  }

  // --- API handlers --------------------------------------------------------------------------

  function jscode2session(q: SimRequest['query']): WeChatTransportResponse {
    if (!q.appid) return error(41002)
    if (!q.secret) return error(41004)
    if (q.appid !== appid) return error(40013)
    if (q.secret !== secret) return error(40125)
    if (!q.js_code) return error(41008)
    if (q.grant_type !== 'authorization_code') return error(40002)
    const code = q.js_code
    const t = clock.now()
    const rec = loginCodes.get(code)
    let user: SimUser
    if (!rec) {
      const devUntil = devCodes.get(code)
      if (devUntil !== undefined) return devUntil > t ? error(40163) : error(40029)
      if (!devFallback || !DEV_CODE_RE.test(code)) return error(40029)
      devCodes.set(code, t + CODE_TTL_MS)
      pruneCodes()
      user = ensureUser(SIM_DEV_OPENID)
      user.sessionKey = newSessionKey()
      log?.warn(
        { code: prefix(code), openid: SIM_DEV_OPENID },
        'simulated WeChat: a login code it did not mint (e.g. from DevTools) was mapped to the local development user',
      )
    } else {
      if (rec.appid !== appid || t >= rec.expiresAt) return error(40029)
      if (rec.used) return error(40163)
      rec.used = true
      user = ensureUser(rec.openid)
      if (!user.sessionKey) user.sessionKey = newSessionKey()
    }
    const body: Json = { session_key: user.sessionKey, openid: user.openid }
    if (user.unionid) body.unionid = user.unionid
    log?.debug({ api: 'jscode2session', code: prefix(code) }, 'simulated WeChat: code exchanged')
    return json(body)
  }

  function parseBody(text: string | undefined): Json | null {
    if (text === undefined || text === '') return null
    try {
      const v: unknown = JSON.parse(text)
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null
    } catch {
      return null
    }
  }

  function stableTokenApi(req: SimRequest): WeChatTransportResponse {
    if (req.method !== 'POST') return error(47001)
    const body = parseBody(req.body)
    if (!body) return error(47001)
    const bad = checkCredentials(body.appid, body.secret, body.grant_type, 'client_credential')
    if (bad) return bad
    if (body.force_refresh !== undefined && typeof body.force_refresh !== 'boolean') {
      return error(47001)
    }
    return json(tokenBody(stableToken(body.force_refresh === true)))
  }

  function tokenApi(q: SimRequest['query']): WeChatTransportResponse {
    const bad = checkCredentials(q.appid, q.secret, q.grant_type, 'client_credential')
    if (bad) return bad
    return json(tokenBody(plainToken()))
  }

  function phoneApi(req: SimRequest): WeChatTransportResponse {
    if (req.method !== 'POST') return error(47001)
    const bad = checkToken(req.query.access_token)
    if (bad) return bad
    const body = parseBody(req.body)
    if (!body) return error(47001)
    if (typeof body.code !== 'string' || body.code === '') return error(41008)
    const hint = `invalid code hint: [${randomBytes(6).toString('hex')}]`
    const rec = phoneCodes.get(body.code)
    const t = clock.now()
    if (!rec || rec.used || t >= rec.expiresAt) return error(40029, hint)
    if (body.openid !== undefined && body.openid !== rec.openid) {
      return error(40029, `${hint} openid not match`)
    }
    rec.used = true
    const phoneNumber =
      rec.countryCode === '86' ? rec.purePhoneNumber : `+${rec.countryCode} ${rec.purePhoneNumber}`
    return json({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber,
        purePhoneNumber: rec.purePhoneNumber,
        countryCode: rec.countryCode,
        watermark: { timestamp: Math.floor(t / 1000), appid },
      },
    })
  }

  function checkSessionApi(q: SimRequest['query']): WeChatTransportResponse {
    const bad = checkToken(q.access_token)
    if (bad) return bad
    if (q.sig_method !== 'hmac_sha256') return error(87008)
    const user = q.openid ? users.get(q.openid) : undefined
    if (!user) return error(40003)
    if (!user.sessionKey || q.signature !== sessionKeySignature(user.sessionKey, '')) {
      return error(87009)
    }
    return json({ errcode: 0, errmsg: 'ok' })
  }

  const subscribeMessages = createSubscribeMessages({
    templates: opts.templates ?? DEMO_TEMPLATES,
    pages: opts.pages ?? DEMO_APP_PAGES,
    now: () => clock.now(),
  })

  function subscribeSendApi(req: SimRequest): WeChatTransportResponse {
    if (req.method !== 'POST') return error(47001)
    const bad = checkToken(req.query.access_token)
    if (bad) return bad
    const body = parseBody(req.body)
    if (!body) return error(47001)
    const refused = subscribeMessages.send(body)
    return refused === null
      ? json({ errcode: 0, errmsg: 'ok' })
      : error(refused.errcode, refused.errmsg)
  }

  function route(api: SimApi, req: SimRequest): WeChatTransportResponse {
    switch (api) {
      case 'jscode2session':
        return jscode2session(req.query)
      case 'stable_token':
        return stableTokenApi(req)
      case 'token':
        return tokenApi(req.query)
      case 'getuserphonenumber':
        return phoneApi(req)
      case 'checksession':
        return checkSessionApi(req.query)
      case 'subscribe_send':
        return subscribeSendApi(req)
    }
  }

  async function handle(req: SimRequest): Promise<WeChatTransportResponse> {
    const api = API_PATHS[req.path]
    if (!api) return { status: 404, text: '<html><body>404 Not Found</body></html>' }
    calls[api] += 1
    const fault = takeFault(api)
    if (fault?.timeout) {
      log?.debug({ api }, 'simulated WeChat: injected timeout')
      return new Promise<WeChatTransportResponse>(() => undefined)
    }
    if (fault?.delayMs) await clock.sleep(fault.delayMs)
    else await Promise.resolve()
    if (fault?.status !== undefined) {
      log?.debug({ api, status: fault.status }, 'simulated WeChat: injected HTTP status')
      return { status: fault.status, text: `<html><body>${fault.status}</body></html>` }
    }
    if (fault?.errcode !== undefined) {
      log?.debug({ api, errcode: fault.errcode }, 'simulated WeChat: injected errcode')
      return error(fault.errcode, fault.errmsg)
    }
    const res = route(api, req)
    if (fault?.malformed) {
      log?.debug({ api }, 'simulated WeChat: injected malformed JSON')
      return { status: 200, text: res.text.slice(0, Math.max(1, Math.floor(res.text.length / 2))) }
    }
    return res
  }

  const transport: WeChatTransport = (req: WeChatTransportRequest) => {
    const query: Record<string, string> = { ...req.query }
    const body = req.body === undefined ? undefined : JSON.stringify(req.body)
    return new Promise<WeChatTransportResponse>((resolve, reject) => {
      const cancel = clock.schedule(req.timeoutMs, () =>
        reject(new WeChatTransportError('timeout')),
      )
      handle({ method: req.method, path: req.path, query, body }).then(
        (res) => {
          cancel()
          resolve(res)
        },
        (e: unknown) => {
          cancel()
          reject(e instanceof Error ? e : new WeChatTransportError('network'))
        },
      )
    })
  }

  function userInfoOf(given: Partial<SimUserInfo> | undefined): SimUserInfo {
    if (!given || (given.nickName === undefined && given.avatarUrl === undefined)) {
      return { ...ANONYMOUS_USER_INFO, ...given }
    }
    const { is_demote: _demote, ...rest } = given
    return {
      nickName: '',
      gender: 0,
      language: 'zh_CN',
      city: '',
      province: '',
      country: '',
      avatarUrl: '',
      ...rest,
    }
  }

  return {
    appid,
    secret,
    devFallback,
    clock,
    faults,
    stats: {
      calls,
      stored: () => ({
        loginCodes: loginCodes.size + devCodes.size,
        phoneCodes: phoneCodes.size,
        users: users.size,
        tokens: tokens.size,
      }),
    },
    transport,
    handle,
    mintLoginCode(o = {}) {
      const openid = o.openid ?? `o${randomString(27, OPENID_CHARS)}`
      const user = ensureUser(openid, o.unionid)
      user.sessionKey = newSessionKey()
      const code = randomString(32, BASE62)
      loginCodes.set(code, {
        openid,
        appid: o.appid ?? appid,
        expiresAt: clock.now() + CODE_TTL_MS,
        used: false,
      })
      pruneCodes()
      return { code, openid }
    },
    mintPhoneCode(openid, phoneNumber = '13800138000') {
      ensureUser(openid)
      const code = randomBytes(32).toString('hex')
      phoneCodes.set(code, {
        openid,
        purePhoneNumber: phoneNumber,
        countryCode: '86',
        expiresAt: clock.now() + CODE_TTL_MS,
        used: false,
      })
      pruneCodes()
      return code
    },
    encryptUserProfile(openid, given, o = {}) {
      const user = users.get(openid)
      if (!user || !user.sessionKey) {
        throw new Error('simulated WeChat: this user has no session_key (mint a login code first)')
      }
      const userInfo = userInfoOf(given)
      const rawData = JSON.stringify(userInfo)
      const payload: Json = { ...userInfo }
      if (o.withIds) {
        payload.openId = user.openid
        if (user.unionid) payload.unionId = user.unionid
      }
      payload.watermark = { timestamp: Math.floor(clock.now() / 1000), appid }
      const { encryptedData, iv } = encryptWeChatData(user.sessionKey, payload)
      return {
        rawData,
        signature: signRawData(rawData, user.sessionKey),
        encryptedData,
        iv,
        userInfo,
      }
    },
    getUser(openid) {
      const user = users.get(openid)
      return user ? { ...user } : null
    },
    expireSessionKey(openid) {
      const user = users.get(openid)
      if (user) user.sessionKey = null
    },
    rotateStableToken() {
      return forceStable(clock.now()).token
    },
    acceptSubscription(openid, templateId) {
      subscribeMessages.accept(openid, templateId)
    },
    deliveredMessages(openid) {
      return subscribeMessages.delivered(openid)
    },
  }
}
