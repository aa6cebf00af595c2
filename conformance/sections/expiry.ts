// Codes expire, sessions are revoked at logout and expire after expiresIn (docs/protocol.md
// "Sessions").
import { setTimeout as sleep } from 'node:timers/promises'
import { expectError, expectStatus, expectTrue } from '../expect'
import { isObject } from '../http'
import { bearer, login, logout, PROTECTED_PATH, withCode } from '../steps'
import { CheckSkipped, type Section } from '../suite'

/** wx.login codes live 5 minutes (wechat-platform.md §1). */
const CODE_TTL_MS = 5 * 60_000

export const expiryAndRevocation: Section = {
  name: 'expiry and revocation',
  checks: [
    {
      name: 'a code older than 5 minutes is 400 LOGIN_CODE_INVALID',
      run: async (ctx) => {
        const code = await ctx.sim.loginCode(ctx.newOpenid())
        await ctx.sim.advanceClock(CODE_TTL_MS + 1000)
        const res = await ctx.api.request('/auth/login', { method: 'POST', body: { code } })
        expectError(res, 400, 'LOGIN_CODE_INVALID', 'POST /auth/login with an expired code')
      },
    },
    {
      name: 'POST /auth/logout answers 200 {ok:true}; the token is then 401 SESSION_REVOKED',
      run: async (ctx) => {
        const s = await login(ctx)
        const out = await logout(ctx, s.token)
        expectStatus(out, 200, 'POST /auth/logout')
        expectTrue(
          isObject(out.json) && out.json.ok === true,
          `logout answered ${out.text.slice(0, 100)}`,
        )
        const after = await ctx.api.request(PROTECTED_PATH, { headers: bearer(s.token) })
        expectError(after, 401, 'SESSION_REVOKED', `GET ${PROTECTED_PATH} after logout`)
        const twice = await logout(ctx, s.token)
        expectError(twice, 401, 'SESSION_REVOKED', 'a second logout')
      },
    },
    {
      name: 'logout revokes only its own session',
      run: async (ctx) => {
        const a = await login(ctx)
        const b = await login(ctx, a.openid)
        const out = await logout(ctx, a.token)
        expectStatus(out, 200, 'POST /auth/logout')
        const other = await ctx.api.request(PROTECTED_PATH, { headers: bearer(b.token) })
        expectStatus(other, 200, 'the same user’s other session after logout')
      },
    },
    {
      name: 'POST /auth/logout needs a bearer: 401 SESSION_INVALID without, X-WX-Code not accepted',
      run: async (ctx) => {
        const bare = await ctx.api.request('/auth/logout', { method: 'POST' })
        expectError(bare, 401, 'SESSION_INVALID', 'POST /auth/logout without a bearer')
        const code = await ctx.sim.loginCode(ctx.newOpenid())
        const withCodeOnly = await ctx.api.request('/auth/logout', {
          method: 'POST',
          headers: { 'x-wx-code': code },
        })
        expectError(withCodeOnly, 401, 'SESSION_INVALID', 'POST /auth/logout with only X-WX-Code')
      },
    },
    {
      name: 'a session past its expiresIn is 401 SESSION_EXPIRED',
      run: async (ctx) => {
        const ttl = ctx.options.sessionTtlSec
        if (ttl === null) {
          throw new CheckSkipped(
            'give --session-ttl-sec N for a back end whose sessions last N s; the check waits that long',
          )
        }
        const res = await withCode(ctx, await ctx.sim.loginCode(ctx.newOpenid()))
        expectStatus(res, 200, 'X-WX-Code login')
        const token = res.headers['x-session-token'] ?? ''
        expectTrue(
          res.headers['x-session-expires-in'] === String(ttl),
          `X-Session-Expires-In is ${res.headers['x-session-expires-in']}, not the --session-ttl-sec ${ttl}`,
        )
        await sleep(ttl * 1000 + 1000)
        const after = await ctx.api.request(PROTECTED_PATH, { headers: bearer(token) })
        expectError(after, 401, 'SESSION_EXPIRED', 'the token after its lifetime')
      },
    },
  ],
}
