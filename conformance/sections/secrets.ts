// Runs last: no answer the suite received carried a session_key, and no answer but POST
// /auth/login's carried a token in its body (docs/protocol.md "Why it looks like this", 2).
import { expectTrue } from '../expect'
import type { Section } from '../suite'

export const noSecretsInBodies: Section = {
  name: 'no secrets in bodies',
  checks: [
    {
      name: "no answer carries a user's session_key",
      run: async (ctx) => {
        const keys = [...ctx.sessionKeys]
        for (const openid of ctx.openids) {
          const key = await ctx.sim.sessionKey(openid)
          if (key !== null) keys.push(key)
        }
        expectTrue(
          keys.length > 0,
          'the simulated WeChat holds no session_key for the suite’s users',
        )
        for (const a of ctx.api.recorded) {
          for (const key of keys) {
            const where = `${a.method} ${a.path}`
            expectTrue(!a.text.includes(key), `${where} answered a session_key in its body`)
            const inHeader = Object.values(a.headers).some((v) => v.includes(key))
            expectTrue(!inHeader, `${where} answered a session_key in a header`)
          }
        }
      },
    },
    {
      name: 'no body but POST /auth/login carries a token',
      run: async (ctx) => {
        expectTrue(ctx.tokens.size > 0, 'the suite saw no token')
        for (const a of ctx.api.recorded) {
          if (a.method === 'POST' && a.path === '/auth/login') continue
          for (const token of ctx.tokens) {
            expectTrue(
              !a.text.includes(token),
              `${a.method} ${a.path} answered a token in its body`,
            )
          }
        }
      },
    },
  ],
}
