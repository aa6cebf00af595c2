// Every failure is {error:{code,message}} with the status the kit acts on, and WeChat's
// failures map to the back end's own codes (docs/protocol.md "Error codes").
import { expectError, expectTrue } from '../expect'
import { isObject, type Answer } from '../http'
import { PROTECTED_PATH } from '../steps'
import type { Check, Context, Section } from '../suite'

type WeChatFault = { errcode?: number; errmsg?: string; status?: number }

/** Logs in while the simulated WeChat answers jscode2session with this fault. */
async function loginUnderFault(ctx: Context, fault: WeChatFault): Promise<Answer> {
  const code = await ctx.sim.loginCode(ctx.newOpenid())
  await ctx.sim.fault('jscode2session', fault)
  return ctx.api.request('/auth/login', { method: 'POST', body: { code } })
}

/**
 * A check that a login while WeChat answers `fault` fails with `status` and `code` (what the
 * kit acts on), then whatever `more` checks on that answer.
 */
function loginFaultCheck(
  name: string,
  fault: WeChatFault,
  [status, code]: [number, string],
  more: (res: Answer) => void = () => undefined,
): Check {
  return {
    name,
    run: async (ctx) => {
      const res = await loginUnderFault(ctx, fault)
      const answered = fault.errcode ?? fault.status
      expectError(res, status, code, `login while WeChat answers ${answered}`)
      more(res)
    },
  }
}

/** WeChat's errmsg (with its rid) stays on the server. */
function expectOwnMessage(a: Answer, errmsg: string): void {
  const message = isObject(a.json) && isObject(a.json.error) ? String(a.json.error.message) : ''
  expectTrue(!message.includes(errmsg), `the message copies WeChat's errmsg: ${message}`)
  expectTrue(!/\brid:/.test(a.text), `the answer carries WeChat's rid: ${a.text.slice(0, 160)}`)
}

export const errorEnvelope: Section = {
  name: 'the error envelope',
  checks: [
    {
      name: `the protected route without credentials is 401 SESSION_INVALID`,
      run: async (ctx) => {
        expectError(await ctx.api.request(PROTECTED_PATH), 401, 'SESSION_INVALID', 'no credentials')
      },
    },
    {
      name: 'an unknown bearer and a malformed Authorization are 401 SESSION_INVALID',
      run: async (ctx) => {
        const unknown = await ctx.api.request(PROTECTED_PATH, {
          headers: { authorization: 'Bearer s0000000000000000000000.conformance-unknown-token' },
        })
        expectError(unknown, 401, 'SESSION_INVALID', 'an unknown bearer')
        const basic = await ctx.api.request(PROTECTED_PATH, {
          headers: { authorization: 'Basic dXNlcjpwYXNz' },
        })
        expectError(basic, 401, 'SESSION_INVALID', 'Authorization: Basic')
      },
    },
    {
      name: 'authentication comes before validation: PUT /me with a bad body and no session is 401',
      run: async (ctx) => {
        const res = await ctx.api.request(PROTECTED_PATH, {
          method: 'PUT',
          body: { nickname: 42, unexpected: true },
        })
        expectError(res, 401, 'SESSION_INVALID', 'PUT /me, bad body, no session')
      },
    },
    {
      name: 'malformed JSON is 400 VALIDATION_FAILED',
      run: async (ctx) => {
        const res = await ctx.api.request('/auth/login', { method: 'POST', rawBody: '{"code":' })
        expectError(res, 400, 'VALIDATION_FAILED', 'POST /auth/login with broken JSON')
      },
    },
    {
      name: 'an unknown route is 404 NOT_FOUND',
      run: async (ctx) => {
        const res = await ctx.api.request(`/conformance-no-such-route-${Date.now()}`)
        expectError(res, 404, 'NOT_FOUND', 'an unknown route')
      },
    },
    loginFaultCheck(
      'WeChat 40226 is 403 WECHAT_RISK_BLOCKED',
      { errcode: 40226 },
      [403, 'WECHAT_RISK_BLOCKED'],
      (res) => expectOwnMessage(res, 'code blocked'),
    ),
    loginFaultCheck(
      'WeChat 45011 is 429 RATE_LIMITED with Retry-After',
      { errcode: 45011 },
      [429, 'RATE_LIMITED'],
      (res) => {
        const ra = res.headers['retry-after'] ?? ''
        expectTrue(
          /^\d+$/.test(ra) && Number(ra) > 0,
          `Retry-After is ${JSON.stringify(ra)}, not seconds`,
        )
        expectOwnMessage(res, 'minute-quota')
      },
    ),
    loginFaultCheck(
      'WeChat -1 (system error) is 503 WECHAT_UNAVAILABLE',
      { errcode: -1, errmsg: 'system error conformance-probe' },
      [503, 'WECHAT_UNAVAILABLE'],
      (res) => expectOwnMessage(res, 'conformance-probe'),
    ),
    loginFaultCheck('WeChat answering HTTP 502 is 503 WECHAT_UNAVAILABLE', { status: 502 }, [
      503,
      'WECHAT_UNAVAILABLE',
    ]),
  ],
}
