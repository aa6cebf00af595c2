// Authentication: a bearer token verified against the session store (cached), or the
// one-round-trip login with a fresh `X-WX-Code` on any protected route. Routes run it as an
// `onRequest` hook, so an unauthenticated call gets its 401 before its headers or body are
// parsed or validated.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import { AppError, unauthorized } from '../errors'
import { isSessionError, type SessionService } from '../services/sessions'
import type { UserRow, UserService } from '../services/users'
import type { WeChatClient } from '../wechat/types'
import type { RateLimits } from './rate-limits'

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
/** What a wx.login code can look like (schemas/common WxCode); anything else is no credential. */
const WX_CODE_RE = /^[\x21-\x7e]{1,128}$/

export class AuthService {
  /**
   * Logins in progress, by code. Requests carrying the same code while the first exchange is
   * still running join it and share its one session; once it has finished, the WeChat client
   * remembers the code as used, so later requests get LOGIN_CODE_USED. One code, one session.
   */
  private readonly inflight = new Map<string, Promise<LoginResult>>()

  constructor(
    private readonly deps: {
      wechat: WeChatClient
      users: UserService
      sessions: SessionService
      limits: RateLimits
      log: Logger
    },
  ) {}

  /** A login with a wx.login code, counted against the client's login budget. */
  async login(code: string, req: FastifyRequest): Promise<LoginResult> {
    await this.deps.limits.login(req)
    const pending = this.inflight.get(code)
    if (pending !== undefined) return pending
    const started = this.exchangeAndOpenSession(code).finally(() => this.inflight.delete(code))
    this.inflight.set(code, started)
    return started
  }

  /** code2Session, upsert the user by openid, replace its session_key, open a session. */
  private async exchangeAndOpenSession(code: string): Promise<LoginResult> {
    const s = await this.deps.wechat.code2Session(code)
    const user = await this.deps.users.upsertByOpenid(s.openid, s.unionid)
    await this.deps.users.storeSessionKey(user.id, s.sessionKey)
    const session = await this.deps.sessions.create(user.id)
    this.deps.log.info({ userId: user.id, sessionId: session.sessionId }, 'user logged in')
    return { ...session, user }
  }

  /** onRequest hook of bearer-only routes. */
  requireBearer = async (req: FastifyRequest): Promise<void> => {
    req.auth = await this.verifyBearer(req.headers.authorization)
  }

  /** onRequest hook of protected routes: a bearer, else an `X-WX-Code` login. */
  requireAuth = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    let bearerError: AppError | null = null
    if (req.headers.authorization !== undefined) {
      try {
        req.auth = await this.verifyBearer(req.headers.authorization)
        return
      } catch (e) {
        if (!isSessionError(e)) throw e
        bearerError = e
      }
    }
    const code = req.headers['x-wx-code']
    if (typeof code === 'string' && WX_CODE_RE.test(code)) {
      const r = await this.login(code, req)
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

  private async verifyBearer(header: string | undefined): Promise<AuthContext> {
    if (header === undefined || header === '') {
      throw unauthorized('SESSION_INVALID', 'authentication required')
    }
    const m = BEARER_RE.exec(header)
    if (m === null) throw unauthorized('SESSION_INVALID', 'Authorization must be "Bearer <token>"')
    const v = await this.deps.sessions.verify(m[1]!)
    return { userId: v.userId, sessionId: v.sessionId }
  }
}

export function requireAuthContext(req: FastifyRequest): AuthContext {
  if (req.auth === null) throw unauthorized('SESSION_INVALID', 'authentication required')
  return req.auth
}
