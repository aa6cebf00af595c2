// A small in-memory stand-in for the reference server, speaking the kit's contract
// (design.md "The server's contract"): codes -> tokens, X-WX-Code logins, 401 scripting, latency.
import { headerOf, type FakeRequest, type FakeResponse } from '../../../packages/headless/wx'
import type { User } from '../../../miniprogram/auth'

export const BASE = 'https://api.test'

export interface ServerError {
  status: number
  code: string
  message?: string
  retryAfter?: number
}

/** What a scripted answer can be: an error, a dropped connection, or no answer at all. */
export type Scripted = ServerError | 'network' | 'hang'

type TokenState = 'ok' | 'expired' | 'revoked'

export const USER: User = { id: 'u1', nickname: null, avatarUrl: null, phone: null }

const error = (e: ServerError): FakeResponse => ({
  statusCode: e.status,
  header: e.retryAfter === undefined ? {} : { 'Retry-After': String(e.retryAfter) },
  data: { error: { code: e.code, message: e.message ?? e.code } },
})

export function createServer(delay: (ms: number) => Promise<void>) {
  let n = 0
  const used = new Set<string>()
  const tokens = new Map<string, TokenState>()
  const s = {
    /** Successful code exchanges (login route and X-WX-Code). */
    exchanges: 0,
    /** Session lifetime the server announces, in seconds. */
    lifetimeSec: 7200,
    /** Latency in clock ms, per request. */
    latency: 0 as number | ((req: FakeRequest) => number),
    /** The next code exchanges fail with these errors, in order. */
    loginFailures: [] as ServerError[],
    /** The next calls of app routes (/p/*, /open/*) get these answers, in order. */
    script: [] as Scripted[],
    /** Every protected route answers 401 SESSION_INVALID, whatever the token. */
    always401: false,
    /** Bearer tokens the server saw, per request, in arrival order. */
    seen: [] as Array<{ path: string; token?: string; code?: string }>,
    tokens,
    /** Marks every issued token expired (401 SESSION_EXPIRED from now on). */
    expireAll() {
      for (const t of tokens.keys()) if (tokens.get(t) === 'ok') tokens.set(t, 'expired')
    },
    issued(): string[] {
      return [...tokens.keys()]
    },
    async handle(req: FakeRequest): Promise<FakeResponse> {
      const ms = typeof s.latency === 'function' ? s.latency(req) : s.latency
      const path = req.url.replace(BASE, '').split('?')[0]!
      const bearer = headerOf(req.header, 'authorization')?.replace(/^Bearer /, '')
      const code = headerOf(req.header, 'x-wx-code')
      s.seen.push({ path, token: bearer, code })
      if (ms > 0) await delay(ms)
      if (path === '/auth/login' && req.method === 'POST') {
        const r = exchange((req.data as { code?: string } | undefined)?.code)
        if ('statusCode' in r) return r
        return { statusCode: 200, data: { token: r.token, expiresIn: s.lifetimeSec, user: USER } }
      }
      if (path === '/auth/logout') {
        if (bearer && tokens.has(bearer)) tokens.set(bearer, 'revoked')
        return { statusCode: 204 }
      }
      const scripted = s.script.shift()
      if (scripted === 'network') throw new Error('net::ERR_CONNECTION_RESET')
      if (scripted === 'hang') return new Promise(() => undefined)
      if (scripted) return error(scripted)
      if (path.startsWith('/open/')) return { statusCode: 200, data: { path } }
      // protected route
      let token = bearer
      const header: Record<string, string> = {}
      if (code) {
        const r = exchange(code)
        if ('statusCode' in r) return r
        token = r.token
        // mixed case on purpose: the kit must read header names case-insensitively
        header['X-Session-Token'] = r.token
        header['x-session-EXPIRES-in'] = String(s.lifetimeSec)
      }
      const state = token ? tokens.get(token) : undefined
      if (!token) return error({ status: 401, code: 'SESSION_INVALID' })
      if (s.always401 || state !== 'ok') {
        const c =
          state === 'expired'
            ? 'SESSION_EXPIRED'
            : state === 'revoked'
              ? 'SESSION_REVOKED'
              : 'SESSION_INVALID'
        return { ...error({ status: 401, code: c }), header }
      }
      return { statusCode: 200, header, data: { path, token, method: req.method } }
    },
  }

  function exchange(code: string | undefined): { token: string } | FakeResponse {
    const f = s.loginFailures.shift()
    if (f) return error(f)
    if (!code) return error({ status: 400, code: 'LOGIN_CODE_INVALID' })
    if (used.has(code)) return error({ status: 400, code: 'LOGIN_CODE_USED' })
    used.add(code)
    s.exchanges++
    const token = `tok-${++n}`
    tokens.set(token, 'ok')
    return { token }
  }

  return s
}

export type FakeServer = ReturnType<typeof createServer>
