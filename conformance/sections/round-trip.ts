// X-WX-Code on a protected route: the cold start in one round trip (docs/protocol.md "One
// round trip").
import { expectError, expectSeconds, expectStatus, expectTrue, expectUser } from '../expect'
import { bearer, login, logout, PROTECTED_PATH, unknownCode, withCode } from '../steps'
import type { Section } from '../suite'

const EXPOSED = ['x-session-token', 'x-session-expires-in']

export const roundTrip: Section = {
  name: 'one round trip (X-WX-Code)',
  checks: [
    {
      name: 'a fresh code in X-WX-Code logs in and serves the call, the token in X-Session-Token',
      run: async (ctx) => {
        const openid = ctx.newOpenid()
        const res = await withCode(ctx, await ctx.sim.loginCode(openid))
        expectStatus(res, 200, `GET ${PROTECTED_PATH} with X-WX-Code`)
        const token = res.headers['x-session-token']
        expectTrue(token !== undefined && token !== '', 'no X-Session-Token header')
        expectSeconds(res.headers['x-session-expires-in'], 'X-Session-Expires-In')
        expectTrue(
          !res.text.includes(token),
          'the token is in the body; it belongs in the header only',
        )
        const user = expectUser(res.json, `GET ${PROTECTED_PATH}`)
        const again = await ctx.api.request(PROTECTED_PATH, { headers: bearer(token) })
        expectStatus(again, 200, 'the X-Session-Token as a bearer')
        expectTrue(
          expectUser(again.json, 'the bearer call').id === user.id,
          'the bearer is another user',
        )
        const same = await login(ctx, openid)
        expectTrue(
          same.userId === user.id,
          'POST /auth/login and X-WX-Code gave one openid two users',
        )
      },
    },
    {
      name: 'Access-Control-Expose-Headers names X-Session-Token and X-Session-Expires-In',
      run: async (ctx) => {
        const res = await withCode(ctx, await ctx.sim.loginCode(ctx.newOpenid()))
        expectStatus(res, 200, `GET ${PROTECTED_PATH} with X-WX-Code`)
        const exposed = (res.headers['access-control-expose-headers'] ?? '')
          .split(',')
          .map((h) => h.trim().toLowerCase())
        for (const h of EXPOSED) {
          expectTrue(
            exposed.includes(h),
            `Access-Control-Expose-Headers lacks ${h}: ${JSON.stringify(exposed)}`,
          )
        }
      },
    },
    {
      name: 'a valid bearer wins over X-WX-Code, and the code is left unused',
      run: async (ctx) => {
        const s = await login(ctx)
        const code = await ctx.sim.loginCode(s.openid)
        const res = await withCode(ctx, code, bearer(s.token))
        expectStatus(res, 200, 'bearer plus X-WX-Code')
        expectTrue(
          res.headers['x-session-token'] === undefined,
          'a new session was opened despite a valid bearer',
        )
        const later = await ctx.api.request('/auth/login', { method: 'POST', body: { code } })
        expectStatus(later, 200, 'POST /auth/login with the code the bearer call ignored')
      },
    },
    {
      name: 'a revoked bearer with a fresh X-WX-Code logs in again',
      run: async (ctx) => {
        const s = await login(ctx)
        const out = await logout(ctx, s.token)
        expectStatus(out, 200, 'POST /auth/logout')
        const res = await withCode(ctx, await ctx.sim.loginCode(s.openid), bearer(s.token))
        expectStatus(res, 200, 'revoked bearer plus a fresh X-WX-Code')
        expectTrue(res.headers['x-session-token'] !== undefined, 'no X-Session-Token')
      },
    },
    {
      name: 'an unknown X-WX-Code is 400 LOGIN_CODE_INVALID, with no X-Session-Token',
      run: async (ctx) => {
        const res = await withCode(ctx, unknownCode())
        expectError(res, 400, 'LOGIN_CODE_INVALID', 'X-WX-Code unknown')
        expectTrue(
          res.headers['x-session-token'] === undefined,
          'X-Session-Token on a failed login',
        )
      },
    },
  ],
}
