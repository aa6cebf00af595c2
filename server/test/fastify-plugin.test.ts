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

describe('on a bare Fastify app, with no error handler of ours', () => {
  // What a team following the README writes: only the package's exports, Fastify's own error
  // handler, the protocol's paths moved by the options.
  let bare: FastifyInstance
  let hostHandled: string[]
  beforeEach(async () => {
    hostHandled = []
    bare = Fastify()
    bare.setErrorHandler((err, _req, reply) => {
      hostHandled.push(err instanceof Error ? err.message : String(err))
      return reply.code(599).send({ host: true })
    })
    await bare.register(loginProtocol, {
      core: handle.core,
      loginPath: '/api/login',
      logoutPath: '/api/logout',
    })
    bare.get('/mine', { onRequest: bare.loginProtocol.requireAuth }, async (req) => ({
      userId: req.auth?.userId,
    }))
    bare.get('/bearer-only', { onRequest: bare.loginProtocol.requireBearer }, async () => ({
      ok: true,
    }))
    bare.get('/broken', { onRequest: bare.loginProtocol.requireAuth }, async () => {
      throw new Error('the host route failed')
    })
    await bare.ready()
  })
  afterEach(async () => {
    await bare.close()
  })

  const errorOf = (res: { statusCode: number; json: () => unknown }) => [
    res.statusCode,
    (res.json() as { error?: { code?: string } }).error?.code,
  ]

  test('the login and logout routes answer the protocol’s statuses in its envelope', async () => {
    const unknown = await bare.inject({
      method: 'POST',
      url: '/api/login',
      payload: { code: 'never-minted-code-0000' },
    })
    expect(errorOf(unknown)).toEqual([400, 'LOGIN_CODE_INVALID'])
    expect(unknown.body).not.toMatch(/errcode|jscode2session/)
    const noCode = await bare.inject({ method: 'POST', url: '/api/login', payload: {} })
    expect(errorOf(noCode)).toEqual([400, 'VALIDATION_FAILED'])
    const logout = await bare.inject({ method: 'POST', url: '/api/logout' })
    expect(errorOf(logout)).toEqual([401, 'SESSION_INVALID'])
    const { code } = sim.mintLoginCode({ openid: 'o-plugin-dave' })
    const ok = await bare.inject({ method: 'POST', url: '/api/login', payload: { code } })
    expect(ok.statusCode).toBe(200)
    const used = await bare.inject({ method: 'POST', url: '/api/login', payload: { code } })
    expect(errorOf(used)).toEqual([400, 'LOGIN_CODE_USED'])
    expect(hostHandled).toEqual([])
  })

  test('requireAuth and requireBearer answer 401 and X-WX-Code failures in the envelope', async () => {
    expect(errorOf(await bare.inject({ method: 'GET', url: '/mine' }))).toEqual([
      401,
      'SESSION_INVALID',
    ])
    const badCode = await bare.inject({
      method: 'GET',
      url: '/mine',
      headers: { 'x-wx-code': 'never-minted-code-0000' },
    })
    expect(errorOf(badCode)).toEqual([400, 'LOGIN_CODE_INVALID'])
    const { code } = sim.mintLoginCode({ openid: 'o-plugin-erin' })
    const codeOnly = await bare.inject({
      method: 'GET',
      url: '/bearer-only',
      headers: { 'x-wx-code': code },
    })
    expect(errorOf(codeOnly)).toEqual([401, 'SESSION_INVALID'])
    sim.faults.next('jscode2session', { errcode: 45011 })
    const limited = await bare.inject({
      method: 'GET',
      url: '/mine',
      headers: { 'x-wx-code': sim.mintLoginCode().code },
    })
    expect(errorOf(limited)).toEqual([429, 'RATE_LIMITED'])
    expect(limited.headers['retry-after']).toBe('60')
    expect(hostHandled).toEqual([])
  })

  test('a failure of the host’s own route still reaches the host’s error handler', async () => {
    const { code } = sim.mintLoginCode({ openid: 'o-plugin-frank' })
    const res = await bare.inject({ method: 'GET', url: '/broken', headers: { 'x-wx-code': code } })
    expect(res.statusCode).toBe(599)
    expect(hostHandled).toEqual(['the host route failed'])
  })
})
