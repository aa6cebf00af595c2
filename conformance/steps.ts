// Steps several checks share: logging a fresh test user in, and the protected route they probe.
import { expectSeconds, expectStatus, expectTrue, expectUser } from './expect'
import { isObject, type Answer } from './http'
import type { Context } from './suite'

/** The protected route every back end has (docs/protocol.md "Flow routes"). */
export const PROTECTED_PATH = '/me'

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

export interface LoggedIn {
  openid: string
  token: string
  userId: string
  expiresIn: number
}

/** POST /auth/login with a fresh code for `openid` (a new test user when omitted). */
export async function login(ctx: Context, openid = ctx.newOpenid()): Promise<LoggedIn> {
  const code = await ctx.sim.loginCode(openid)
  const res = await ctx.api.request('/auth/login', { method: 'POST', body: { code } })
  expectStatus(res, 200, 'POST /auth/login')
  const body = res.json
  expectTrue(
    isObject(body),
    `POST /auth/login: expected a JSON object, got ${res.text.slice(0, 160)}`,
  )
  expectTrue(
    typeof body.token === 'string' && body.token !== '',
    'POST /auth/login: no string token in the body',
  )
  ctx.tokens.add(body.token)
  const expiresIn = expectSeconds(body.expiresIn, 'POST /auth/login expiresIn')
  const user = expectUser(body.user, 'POST /auth/login user')
  const key = await ctx.sim.sessionKey(openid)
  if (key !== null) ctx.sessionKeys.add(key)
  return { openid, token: body.token, userId: user.id, expiresIn }
}

/** POST /auth/logout with the session's bearer. */
export function logout(ctx: Context, token: string): Promise<Answer> {
  return ctx.api.request('/auth/logout', { method: 'POST', headers: bearer(token) })
}

/** The protected route with a login code in X-WX-Code (the one-round-trip login). */
export async function withCode(
  ctx: Context,
  code: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await ctx.api.request(PROTECTED_PATH, { headers: { ...headers, 'x-wx-code': code } })
  const token = res.headers['x-session-token']
  if (token !== undefined) ctx.tokens.add(token)
  return res
}

/** A login code WeChat never issued (dots keep it out of any look-alike-code fallback). */
export function unknownCode(): string {
  return `unknown.code.${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`
}
