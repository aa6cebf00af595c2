// Login codes are single-use, whichever route spent them (docs/protocol.md "Why it looks like
// this", 1).
import { expectError, expectStatus, expectTrue, expectUser } from '../expect'
import { isObject } from '../http'
import { unknownCode, withCode } from '../steps'
import type { Section } from '../suite'

export const singleUse: Section = {
  name: 'single-use codes',
  checks: [
    {
      name: 'a code POST /auth/login used is 400 LOGIN_CODE_USED the second time',
      run: async (ctx) => {
        const code = await ctx.sim.loginCode(ctx.newOpenid())
        const first = await ctx.api.request('/auth/login', { method: 'POST', body: { code } })
        expectStatus(first, 200, 'first POST /auth/login')
        const second = await ctx.api.request('/auth/login', { method: 'POST', body: { code } })
        expectError(second, 400, 'LOGIN_CODE_USED', 'second POST /auth/login')
      },
    },
    {
      name: 'a code POST /auth/login used is LOGIN_CODE_USED in X-WX-Code',
      run: async (ctx) => {
        const code = await ctx.sim.loginCode(ctx.newOpenid())
        const first = await ctx.api.request('/auth/login', { method: 'POST', body: { code } })
        expectStatus(first, 200, 'POST /auth/login')
        expectError(await withCode(ctx, code), 400, 'LOGIN_CODE_USED', 'the same code in X-WX-Code')
      },
    },
    {
      name: 'a code X-WX-Code used is LOGIN_CODE_USED on POST /auth/login',
      run: async (ctx) => {
        const code = await ctx.sim.loginCode(ctx.newOpenid())
        expectStatus(await withCode(ctx, code), 200, 'X-WX-Code')
        const second = await ctx.api.request('/auth/login', { method: 'POST', body: { code } })
        expectError(second, 400, 'LOGIN_CODE_USED', 'the same code on POST /auth/login')
      },
    },
    {
      name: 'two logins racing with one code share its one exchange: the same user for both',
      run: async (ctx) => {
        const code = await ctx.sim.loginCode(ctx.newOpenid())
        // WeChat answers slowly, so the second request arrives while the first exchange runs.
        await ctx.sim.fault('jscode2session', { delayMs: 300 })
        const both = await Promise.all(
          [0, 1].map(() => ctx.api.request('/auth/login', { method: 'POST', body: { code } })),
        )
        for (const res of both) {
          expectStatus(res, 200, 'a racing POST /auth/login')
          if (isObject(res.json) && typeof res.json.token === 'string')
            ctx.tokens.add(res.json.token)
        }
        const [a, b] = both.map((res) =>
          expectUser(isObject(res.json) ? res.json.user : null, 'user'),
        )
        expectTrue(a!.id === b!.id, 'the two logins with one code gave two users')
      },
    },
    {
      name: 'a code WeChat never issued is 400 LOGIN_CODE_INVALID',
      run: async (ctx) => {
        const res = await ctx.api.request('/auth/login', {
          method: 'POST',
          body: { code: unknownCode() },
        })
        expectError(res, 400, 'LOGIN_CODE_INVALID', 'POST /auth/login with an unknown code')
      },
    },
  ],
}
