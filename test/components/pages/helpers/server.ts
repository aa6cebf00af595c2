// An in-memory fake of the reference server's routes the pages use, as a fake-wx request handler:
// login (POST /auth/login and the one-round-trip X-WX-Code on protected routes), logout, the menu,
// orders with Idempotency-Key (a repeated key answers the first order), /me and /me/phone.
// Shapes follow server/src/schemas; the POST /orders body is validated as CreateOrderBody is
// (additionalProperties false, lengths, no control characters but newline). Faults (network
// failure, failure after commit, HTTP errors) and gates (hold answers until released) are
// scriptable per route.
import type { FakeRequest, FakeResponse } from '../../../../packages/headless/wx/request'

export interface ServerUser {
  id: string
  nickname: string | null
  avatarUrl: string | null
  phone: string | null
}

export interface ServerOrder {
  id: string
  items: Array<{ itemId: string; name: string; price: number; quantity: number }>
  total: number
  status: string
  remark: string | null
  address: string | null
  createdAt: string
}

export interface MenuItemJson {
  id: string
  name: string
  description: string
  price: number
  image: string | null
  soldOut: boolean
}

export interface MenuJson {
  currency: 'CNY'
  categories: Array<{ id: string; name: string; items: MenuItemJson[] }>
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

/** What a scripted fault does to the next matching request. */
export type Fault =
  | { kind: 'network' } // no answer at all (wx.request fail)
  | { kind: 'after-commit' } // the route runs, then the answer is lost on the way back
  | { kind: 'status'; statusCode: number; code?: string }

/** Route key: 'METHOD /path' with ids replaced, e.g. 'GET /orders/:id'. */
export type RouteKey = string

const routeKey = (method: string, path: string): RouteKey =>
  `${method} ${path.replace(/^\/orders\/[^/]+$/, '/orders/:id')}`

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

const err = (statusCode: number, code: string, message: string): FakeResponse => ({
  statusCode,
  data: { error: { code, message } },
})

export class FakeServer {
  menu: MenuJson = clone(DEMO_MENU)
  users = new Map<string, ServerUser>()
  /** token -> user id */
  sessions = new Map<string, string>()
  orders: Array<ServerOrder & { userId: string }> = []
  /** `${userId}:${key}` -> order id */
  idempotency = new Map<string, string>()
  usedCodes = new Set<string>()
  /** Every request served (or faulted), in order. */
  log: Array<{ route: RouteKey; header: Record<string, string>; data: unknown }> = []
  logins = 0

  private faults = new Map<RouteKey, Fault[]>()
  private gates = new Map<RouteKey, Array<() => void>>()
  private held = new Map<RouteKey, Promise<void>>()
  private seq = 0

  reset(): void {
    this.menu = clone(DEMO_MENU)
    this.users.clear()
    this.sessions.clear()
    this.orders = []
    this.idempotency.clear()
    this.usedCodes.clear()
    this.log = []
    this.logins = 0
    this.faults.clear()
    for (const waiters of this.gates.values()) waiters.forEach((open) => open())
    this.gates.clear()
    this.held.clear()
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
    return () => {
      this.held.delete(route)
      open()
    }
  }

  calls(route: RouteKey) {
    return this.log.filter((l) => l.route === route)
  }

  /** The fake-wx request handler. */
  handle = async (req: FakeRequest): Promise<FakeResponse> => {
    const u = new URL(req.url)
    const route = routeKey(req.method, u.pathname)
    const header = Object.fromEntries(
      Object.entries(req.header).map(([k, v]) => [k.toLowerCase(), v]),
    )
    this.log.push({ route, header, data: req.data })
    const gate = this.held.get(route)
    if (gate) await gate
    const fault = this.faults.get(route)?.shift()
    if (fault?.kind === 'network') throw new Error('ECONNRESET')
    if (fault?.kind === 'status') return err(fault.statusCode, fault.code ?? 'FAULT', 'injected')
    const res = this.route(req.method, u.pathname, header, req.data)
    if (fault?.kind === 'after-commit') throw new Error('connection lost after commit')
    return res
  }

  private login(code: string): { token: string; user: ServerUser } | null {
    if (!code || this.usedCodes.has(code)) return null
    this.usedCodes.add(code)
    this.logins++
    // One WeChat user per test: every code maps to the same openid.
    let user = this.users.get('u1')
    if (!user) {
      user = { id: 'u1', nickname: null, avatarUrl: null, phone: null }
      this.users.set('u1', user)
    }
    const token = `tok-${++this.seq}`
    this.sessions.set(token, user.id)
    return { token, user }
  }

  private route(
    method: string,
    path: string,
    header: Record<string, string>,
    data: unknown,
  ): FakeResponse {
    if (method === 'GET' && path === '/menu') return { statusCode: 200, data: this.menu }

    if (method === 'POST' && path === '/auth/login') {
      const code = (data as { code?: string } | undefined)?.code ?? ''
      const s = this.login(code)
      if (!s) return err(400, 'LOGIN_CODE_INVALID', 'invalid code')
      return { statusCode: 200, data: { token: s.token, expiresIn: 7200, user: s.user } }
    }

    // Body schemas are checked before authentication, as in the reference server.
    if (method === 'POST' && path === '/orders') {
      const invalid = orderBodyError(data)
      if (invalid) return err(400, 'VALIDATION_FAILED', invalid)
    }

    // Protected routes: Bearer token, or the X-WX-Code one-round-trip login.
    let userId: string | undefined
    let issued: string | undefined
    const bearer = /^Bearer (.+)$/.exec(header.authorization ?? '')?.[1]
    if (bearer) userId = this.sessions.get(bearer)
    else if (header['x-wx-code']) {
      const s = this.login(header['x-wx-code'])
      if (!s) return err(400, 'LOGIN_CODE_INVALID', 'invalid code')
      userId = s.user.id
      issued = s.token
    }
    if (!userId) return err(401, bearer ? 'SESSION_INVALID' : 'SESSION_REQUIRED', 'log in first')
    const res = this.protectedRoute(method, path, userId, bearer, header, data)
    if (issued) {
      res.header = { ...res.header, 'X-Session-Token': issued, 'X-Session-Expires-In': '7200' }
    }
    return res
  }

  private protectedRoute(
    method: string,
    path: string,
    userId: string,
    bearer: string | undefined,
    header: Record<string, string>,
    data: unknown,
  ): FakeResponse {
    const user = this.users.get(userId)!
    const masked = (): ServerUser => ({ ...user })

    if (method === 'POST' && path === '/auth/logout') {
      if (bearer) this.sessions.delete(bearer)
      return { statusCode: 204 }
    }
    if (method === 'GET' && path === '/me') return { statusCode: 200, data: masked() }
    if (method === 'PATCH' && path === '/me') {
      const d = (data ?? {}) as { nickname?: string; avatarUrl?: string }
      if (d.nickname !== undefined) user.nickname = d.nickname
      if (d.avatarUrl !== undefined) user.avatarUrl = d.avatarUrl
      return { statusCode: 200, data: masked() }
    }
    if (method === 'POST' && path === '/me/phone') {
      const code = (data as { code?: string } | undefined)?.code
      if (!code) return err(400, 'PHONE_CODE_INVALID', 'code required')
      user.phone = '138****8000'
      return { statusCode: 200, data: masked() }
    }

    if (method === 'POST' && path === '/orders') {
      const key = header['idempotency-key']
      if (!key)
        return err(400, 'IDEMPOTENCY_KEY_REQUIRED', 'the Idempotency-Key header is required')
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
      this.orders.push(order)
      this.idempotency.set(`${userId}:${key}`, order.id)
      return { statusCode: 201, data: this.publicOrder(order) }
    }
    if (method === 'GET' && path === '/orders') {
      const mine = this.orders.filter((o) => o.userId === userId).reverse()
      return { statusCode: 200, data: { orders: mine.map((o) => this.publicOrder(o)) } }
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

  private publicOrder(o: ServerOrder & { userId: string }): ServerOrder {
    const { userId: _u, ...rest } = o
    return clone(rest)
  }
}
