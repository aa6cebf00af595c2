// The merchant console: a page at /console/ and its JSON API under /console/api/ (the server's
// error envelope). Staff sign in with CONSOLE_PASSWORD and hold a signed, httpOnly,
// SameSite=Strict cookie (console/staff-cookie.ts). The API accepts only that cookie: a
// mini-program bearer token or X-WX-Code is refused, and mini-program routes never read the
// cookie. New orders and status changes reach open pages live through server-sent events
// (GET /console/api/events; reply.hijack() and raw writes, as Fastify's maintainers advise for
// SSE: fastify/fastify#3979, #1877).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { CONSOLE_CSS, CONSOLE_HTML, CONSOLE_JS } from '../console/page'
import { SignInThrottle } from '../console/sign-in-throttle'
import {
  STAFF_COOKIE,
  clearedStaffCookieHeader,
  issueStaffCookie,
  passwordMatches,
  readCookie,
  staffCookieHeader,
  staffCookieValid,
} from '../console/staff-cookie'
import { AppError, rateLimited } from '../errors'
import { errorResponses } from '../schemas/common'
import { Order, OrderParams } from '../schemas/shop'
import type { Services } from '../services'
import { canChange, isOrderStatus, nextStatus, ORDER_STATUSES } from '../services/order-status'
import { loadEvents, toJson, type OrderJson } from '../services/orders'

const ConsoleOrder = Type.Object({
  ...Order.properties,
  next: Type.Union([Type.String(), Type.Null()], { description: 'the one-tap next status' }),
  merchantMayCancel: Type.Boolean(),
})
const SignInBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
)
const StatusBody = Type.Object(
  { status: Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s))) },
  { additionalProperties: false },
)

/** Comment lines keep idle proxies from closing the event stream. */
const HEARTBEAT_MS = 15_000
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

function consoleOrder(order: OrderJson) {
  const status = isOrderStatus(order.status) ? order.status : null
  return {
    ...order,
    next: status === null ? null : nextStatus(status),
    merchantMayCancel: status !== null && canChange(status, 'cancelled', 'merchant'),
  }
}

const unauthorized = (message: string): AppError =>
  new AppError(401, 'CONSOLE_UNAUTHORIZED', message)

export const consoleRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { config } = services
  const password = config.consolePassword ?? null
  const now = (): number => Date.now()
  const throttle = new SignInThrottle()
  const streams = new Set<FastifyReply>()
  const secure = (req: FastifyRequest): boolean => req.protocol === 'https'

  const requireStaff = async (req: FastifyRequest): Promise<void> => {
    const cookie = readCookie(req.headers.cookie, STAFF_COOKIE)
    if (password !== null && staffCookieValid(cookie, config.sessionSecret, password, now())) {
      return
    }
    if (req.headers.authorization !== undefined || req.headers['x-wx-code'] !== undefined) {
      throw unauthorized('the console accepts only its own sign-in, not a mini-program session')
    }
    throw unauthorized('sign in to the console first')
  }

  const page = (type: string, body: string) => async (_req: FastifyRequest, reply: FastifyReply) =>
    reply
      .header('content-type', type)
      .header('content-security-policy', PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .send(body)
  const hidden = { schema: { hide: true } }
  app.get('/console', hidden, async (_req, reply) => reply.redirect('/console/'))
  app.get('/console/', hidden, page('text/html; charset=utf-8', CONSOLE_HTML))
  app.get('/console/console.js', hidden, page('text/javascript; charset=utf-8', CONSOLE_JS))
  app.get('/console/console.css', hidden, page('text/css; charset=utf-8', CONSOLE_CSS))

  const tags = ['console']
  app.post(
    '/console/api/session',
    {
      schema: {
        tags,
        summary: 'Staff sign-in with CONSOLE_PASSWORD; sets the httpOnly console cookie',
        body: SignInBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const wait = throttle.retryAfterSec(req.ip, now())
      if (wait > 0) throw rateLimited(wait)
      if (password === null || !passwordMatches(req.body.password, password)) {
        throttle.fail(req.ip, now())
        throw new AppError(401, 'CONSOLE_PASSWORD_WRONG', 'wrong console password')
      }
      throttle.succeed(req.ip)
      const value = issueStaffCookie(config.sessionSecret, password, now())
      return reply
        .code(204)
        .header('set-cookie', staffCookieHeader(value, secure(req)))
        .header('cache-control', 'no-store')
        .send(null)
    },
  )

  app.get(
    '/console/api/session',
    {
      schema: {
        tags,
        summary: 'Whether the console cookie is valid',
        response: { 204: Type.Null(), ...errorResponses },
      },
      onRequest: requireStaff,
    },
    async (_req, reply) => reply.code(204).send(null),
  )

  app.delete(
    '/console/api/session',
    { schema: { tags, summary: 'Sign out', response: { 204: Type.Null(), ...errorResponses } } },
    async (req, reply) =>
      reply
        .code(204)
        .header('set-cookie', clearedStaffCookieHeader(secure(req)))
        .send(null),
  )

  app.get(
    '/console/api/orders',
    {
      schema: {
        tags,
        summary: 'The 100 newest orders of every user',
        response: { 200: Type.Object({ orders: Type.Array(ConsoleOrder) }), ...errorResponses },
      },
      onRequest: requireStaff,
    },
    async () => {
      const rows = await services.db.kysely
        .selectFrom('orders')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(100)
        .execute()
      const events = await loadEvents(
        services.db,
        rows.map((r) => r.id),
      )
      return { orders: rows.map((r) => consoleOrder(toJson(r, events.get(r.id)))) }
    },
  )

  app.post(
    '/console/api/orders/:id/status',
    {
      schema: {
        tags,
        summary:
          'Move an order to a status; 409 ORDER_STATUS_CONFLICT when not allowed from its current one',
        params: OrderParams,
        body: StatusBody,
        response: { 200: Type.Object({ order: ConsoleOrder }), ...errorResponses },
      },
      onRequest: requireStaff,
    },
    async (req) => {
      const { order } = await services.statusChanges.change(
        req.params.id,
        req.body.status,
        'merchant',
      )
      return { order: consoleOrder(order) }
    },
  )

  app.get(
    '/console/api/events',
    {
      schema: { tags, summary: 'Server-sent events: `order` with each new or changed order' },
      onRequest: requireStaff,
    },
    async (req, reply) => {
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      res.write('retry: 2000\n\n')
      const unsubscribe = services.orderFeed.subscribe(({ order }) => {
        res.write(`event: order\ndata: ${JSON.stringify(consoleOrder(order))}\n\n`)
      })
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS)
      heartbeat.unref()
      streams.add(reply)
      req.raw.on('close', () => {
        clearInterval(heartbeat)
        unsubscribe()
        streams.delete(reply)
      })
    },
  )

  // Open event streams would hold the server's close forever: end them first.
  app.addHook('preClose', async () => {
    for (const reply of streams) reply.raw.end()
    streams.clear()
  })
}
