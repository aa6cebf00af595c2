// The login protocol as one registrable Fastify plugin, on a bare Fastify app that is not the
// reference server: what a Node team with its own Fastify back end would write.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import { createLoginCore, type LoginCoreHandle } from '../src/core'
import { loginProtocol } from '../src/fastify'
import { installErrorHandling } from '../src/plugins/error-handler'
import { createWeChatClient } from '../src/wechat/client'
import { createSimWeChat, type SimWeChat } from '../src/wechat/sim/sim'

let sim: SimWeChat
let handle: LoginCoreHandle<FastifyRequest>
let app: FastifyInstance

beforeEach(async () => {
  sim = createSimWeChat()
  handle = await createLoginCore<FastifyRequest>({
    wechat: createWeChatClient({ appid: sim.appid, secret: sim.secret, transport: sim.transport }),
    sessionSecret: 'fastify-plugin-test-secret-0123456789abcdef',
    sessionTtlSec: 3600,
  })
  app = Fastify()
  installErrorHandling(app)
  await app.register(loginProtocol, { core: handle.core })
  app.get('/whoami', { onRequest: app.loginProtocol.requireAuth }, async (req) => ({
    userId: req.auth?.userId,
  }))
  await app.ready()
})

afterEach(async () => {
  await app.close()
  await handle.close()
})

test('POST /auth/login answers a token that the protected route accepts', async () => {
  const { code } = sim.mintLoginCode({ openid: 'o-plugin-alice' })
  const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { code } })
  expect(login.statusCode).toBe(200)
  const { token, expiresIn, user } = login.json<{
    token: string
    expiresIn: number
    user: { id: string }
  }>()
  expect(expiresIn).toBe(3600)
  const me = await app.inject({
    method: 'GET',
    url: '/whoami',
    headers: { authorization: `Bearer ${token}` },
  })
  expect(me.json()).toEqual({ userId: user.id })
})

test('X-WX-Code on a protected route logs in within the call and hands the token back', async () => {
  const { code } = sim.mintLoginCode({ openid: 'o-plugin-bob' })
  const res = await app.inject({ method: 'GET', url: '/whoami', headers: { 'x-wx-code': code } })
  expect(res.statusCode).toBe(200)
  expect(res.headers['x-session-token']).toEqual(expect.any(String))
  expect(res.headers['x-session-expires-in']).toBe('3600')
  expect(res.headers['access-control-expose-headers']).toContain('X-Session-Token')
})

test('no credentials is 401 SESSION_INVALID; logout revokes the token at once', async () => {
  const none = await app.inject({ method: 'GET', url: '/whoami' })
  expect(none.statusCode).toBe(401)
  expect(none.json().error.code).toBe('SESSION_INVALID')

  const { code } = sim.mintLoginCode({ openid: 'o-plugin-carol' })
  const { token } = (
    await app.inject({ method: 'POST', url: '/auth/login', payload: { code } })
  ).json<{ token: string }>()
  const auth = { authorization: `Bearer ${token}` }
  const out = await app.inject({ method: 'POST', url: '/auth/logout', headers: auth })
  expect(out.json()).toEqual({ ok: true })
  const after = await app.inject({ method: 'GET', url: '/whoami', headers: auth })
  expect(after.statusCode).toBe(401)
  expect(after.json().error.code).toBe('SESSION_REVOKED')
})
