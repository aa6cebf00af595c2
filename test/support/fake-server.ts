// The one in-memory stand-in for the reference server every suite uses (kit, flows, components,
// pages, bench), as a fake-wx request and upload handler. It speaks the kit's contract
// (design.md "The server's contract"): POST /auth/login, the one-round-trip X-WX-Code login on
// protected routes (token in X-Session-Token), bearer sessions that expire or are revoked,
// POST /auth/logout; and the demo app's routes: the menu, orders with Idempotency-Key (a repeated
// key answers the first order), /me (GET, PUT), /me/phone, /me/wechat-profile, the avatar upload.
// Shapes follow server/src/schemas; the POST /orders body is validated as CreateOrderBody is
// (additionalProperties false, lengths, no control characters but newline), before
// authentication as in the reference server. Test routes: /open/* (no session) and /p/*
// (protected) echo what they received.
// Scriptable: latency, login failures, answers of the next app calls, per-route faults, held
// routes, a server that refuses every token, one that does not speak X-WX-Code.
import { headerOf, type FakeRequest, type FakeResponse } from '../../packages/headless/wx'
import type { FakeUpload, FakeUploadResponse } from '../../packages/headless/wx/upload'
import type { MenuCategory, MenuItem } from '../../miniprogram/api/menu'

export const BASE = 'https://api.test'
/** One WeChat user per server: every login code maps to this user. */
export const USER_ID = 'u1'

export interface ServerUser {
  id: string
  nickname: string | null
  avatarUrl: string | null
  phone: string | null
}

export const USER: ServerUser = { id: USER_ID, nickname: null, avatarUrl: null, phone: null }

export interface ServerOrder {
  id: string
  items: Array<{ itemId: string; name: string; price: number; quantity: number }>
  total: number
  status: string
  remark: string | null
  address: string | null
  createdAt: string
  /** Every status the order went through, oldest first (the reference server's `timeline`). */
  timeline?: Array<{ status: string; at: string }>
  /** Whether the user may still cancel it (while placed). */
  cancellable?: boolean
}

/** A dish as GET /menu answers it: the shape the demo app reads. */
export type MenuItemJson = MenuItem

export interface MenuJson {
  currency: 'CNY'
  categories: MenuCategory[]
}

/** An error answer: `{error:{code,message}}` with a status, optionally Retry-After (seconds). */
export interface ServerError {
  status: number
  code: string
  message?: string
  retryAfter?: number
}

/** What a scripted answer of the next app call can be: an error, a dropped connection, none. */
export type Scripted = ServerError | 'network' | 'hang'

/** What a scripted fault does to the next request of one route. */
export type Fault =
  | { kind: 'network' } // no answer at all (wx.request fail)
  | { kind: 'after-commit' } // the route runs, then the answer is lost on the way back
  | { kind: 'status'; statusCode: number; code?: string }

/** Route key: 'METHOD /path' with ids replaced, e.g. 'GET /orders/:id'. */
export type RouteKey = string

export type TokenState = 'ok' | 'expired' | 'revoked'

export interface LogEntry {
  route: RouteKey
  method: string
  path: string
  /** Request headers, names lower-cased. */
  header: Record<string, string>
  data: unknown
  /** The bearer token sent, if any. */
  token?: string
  /** The X-WX-Code sent, if any. */
  code?: string
  /** The status answered (undefined: no answer, a network fault or a hang). */
  status?: number
}

export interface UploadEntry {
  url: string
  name: string
  token?: string
  filePath: string
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

const item = (id: string, name: string, description: string, price: number): MenuItemJson => ({
  id,
  name,
  description,
  price,
  image: null,
  soldOut: false,
})

export const DEMO_MENU: MenuJson = {
  currency: 'CNY',
  categories: [
    {
      id: 'staples',
      name: '主食',
      items: [
        item('beef-noodles', '红烧牛肉面', '慢炖牛腱，手工拉面', 2800),
        item('fried-rice', '扬州炒饭', '鸡蛋、虾仁、火腿粒', 1800),
      ],
    },
    {
      id: 'drinks',
      name: '饮品',
      items: [item('soy-milk', '现磨豆浆', '无糖', 600)],
    },
  ],
}

const routeKey = (method: string, path: string): RouteKey =>
  `${method} ${path.replace(/^\/orders\/[^/]+(\/cancel)?$/, '/orders/:id$1')}`

// server/src/schemas/shop.ts CreateOrderBody: text without control characters but newline.
// eslint-disable-next-line no-control-regex
const PLAIN_TEXT = /^[^\u0000-\u0009\u000b-\u001f\u007f]*$/

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const isText = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && [...v].length >= min && [...v].length <= max && PLAIN_TEXT.test(v)

const isCount = (v: unknown): v is number =>
  Number.isInteger(v) && Number(v) >= 1 && Number(v) <= 99

/** What the reference server's schema refuses in a POST /orders body, or null when valid. */
function orderBodyError(body: unknown): string | null {
  if (!isObject(body)) return 'body must be an object'
  const extra = Object.keys(body).filter((k) => !['items', 'remark', 'address'].includes(k))
  if (extra.length > 0) return `unexpected property ${extra.join(',')}`
  const items = body.items
  if (!Array.isArray(items) || items.length < 1 || items.length > 50) return 'items: 1 to 50 lines'
  for (const line of items) {
    if (!isObject(line)) return 'items: objects'
    if (Object.keys(line).some((k) => k !== 'itemId' && k !== 'quantity'))
      return 'items: unexpected property'
    if (!isText(line.itemId, 1, 64)) return 'itemId: 1 to 64 characters'
    if (!isCount(line.quantity)) return 'quantity: an integer from 1 to 99'
  }
  if (body.remark !== undefined && !isText(body.remark, 0, 200)) return 'remark: plain text, ≤ 200'
  if (body.address !== undefined && !isText(body.address, 1, 200))
    return 'address: plain text, 1 to 200'
  return null
}

const errorAnswer = (e: ServerError): FakeResponse => ({
  statusCode: e.status,
  header: e.retryAfter === undefined ? {} : { 'Retry-After': String(e.retryAfter) },
  data: { error: { code: e.code, message: e.message ?? e.code } },
})

const err = (status: number, code: string, message: string) =>
  errorAnswer({ status, code, message })

const never = () => new Promise<never>(() => undefined)

export class FakeServer {
  // ---- scripting knobs ----
  /** Session lifetime the server announces, in seconds. */
  lifetimeSec = 7200
  /** Latency in ms (on the delay function given), per request. */
  latency: number | ((req: FakeRequest) => number) = 0
  /** The next code exchanges (login route and X-WX-Code) fail with these errors, in order. */
  loginFailures: ServerError[] = []
  /** The next calls of app routes (anything but /auth/*) get these answers, in order. */
  script: Scripted[] = []
  /** Every protected route answers 401 SESSION_INVALID, whatever the token. */
  always401 = false
  /** false: a back end that knows only Bearer plus POST /auth/login (X-WX-Code is ignored). */
  speaksCodeHeader = true
  /**
   * Sessions end on the clock (Date.now) after `lifetimeSec`, as the reference server's do; off,
   * they live until expireAll/revokeAll/logout.
   */
  clockedSessions = false
  /**
   * Sliding sessions as the reference server does them (clockedSessions needed): a bearer call in
   * the last third of the lifetime gets a new token on its answer; the replaced one keeps working
   * for this many ms. null: no rotation.
   */
  rotationGraceMs: number | null = null

  // ---- state ----
  menu: MenuJson = clone(DEMO_MENU)
  users = new Map<string, ServerUser>()
  /** Live sessions: token -> user id. */
  sessions = new Map<string, string>()
  /** Every token issued, with its state. */
  tokens = new Map<string, TokenState>()
  orders: Array<ServerOrder & { userId: string }> = []
  /** Bodies of POST /me/subscriptions, in order. */
  subscriptionReports: Array<Record<string, string>> = []
  /** `${userId}:${key}` -> order id */
  idempotency = new Map<string, string>()
  usedCodes = new Set<string>()
  /** Login codes exchanged successfully (login route and X-WX-Code), in order. */
  exchanged: string[] = []
  /** Every request received, in order. */
  log: LogEntry[] = []
  /** Avatar uploads received, in order. */
  uploads: UploadEntry[] = []

  /** Clocked sessions: token -> when it stops working (ms). */
  private expiresAt = new Map<string, number>()
  /** Rotations: replaced token -> its successor (a logout of either revokes both). */
  private replacedBy = new Map<string, string>()
  private faults = new Map<RouteKey, Fault[]>()
  private held = new Map<RouteKey, Promise<void>>()
  private gateOpeners: Array<() => void> = []
  private seq = 0

  /** `delay` makes latency (e.g. the fake wx's control.delay on its clock). */
  constructor(private readonly delay: (ms: number) => Promise<void> = () => Promise.resolve()) {}

  /** Successful code exchanges. */
  get logins(): number {
    return this.exchanged.length
  }

  get exchanges(): number {
    return this.exchanged.length
  }

  /** The server's user (one WeChat user per server). */
  get user(): ServerUser {
    return this.userRecord()
  }

  /** Every token issued, in order. */
  issued(): string[] {
    return [...this.tokens.keys()]
  }

  /** Marks every live token expired (401 SESSION_EXPIRED from now on). */
  expireAll(): void {
    for (const t of this.sessions.keys()) this.tokens.set(t, 'expired')
    this.sessions.clear()
  }

  /** Revokes every live token (401 SESSION_REVOKED from now on). */
  revokeAll(): void {
    for (const t of this.sessions.keys()) this.tokens.set(t, 'revoked')
    this.sessions.clear()
  }

  /** Back to a fresh server (knobs included); held answers are released. */
  reset(): void {
    this.lifetimeSec = 7200
    this.latency = 0
    this.loginFailures = []
    this.script = []
    this.always401 = false
    this.speaksCodeHeader = true
    this.clockedSessions = false
    this.rotationGraceMs = null
    this.expiresAt.clear()
    this.replacedBy.clear()
    this.menu = clone(DEMO_MENU)
    this.users.clear()
    this.sessions.clear()
    this.tokens.clear()
    this.orders = []
    this.subscriptionReports = []
    this.idempotency.clear()
    this.usedCodes.clear()
    this.exchanged = []
    this.log = []
    this.uploads = []
    this.faults.clear()
    this.held.clear()
    for (const open of this.gateOpeners) open()
    this.gateOpeners = []
  }

  /** The merchant moves an order (as the console does); its timeline records the change. */
  setOrderStatus(id: string, status: string): void {
    const o = this.orders.find((x) => x.id === id)
    if (!o) throw new Error(`no order ${id}`)
    o.status = status
    o.timeline = [
      ...(o.timeline ?? []),
      { status, at: new Date(Date.UTC(2026, 0, 2, 4)).toISOString() },
    ]
  }

  /** The next `times` requests of `route` meet `fault`. */
  fail(route: RouteKey, fault: Fault, times = 1): void {
    const list = this.faults.get(route) ?? []
    for (let i = 0; i < times; i++) list.push(fault)
    this.faults.set(route, list)
  }

  /** Holds every answer of `route` until the returned function is called. */
  hold(route: RouteKey): () => void {
    let open!: () => void
    const p = new Promise<void>((r) => (open = r))
    this.held.set(route, p)
    this.gateOpeners.push(open)
    return () => {
      this.held.delete(route)
      open()
    }
  }

  /** The requests of `route` (e.g. 'POST /orders'), or every request. */
  calls(route?: RouteKey): LogEntry[] {
    return route ? this.log.filter((l) => l.route === route) : [...this.log]
  }

  /** The fake-wx request handler. */
  handle = async (req: FakeRequest): Promise<FakeResponse> => {
    const { pathname: path } = new URL(req.url)
    const header = Object.fromEntries(
      Object.entries(req.header).map(([k, v]) => [k.toLowerCase(), v]),
    )
    const entry: LogEntry = {
      route: routeKey(req.method, path),
      method: req.method,
      path,
      header,
      data: req.data,
      token: /^Bearer (.+)$/.exec(header.authorization ?? '')?.[1],
      code: header['x-wx-code'],
    }
    this.log.push(entry)
    const ms = typeof this.latency === 'function' ? this.latency(req) : this.latency
    if (ms > 0) await this.delay(ms)
    const res = await this.answer(entry)
    entry.status = res.statusCode
    return res
  }

  /** The fake-wx upload handler (wx.uploadFile to POST /me/avatar). */
  upload = (u: FakeUpload): FakeUploadResponse => {
    const token = headerOf(u.header, 'authorization')?.replace(/^Bearer /, '')
    this.uploads.push({ url: u.url, name: u.name, token, filePath: u.filePath })
    if (!token || !this.sessions.has(token)) return { statusCode: 401, data: '{"error":{}}' }
    return { statusCode: 200, data: { url: `${BASE}/avatars/a${this.uploads.length}` } }
  }

  private async answer(entry: LogEntry): Promise<FakeResponse> {
    const gate = this.held.get(entry.route)
    if (gate) await gate
    const fault = this.faults.get(entry.route)?.shift()
    if (fault?.kind === 'network') throw new Error('net::ERR_CONNECTION_RESET')
    if (fault?.kind === 'status') return err(fault.statusCode, fault.code ?? 'FAULT', 'injected')
    if (!entry.path.startsWith('/auth/')) {
      const scripted = this.script.shift()
      if (scripted === 'network') throw new Error('net::ERR_CONNECTION_RESET')
      if (scripted === 'hang') return never()
      if (scripted) return errorAnswer(scripted)
    }
    const res = this.route(entry)
    if (fault?.kind === 'after-commit') throw new Error('connection lost after commit')
    return res
  }

  private userRecord(): ServerUser {
    let user = this.users.get(USER_ID)
    if (!user) this.users.set(USER_ID, (user = { ...USER }))
    return user
  }

  /** A code exchange: a new session, or the error answer. */
  private exchange(code: string | undefined): { token: string } | FakeResponse {
    const failure = this.loginFailures.shift()
    if (failure) return errorAnswer(failure)
    if (!code) return err(400, 'LOGIN_CODE_INVALID', 'invalid code')
    if (this.usedCodes.has(code)) return err(400, 'LOGIN_CODE_USED', 'code been used')
    this.usedCodes.add(code)
    this.exchanged.push(code)
    const token = `tok-${++this.seq}`
    this.tokens.set(token, 'ok')
    this.sessions.set(token, this.userRecord().id)
    this.expiresAt.set(token, Date.now() + this.lifetimeSec * 1000)
    return { token }
  }

  /** A token and every token it was rotated from or to. */
  private rotationFamily(token: string | undefined): string[] {
    if (!token) return []
    const family = [token]
    for (let t: string | undefined = token; (t = this.replacedBy.get(t));) family.push(t)
    for (let found = true; found;) {
      found = false
      for (const [old, next] of this.replacedBy)
        if (next === family[0] && !family.includes(old)) {
          family.unshift(old)
          found = true
        }
    }
    return family
  }

  /** Rotation headers when `token` is current and in the last third of its lifetime. */
  private rotateIfDue(token: string, userId: string): Record<string, string> {
    const grace = this.rotationGraceMs
    const now = Date.now()
    const lifetimeMs = this.lifetimeSec * 1000
    if (grace === null || !this.clockedSessions || this.replacedBy.has(token)) return {}
    if ((this.expiresAt.get(token) ?? 0) - now > lifetimeMs / 3) return {}
    const next = `tok-${++this.seq}`
    this.tokens.set(next, 'ok')
    this.sessions.set(next, userId)
    this.expiresAt.set(next, now + lifetimeMs)
    this.expiresAt.set(token, now + grace)
    this.replacedBy.set(token, next)
    return { 'X-Session-Token': next, 'X-Session-Expires-In': String(this.lifetimeSec) }
  }

  private route(entry: LogEntry): FakeResponse {
    const { method, path, data } = entry
    if (method === 'POST' && path === '/auth/login') {
      const r = this.exchange((data as { code?: string } | undefined)?.code)
      if ('statusCode' in r) return r
      const body = { token: r.token, expiresIn: this.lifetimeSec, user: { ...this.userRecord() } }
      return { statusCode: 200, data: body }
    }
    if (method === 'POST' && path === '/auth/logout') {
      for (const t of this.rotationFamily(entry.token))
        if (this.sessions.delete(t)) this.tokens.set(t, 'revoked')
      return { statusCode: 204 }
    }
    if (method === 'GET' && path === '/menu') return { statusCode: 200, data: this.menu }
    if (path.startsWith('/open/')) return { statusCode: 200, data: { path, method } }
    // Body schemas are checked before authentication, as in the reference server.
    if (method === 'POST' && path === '/orders') {
      const invalid = orderBodyError(data)
      if (invalid) return err(400, 'VALIDATION_FAILED', invalid)
    }
    return this.protectedRoute(entry)
  }

  /** Bearer token, or the X-WX-Code one-round-trip login; then the route. */
  private protectedRoute(entry: LogEntry): FakeResponse {
    let token = entry.token
    const issued: Record<string, string> = {}
    if (entry.code && !token && this.speaksCodeHeader) {
      const r = this.exchange(entry.code)
      if ('statusCode' in r) return r
      token = r.token
      // mixed case on purpose: the kit must read header names case-insensitively
      issued['X-Session-Token'] = r.token
      issued['x-session-EXPIRES-in'] = String(this.lifetimeSec)
    }
    if (token && this.clockedSessions && Date.now() >= (this.expiresAt.get(token) ?? 0)) {
      if (this.sessions.delete(token)) this.tokens.set(token, 'expired')
    }
    const userId = token ? this.sessions.get(token) : undefined
    if (!token || !userId || this.always401) {
      const state = token ? this.tokens.get(token) : undefined
      const code =
        state === 'expired'
          ? 'SESSION_EXPIRED'
          : state === 'revoked'
            ? 'SESSION_REVOKED'
            : 'SESSION_INVALID'
      return { ...err(401, code, 'log in first'), header: issued }
    }
    if (!entry.code) Object.assign(issued, this.rotateIfDue(token, userId))
    const res = this.appRoute(entry, userId, token)
    res.header = { ...res.header, ...issued }
    return res
  }

  private appRoute(entry: LogEntry, userId: string, token: string): FakeResponse {
    const { method, path, data, header } = entry
    const user = this.users.get(userId)!
    if (path.startsWith('/p/')) return { statusCode: 200, data: { path, token, method } }
    if (method === 'GET' && path === '/me') return { statusCode: 200, data: { ...user } }
    if (method === 'PUT' && path === '/me') {
      const d = (data ?? {}) as { nickname?: string; avatarUrl?: string }
      if (d.nickname !== undefined) user.nickname = d.nickname
      if (d.avatarUrl !== undefined) user.avatarUrl = d.avatarUrl
      return { statusCode: 200, data: { ...user } }
    }
    if (method === 'POST' && path === '/me/phone') {
      if (!(data as { code?: string } | undefined)?.code)
        return err(400, 'PHONE_CODE_INVALID', 'code required')
      user.phone = '138****8000'
      return { statusCode: 200, data: { ...user } }
    }
    if (method === 'POST' && path === '/me/wechat-profile') {
      const raw = (data as { rawData?: string } | undefined)?.rawData ?? '{}'
      const info = JSON.parse(raw) as { nickName?: string; avatarUrl?: string }
      user.nickname = info.nickName ?? user.nickname
      user.avatarUrl = info.avatarUrl ?? user.avatarUrl
      return { statusCode: 200, data: { ...user } }
    }
    if (method === 'POST' && path === '/orders') return this.placeOrder(userId, header, data)
    if (method === 'GET' && path === '/orders') {
      const mine = this.orders.filter((o) => o.userId === userId).reverse()
      return { statusCode: 200, data: { orders: mine.map((o) => this.publicOrder(o)) } }
    }
    if (method === 'POST' && path === '/me/subscriptions') {
      const results = ((data ?? {}) as { results?: Record<string, string> }).results ?? {}
      this.subscriptionReports.push({ ...results })
      const credits = this.subscriptionReports.filter((r) =>
        Object.values(r).includes('accept'),
      ).length
      return { statusCode: 200, data: { credits } }
    }
    const cancel = /^\/orders\/([^/]+)\/cancel$/.exec(path)
    if (method === 'POST' && cancel) {
      const o = this.orders.find(
        (x) => x.id === decodeURIComponent(cancel[1]!) && x.userId === userId,
      )
      if (!o) return err(404, 'NOT_FOUND', 'no such order')
      if (o.status !== 'placed') {
        return err(
          409,
          'ORDER_STATUS_CONFLICT',
          `an order that is ${o.status} cannot become cancelled`,
        )
      }
      this.setOrderStatus(o.id, 'cancelled')
      return { statusCode: 200, data: this.publicOrder(o) }
    }
    const m = /^\/orders\/([^/]+)$/.exec(path)
    if (method === 'GET' && m) {
      const o = this.orders.find((x) => x.id === decodeURIComponent(m[1]!) && x.userId === userId)
      return o
        ? { statusCode: 200, data: this.publicOrder(o) }
        : err(404, 'NOT_FOUND', 'no such order')
    }
    return err(404, 'NOT_FOUND', `${method} ${path}`)
  }

  private placeOrder(userId: string, header: Record<string, string>, data: unknown): FakeResponse {
    const key = header['idempotency-key']
    if (!key) return err(400, 'IDEMPOTENCY_KEY_REQUIRED', 'the Idempotency-Key header is required')
    // Validated by orderBodyError before authentication.
    const body = data as {
      items: Array<{ itemId: string; quantity: number }>
      remark?: string
      address?: string
    }
    const seen = this.idempotency.get(`${userId}:${key}`)
    if (seen) {
      const first = this.orders.find((o) => o.id === seen)!
      return { statusCode: 200, data: this.publicOrder(first) }
    }
    const all = this.menu.categories.flatMap((c) => c.items)
    const items: ServerOrder['items'] = []
    for (const l of body.items) {
      const m = all.find((i) => i.id === l.itemId)
      if (!m || m.soldOut) return err(400, 'ORDER_INVALID', `unknown or sold-out: ${l.itemId}`)
      items.push({ itemId: m.id, name: m.name, price: m.price, quantity: l.quantity })
    }
    const order: ServerOrder & { userId: string } = {
      id: `o${this.orders.length + 1}`,
      userId,
      items,
      total: items.reduce((n, i) => n + i.price * i.quantity, 0),
      status: 'placed',
      remark: body.remark ?? null,
      address: body.address ?? null,
      createdAt: new Date(Date.UTC(2026, 0, 2, 3, 4 + this.orders.length)).toISOString(),
    }
    order.timeline = [{ status: 'placed', at: order.createdAt }]
    this.orders.push(order)
    this.idempotency.set(`${userId}:${key}`, order.id)
    return { statusCode: 201, data: this.publicOrder(order) }
  }

  private publicOrder(o: ServerOrder & { userId: string }): ServerOrder {
    const { userId: _u, ...rest } = o
    return clone({ ...rest, cancellable: o.status === 'placed' })
  }
}
