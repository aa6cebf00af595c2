// The login protocol as Fastify hooks, over the framework-neutral LoginCore (core/): a bearer
// token verified against the session store (cached), or the one-round-trip login with a fresh
// `X-WX-Code` on any protected route. Routes run the hooks as `onRequest`, so an unauthenticated
// call gets its 401 before its headers or body are parsed or validated. The registrable plugin
// (fastify/) is built on these hooks; AuthService adds the reference server's login rate limit.
// The Express middleware (express/) is the same adapter for Express.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import { LoginCore, sessionHeaders, type AuthContext, type LoginResult } from '../core'
import { unauthorized } from '../errors'
import type { SessionService } from '../services/sessions'
import type { UserService } from '../services/users'
import type { WeChatClient } from '../wechat/types'
import type { RateLimits } from './rate-limits'

export type { AuthContext, LoginResult } from '../core'
export { EXPOSED_HEADERS } from '../core'

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name]
  return typeof v === 'string' ? v : undefined
}

/** The protocol's two onRequest hooks over a LoginCore (shared by AuthService and the plugin). */
export function loginHooks(core: LoginCore<FastifyRequest>) {
  return {
    /** onRequest hook of bearer-only routes. */
    requireBearer: async (req: FastifyRequest): Promise<void> => {
      req.auth = await core.verifyBearer(req.headers.authorization)
    },
    /** onRequest hook of protected routes: a bearer, else an `X-WX-Code` login. */
    requireAuth: async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const { auth, issued } = await core.authenticate(
        { authorization: req.headers.authorization, wxCode: header(req, 'x-wx-code') },
        req,
      )
      req.auth = auth
      if (issued !== null) reply.headers(sessionHeaders(issued))
    },
  }
}

export class AuthService {
  readonly core: LoginCore<FastifyRequest>
  readonly requireBearer: (req: FastifyRequest) => Promise<void>
  readonly requireAuth: (req: FastifyRequest, reply: FastifyReply) => Promise<void>

  constructor(deps: {
    wechat: WeChatClient
    users: UserService
    sessions: SessionService
    limits: RateLimits
    log: Logger
  }) {
    this.core = new LoginCore<FastifyRequest>({
      wechat: deps.wechat,
      users: deps.users,
      sessions: deps.sessions,
      log: deps.log,
      // Every login is counted against the client's login budget before it reaches WeChat.
      beforeLogin: (req) => deps.limits.login(req),
    })
    const hooks = loginHooks(this.core)
    this.requireBearer = hooks.requireBearer
    this.requireAuth = hooks.requireAuth
  }

  /** A login with a wx.login code (POST /auth/login). */
  login(code: string, req: FastifyRequest): Promise<LoginResult> {
    return this.core.login(code, req)
  }
}

export function requireAuthContext(req: FastifyRequest): AuthContext {
  if (req.auth === null) throw unauthorized('SESSION_INVALID', 'authentication required')
  return req.auth
}
