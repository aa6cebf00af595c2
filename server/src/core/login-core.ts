// The login protocol's server half, framework-neutral (docs/protocol.md): code exchange with
// coalescing, users by openid (unionid kept), sessions with revocation, and the protected-route
// rule "a valid bearer, else a fresh X-WX-Code". The Fastify plugin (fastify/) and the
// Express middleware (express/) are thin adapters over it: they read two headers, call
// `authenticate`, and write `sessionHeaders(issued)` on the answer.
import type { Logger } from 'pino'
import { AppError, unauthorized } from '../errors'
import { isSessionError, type SessionService, type VerifiedSession } from '../services/sessions'
import type { UserRow, UserService } from '../services/users'
import type { WeChatClient } from '../wechat/types'

/** Who a request is, once authenticated. */
export interface AuthContext {
  userId: string
  sessionId: string
}

/** A token the answer hands to the client, with its lifetime in seconds. */
export interface SessionGrant {
  token: string
  expiresIn: number
}

/** A login: the new session's token and lifetime (seconds), and the user. */
export interface LoginResult extends SessionGrant {
  sessionId: string
  user: UserRow
}

/** The two credentials a protected route reads, as the headers carried them. */
export interface Credentials {
  /** The `Authorization` header. */
  authorization: string | undefined
  /** The `X-WX-Code` header. */
  wxCode: string | undefined
}

export interface Authenticated {
  auth: AuthContext
  /** The login an X-WX-Code caused; null for a bearer. */
  login: LoginResult | null
  /**
   * The token this answer must carry in `sessionHeaders`: the X-WX-Code login's, or the new token
   * of a bearer session that slid (used in the last third of its lifetime); null for neither.
   */
  issued: SessionGrant | null
}

export interface LoginCoreOptions<Req> {
  wechat: WeChatClient
  users: UserService
  sessions: SessionService
  log: Logger
  /**
   * Runs before every login that will reach WeChat, with the framework's request (rate limits:
   * throw an AppError such as RATE_LIMITED to refuse). Default: none.
   */
  beforeLogin?: (req: Req) => Promise<void>
}

const BEARER_RE = /^Bearer +([^\s]{1,300})$/i
/** What a wx.login code can look like; anything else in X-WX-Code is no credential. */
const WX_CODE_RE = /^[\x21-\x7e]{1,128}$/

export class LoginCore<Req = unknown> {
  /**
   * Logins in progress, by code. Requests carrying the same code while the first exchange is
   * still running join it and share its one session; once it has finished, the WeChat client
   * remembers the code as used, so later requests get LOGIN_CODE_USED. One code, one session.
   */
  private readonly inflight = new Map<string, Promise<LoginResult>>()

  constructor(private readonly opts: LoginCoreOptions<Req>) {}

  get users(): UserService {
    return this.opts.users
  }

  get sessions(): SessionService {
    return this.opts.sessions
  }

  /** POST /auth/login, and the first half of an X-WX-Code call. */
  async login(code: string, req: Req): Promise<LoginResult> {
    if (this.opts.beforeLogin) await this.opts.beforeLogin(req)
    const pending = this.inflight.get(code)
    if (pending !== undefined) return pending
    const started = this.exchangeAndOpenSession(code).finally(() => this.inflight.delete(code))
    this.inflight.set(code, started)
    return started
  }

  /** A protected route: a valid bearer, else a login with a fresh X-WX-Code, else 401. */
  async authenticate(creds: Credentials, req: Req): Promise<Authenticated> {
    let bearerError: AppError | null = null
    if (creds.authorization !== undefined) {
      try {
        const verified = await this.verifySession(creds.authorization)
        return { auth: contextOf(verified), login: null, issued: await this.slide(verified) }
      } catch (e) {
        if (!isSessionError(e)) throw e
        bearerError = e
      }
    }
    const code = creds.wxCode
    if (code !== undefined && WX_CODE_RE.test(code)) {
      const login = await this.login(code, req)
      return { auth: { userId: login.user.id, sessionId: login.sessionId }, login, issued: login }
    }
    throw bearerError ?? unauthorized('SESSION_INVALID', 'authentication required')
  }

  /** A bearer-only route (logout): `Authorization: Bearer <token>` or 401. */
  async verifyBearer(header: string | undefined): Promise<AuthContext> {
    return contextOf(await this.verifySession(header))
  }

  private async verifySession(header: string | undefined): Promise<VerifiedSession> {
    if (header === undefined || header === '') {
      throw unauthorized('SESSION_INVALID', 'authentication required')
    }
    const m = BEARER_RE.exec(header)
    if (m === null) throw unauthorized('SESSION_INVALID', 'Authorization must be "Bearer <token>"')
    return this.opts.sessions.verify(m[1]!)
  }

  /**
   * Sliding sessions: a session due for rotation gets a new token on this ordinary answer. A
   * failed rotation (database trouble) never fails the call: the session slides on a later one.
   */
  private async slide(verified: VerifiedSession): Promise<SessionGrant | null> {
    try {
      const rotated = await this.opts.sessions.rotateIfDue(verified)
      if (rotated === null) return null
      this.opts.log.info({ sessionId: rotated.sessionId }, 'session rotated')
      return { token: rotated.token, expiresIn: rotated.expiresIn }
    } catch (err) {
      this.opts.log.warn({ err: { message: (err as Error).message } }, 'session rotation failed')
      return null
    }
  }

  /** POST /auth/logout: revokes the session on every instance before it resolves. */
  async logout(auth: AuthContext): Promise<void> {
    await this.opts.sessions.revoke(auth.sessionId)
  }

  /** code2Session, upsert the user by openid, replace its session_key, open a session. */
  private async exchangeAndOpenSession(code: string): Promise<LoginResult> {
    const s = await this.opts.wechat.code2Session(code)
    const user = await this.opts.users.upsertByOpenid(s.openid, s.unionid)
    await this.opts.users.storeSessionKey(user.id, s.sessionKey)
    const session = await this.opts.sessions.create(user.id)
    this.opts.log.info({ userId: user.id, sessionId: session.sessionId }, 'user logged in')
    return { ...session, user }
  }
}

function contextOf(v: VerifiedSession): AuthContext {
  return { userId: v.userId, sessionId: v.sessionId }
}
