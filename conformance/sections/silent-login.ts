// POST /auth/login: the kit's silent login (docs/protocol.md "Logging in").
import { expectError, expectStatus, expectTrue, expectUser } from '../expect'
import { bearer, login, PROTECTED_PATH } from '../steps'
import type { Section } from '../suite'

export const silentLogin: Section = {
  name: 'silent login',
  checks: [
    {
      name: 'POST /auth/login answers 200 {token, expiresIn (seconds), user}',
      run: async (ctx) => {
        await login(ctx)
      },
    },
    {
      name: 'the token works as a bearer on the protected route, for the same user',
      run: async (ctx) => {
        const s = await login(ctx)
        const me = await ctx.api.request(PROTECTED_PATH, { headers: bearer(s.token) })
        expectStatus(me, 200, `GET ${PROTECTED_PATH} with the bearer`)
        const user = expectUser(me.json, `GET ${PROTECTED_PATH}`)
        expectTrue(user.id === s.userId, `GET ${PROTECTED_PATH} answered another user's id`)
      },
    },
    {
      name: 'the same openid logs in as the same user, with a new token',
      run: async (ctx) => {
        const first = await login(ctx)
        const second = await login(ctx, first.openid)
        expectTrue(
          first.userId === second.userId,
          'a second login of one openid gave another user id',
        )
        expectTrue(first.token !== second.token, 'a second login gave the same token')
      },
    },
    {
      name: 'a body without a code is 400 VALIDATION_FAILED',
      run: async (ctx) => {
        const res = await ctx.api.request('/auth/login', { method: 'POST', body: {} })
        expectError(res, 400, 'VALIDATION_FAILED', 'POST /auth/login {}')
      },
    },
  ],
}
