// The login protocol as Express middleware (docs/protocol.md), over the framework-neutral
// LoginCore. It needs nothing from Express at run time: handlers take Node's request and
// response (which Express's extend) and call `next(err)` on failure, as Express's error-handling
// middleware convention expects (an error handler is the one with four arguments). Body parsing
// stays the app's: mount `express.json()` on the routes that read a body, after `requireAuth`,
// so an unauthenticated call gets its 401 before its body is parsed. (Express tells an error
// handler by its arity: "error-handling middleware always takes four arguments", expressjs.com
// guide "Error handling"; so `errorHandler` keeps its unused `next`-style fourth parameter.)
//
//   const wx = wxLoginMiddleware(core)
//   app.post('/auth/login', express.json(), wx.login)
//   app.post('/auth/logout', wx.requireBearer, wx.logout)
//   app.get('/me', wx.requireAuth, (req, res) => { const { userId } = wx.authOf(req); … })
//   app.use(wx.notFound)
//   app.use(wx.errorHandler)
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  errorBody,
  INTERNAL_ERROR,
  protocolErrorAnswer,
  sessionHeaders,
  type AuthContext,
  type ErrorAnswer,
  type LoginCore,
} from '../core'
import { unauthorized } from '../errors'
import { toUserJson } from '../services/users'

/** What the middleware reads of Express's request (body: set by express.json()). */
export interface WxRequest extends IncomingMessage {
  body?: unknown
  ip?: string | undefined
}

export type Next = (err?: unknown) => void
export type Handler = (req: WxRequest, res: ServerResponse, next: Next) => void
export type ErrorHandler = (err: unknown, req: WxRequest, res: ServerResponse, next: Next) => void

export interface WxLoginMiddleware {
  /** POST /auth/login `{code}` → `{token, expiresIn, user}`. */
  login: Handler
  /** POST /auth/logout (after `requireBearer`) → `{ok: true}`. */
  logout: Handler
  /** Protected routes: a valid bearer, else a fresh X-WX-Code (the answer carries the token). */
  requireAuth: Handler
  /** Bearer-only routes. */
  requireBearer: Handler
  /** Who the request is; throws 401 if no `require*` middleware ran before. */
  authOf(req: WxRequest): AuthContext
  /** The protocol's 404 for routes nobody served. */
  notFound: Handler
  /** Every failure as `{error:{code,message}}` with its status (and Retry-After). */
  errorHandler: ErrorHandler
}

export interface WxLoginMiddlewareOptions {
  /** Called with errors answered 5xx (default: console.error with the error's name and message). */
  onServerError?: (err: unknown, req: WxRequest) => void
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return typeof v === 'string' ? v : undefined
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.end(JSON.stringify(body))
}

/**
 * body-parser's failures (express.json()): errors with a string `type` ('entity.parse.failed',
 * 'entity.too.large', 'charset.unsupported', …) and the HTTP `status` it suggests (body-parser's
 * README, "Errors"). Its 4xx become the protocol's codes; a 5xx stays INTERNAL.
 */
function bodyParserAnswer(err: unknown): ErrorAnswer | null {
  if (typeof err !== 'object' || err === null) return null
  const { type, status } = err as { type?: unknown; status?: unknown }
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500) {
    return null
  }
  if (status === 413) {
    return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' }
  }
  if (status === 415) {
    return { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'unsupported content type' }
  }
  return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'malformed request' }
}

/** Runs an async step as Express middleware: a rejection goes to `next(err)`. */
function handler(step: (req: WxRequest, res: ServerResponse) => Promise<boolean>): Handler {
  return (req, res, next) => {
    step(req, res).then(
      (callNext) => {
        if (callNext) next()
      },
      (err: unknown) => next(err),
    )
  }
}

export function wxLoginMiddleware(
  core: LoginCore<WxRequest>,
  opts: WxLoginMiddlewareOptions = {},
): WxLoginMiddleware {
  const auths = new WeakMap<IncomingMessage, AuthContext>()
  const onServerError =
    opts.onServerError ??
    ((err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err))
      console.error(`request failed: ${e.name}: ${e.message}`)
    })

  const authOf = (req: WxRequest): AuthContext => {
    const auth = auths.get(req)
    if (auth === undefined) throw unauthorized('SESSION_INVALID', 'authentication required')
    return auth
  }

  return {
    login: handler(async (req, res) => {
      const body = req.body
      const code =
        typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined
      if (typeof code !== 'string' || code === '' || code.length > 128) {
        sendJson(
          res,
          400,
          errorBody({
            statusCode: 400,
            code: 'VALIDATION_FAILED',
            message: 'body must be {"code": "<wx.login code>"}',
          }),
        )
        return false
      }
      const r = await core.login(code, req)
      res.setHeader('Cache-Control', 'no-store')
      sendJson(res, 200, { token: r.token, expiresIn: r.expiresIn, user: toUserJson(r.user) })
      return false
    }),

    logout: handler(async (req, res) => {
      await core.logout(authOf(req))
      sendJson(res, 200, { ok: true })
      return false
    }),

    requireAuth: handler(async (req, res) => {
      const { auth, issued } = await core.authenticate(
        { authorization: header(req, 'authorization'), wxCode: header(req, 'x-wx-code') },
        req,
      )
      auths.set(req, auth)
      if (issued !== null) {
        for (const [name, value] of Object.entries(sessionHeaders(issued)))
          res.setHeader(name, value)
      }
      return true
    }),

    requireBearer: handler(async (req) => {
      auths.set(req, await core.verifyBearer(header(req, 'authorization')))
      return true
    }),

    authOf,

    notFound: (req, res) => {
      const path = (req.url ?? '/').split('?')[0]!.slice(0, 100)
      sendJson(
        res,
        404,
        errorBody({
          statusCode: 404,
          code: 'NOT_FOUND',
          message: `no route ${req.method ?? 'GET'} ${path}`,
        }),
      )
    },

    errorHandler: (err, req, res, next) => {
      if (res.headersSent) {
        next(err)
        return
      }
      const a = protocolErrorAnswer(err) ?? bodyParserAnswer(err) ?? INTERNAL_ERROR
      if (a.statusCode >= 500) onServerError(err, req)
      if (a.retryAfterSec !== undefined) res.setHeader('Retry-After', String(a.retryAfterSec))
      sendJson(res, a.statusCode, errorBody(a))
    },
  }
}
