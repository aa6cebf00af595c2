// Authentication: a bearer token verified against the session store (cached), or the
// one-round-trip login with a fresh `X-WX-Code` on any protected route.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import { AppError, rateLimited, unauthorized } from '../errors'
import type { RateLimiter } from '../services/rate-limiter'
import { isSessionError, type SessionService, type VerifiedSession } from '../services/sessions'
import type { UserRow, UserService } from '../services/users'
import type { WeChatClient } from '../wechat/types'
import { slideSession } from './session-sliding'

export interface AuthContext {
  userId: string
  sessionId: string
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null
  }
}

export interface LoginResult {
  token: string
  expiresIn: number
  sessionId: string
  user: UserRow
}

export const EXPOSED_HEADERS = 'X-Session-Token, X-Session-Expires-In'

const BEARER_RE = /^Bearer +([^\s]{1,300})$/i

export class AuthService {
  constructor(
    private readonly deps: {
      wechat: WeChatClient
      users: UserService
      sessions: SessionService
      loginLimiter: RateLimiter
      log: Logger
    },
  ) {}

  /** code2Session, upsert the user by openid, replace its session_key, open a session. */
  async login(code: string, ip: string): Promise<LoginResult> {
    const limit = this.deps.loginLimiter.hit(`ip:${ip}`)
    if (!limit.ok) throw rateLimited(limit.retryAfterSec)
    const s = await this.deps.wechat.code2Session(code)
    const user = await this.deps.users.upsertByOpenid(s.openid, s.unionid)
    await this.deps.users.storeSessionKey(user.id, s.sessionKey)
    const session = await this.deps.sessions.create(user.id)
    this.deps.log.info({ userId: user.id, sessionId: session.sessionId }, 'user logged in')
    return { ...session, user }
  }

  /** preHandler for bearer-only routes. */
  requireBearer = async (req: FastifyRequest): Promise<void> => {
    req.auth = authContext(await this.verifyBearer(req.headers.authorization))
  }

  /** preHandler for protected routes: a bearer, else an `X-WX-Code` login. */
  requireAuth = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    let bearerError: AppError | null = null
    if (req.headers.authorization !== undefined) {
      try {
        const verified = await this.verifyBearer(req.headers.authorization)
        req.auth = authContext(verified)
        await slideSession(this.deps.sessions, verified, reply, this.deps.log)
        return
      } catch (e) {
        if (!isSessionError(e)) throw e
        bearerError = e
      }
    }
    const code = req.headers['x-wx-code']
    if (typeof code === 'string' && code.length > 0) {
      const r = await this.login(code, req.ip)
      req.auth = { userId: r.user.id, sessionId: r.sessionId }
      reply
        .header('X-Session-Token', r.token)
        .header('X-Session-Expires-In', String(r.expiresIn))
        .header('Access-Control-Expose-Headers', EXPOSED_HEADERS)
        .header('Cache-Control', 'no-store')
      return
    }
    throw bearerError ?? unauthorized('SESSION_INVALID', 'authentication required')
  }

  private async verifyBearer(header: string | undefined): Promise<VerifiedSession> {
    if (header === undefined || header === '') {
      throw unauthorized('SESSION_INVALID', 'authentication required')
    }
    const m = BEARER_RE.exec(header)
    if (m === null) throw unauthorized('SESSION_INVALID', 'Authorization must be "Bearer <token>"')
    return this.deps.sessions.verify(m[1]!)
  }
}

function authContext(v: VerifiedSession): AuthContext {
  return { userId: v.userId, sessionId: v.sessionId }
}

export function requireAuthContext(req: FastifyRequest): AuthContext {
  if (req.auth === null) throw unauthorized('SESSION_INVALID', 'authentication required')
  return req.auth
}
