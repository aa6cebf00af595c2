// The framework-neutral core of the login protocol, without any web framework: what the Fastify
// plugin and the Express middleware both rely on.
import { AppError } from '../src/errors'
import {
  createLoginCore,
  protocolErrorAnswer,
  sessionHeaders,
  type LoginCoreHandle,
} from '../src/core'
import { createWeChatClient } from '../src/wechat/client'
import { createSimWeChat, type SimWeChat } from '../src/wechat/sim/sim'
import { WeChatTransportError } from '../src/wechat/transport'
import { WeChatApiError } from '../src/wechat/types'

interface FakeRequest {
  ip: string
}

const SECRET = 'login-core-test-secret-0123456789abcdef'
const req: FakeRequest = { ip: '127.0.0.1' }

let sim: SimWeChat
let handle: LoginCoreHandle<FakeRequest>
let refused: FakeRequest[]

beforeEach(async () => {
  sim = createSimWeChat()
  refused = []
  handle = await createLoginCore<FakeRequest>({
    wechat: createWeChatClient({ appid: sim.appid, secret: sim.secret, transport: sim.transport }),
    sessionSecret: SECRET,
    sessionTtlSec: 3600,
    beforeLogin: async (r) => {
      if (r.ip === '203.0.113.9') {
        refused.push(r)
        throw new AppError(429, 'RATE_LIMITED', 'too many logins', 30)
      }
    },
  })
})

afterEach(async () => {
  await handle.close()
})

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e,
  )
}

describe('LoginCore', () => {
  test('a login gives a token of the configured lifetime for the user of that openid', async () => {
    const { code } = sim.mintLoginCode({ openid: 'o-core-alice' })
    const r = await handle.core.login(code, req)
    expect(r.expiresIn).toBe(3600)
    expect(r.user.openid).toBe('o-core-alice')
    const again = await handle.core.login(sim.mintLoginCode({ openid: 'o-core-alice' }).code, req)
    expect(again.user.id).toBe(r.user.id)
    expect(again.token).not.toBe(r.token)
  })

  test('concurrent logins with one code share one exchange and one session', async () => {
    const { code } = sim.mintLoginCode()
    const [a, b] = await Promise.all([handle.core.login(code, req), handle.core.login(code, req)])
    expect(a.token).toBe(b.token)
    expect(sim.stats.calls.jscode2session).toBe(1)
    const later = protocolErrorAnswer(await rejection(handle.core.login(code, req)))
    expect(later).toMatchObject({ statusCode: 400, code: 'LOGIN_CODE_USED' })
  })

  test('beforeLogin sees the request and refuses before WeChat is called', async () => {
    const { code } = sim.mintLoginCode()
    const blocked = { ip: '203.0.113.9' }
    const e = await rejection(handle.core.login(code, blocked))
    expect(protocolErrorAnswer(e)).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: 'too many logins',
      retryAfterSec: 30,
    })
    expect(refused).toEqual([blocked])
    expect(sim.stats.calls.jscode2session).toBe(0)
  })

  test('authenticate: a valid bearer wins and opens nothing; a dead one falls back to the code', async () => {
    const first = await handle.core.login(sim.mintLoginCode().code, req)
    const bearer = `Bearer ${first.token}`
    const withBearer = await handle.core.authenticate(
      { authorization: bearer, wxCode: sim.mintLoginCode().code },
      req,
    )
    expect(withBearer).toEqual({
      auth: { userId: first.user.id, sessionId: first.sessionId },
      login: null,
      issued: null,
    })
    await handle.core.logout(withBearer.auth)
    const fallback = await handle.core.authenticate(
      { authorization: bearer, wxCode: sim.mintLoginCode().code },
      req,
    )
    expect(fallback.login).not.toBeNull()
    expect(fallback.auth.sessionId).toBe(fallback.login!.sessionId)
  })

  test('authenticate: no credentials, a malformed header or code, a revoked token are 401s', async () => {
    const none = await rejection(
      handle.core.authenticate({ authorization: undefined, wxCode: undefined }, req),
    )
    expect(protocolErrorAnswer(none)).toMatchObject({ statusCode: 401, code: 'SESSION_INVALID' })
    const spaced = await rejection(
      handle.core.authenticate({ authorization: 'Basic abc', wxCode: 'not a code' }, req),
    )
    expect(protocolErrorAnswer(spaced)).toMatchObject({ statusCode: 401, code: 'SESSION_INVALID' })
    const r = await handle.core.login(sim.mintLoginCode().code, req)
    await handle.core.logout({ userId: r.user.id, sessionId: r.sessionId })
    const revoked = await rejection(handle.core.verifyBearer(`Bearer ${r.token}`))
    expect(protocolErrorAnswer(revoked)).toMatchObject({ statusCode: 401, code: 'SESSION_REVOKED' })
  })

  test('createLoginCore refuses a session secret shorter than 32 characters', async () => {
    await expect(
      createLoginCore({
        wechat: { appid: sim.appid, secret: sim.secret },
        sessionSecret: 'short',
      }),
    ).rejects.toThrow(/at least 32 characters/)
  })
})

describe('the protocol error mapping', () => {
  test("WeChat's errcodes and transport failures become the protocol's codes", () => {
    expect(
      protocolErrorAnswer(new WeChatApiError('jscode2session', 40226, 'code blocked')),
    ).toEqual(expect.objectContaining({ statusCode: 403, code: 'WECHAT_RISK_BLOCKED' }))
    expect(
      protocolErrorAnswer(new WeChatApiError('jscode2session', 45011, 'minute-quota, rid: 1-2')),
    ).toEqual(expect.objectContaining({ statusCode: 429, code: 'RATE_LIMITED', retryAfterSec: 60 }))
    expect(protocolErrorAnswer(new WeChatTransportError('timeout'))).toEqual(
      expect.objectContaining({ statusCode: 503, code: 'WECHAT_UNAVAILABLE' }),
    )
  })

  test('anything else is left to the framework (null)', () => {
    expect(protocolErrorAnswer(new Error('boom'))).toBeNull()
    expect(protocolErrorAnswer('a string')).toBeNull()
  })

  test('sessionHeaders carry the token and lifetime, exposed and never cached', async () => {
    const r = await handle.core.login(sim.mintLoginCode().code, req)
    expect(sessionHeaders(r)).toEqual({
      'X-Session-Token': r.token,
      'X-Session-Expires-In': '3600',
      'Access-Control-Expose-Headers': 'X-Session-Token, X-Session-Expires-In',
      'Cache-Control': 'no-store',
    })
  })
})
