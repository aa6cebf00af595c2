// The reference server reaching the simulated WeChat over HTTP (WECHAT_API_BASE_URL with no
// credentials), as it reaches the real one: the same answers as in process, and no /__sim
// routes of its own.
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../src/config'
import { buildSimHttpServer } from '../src/wechat/sim/http-server'
import { createSimWeChat, type SimWeChat } from '../src/wechat/sim/sim'
import { createTestApp, useLeakCheck, type TestApp } from './helpers'
import { bindPhone, loginWithCode } from './support/requests'

useLeakCheck()

let sim: SimWeChat
let simServer: FastifyInstance
let t: TestApp

beforeAll(async () => {
  sim = createSimWeChat()
  simServer = await buildSimHttpServer({ sim })
  await simServer.listen({ host: '127.0.0.1', port: 0 })
  const apiBaseUrl = `http://127.0.0.1:${(simServer.server.address() as AddressInfo).port}`
  t = await createTestApp({
    sim,
    config: { wechat: { mode: 'simulated', appid: sim.appid, secret: sim.secret, apiBaseUrl } },
  })
})

afterAll(async () => {
  await t.close()
  await simServer.close()
})

describe('the reference server with the simulated WeChat over HTTP', () => {
  test('logs in with a code the simulator minted, and the code is single-use', async () => {
    const { code, openid } = t.mintCode()
    const first = await loginWithCode(t, code)
    expect(first.statusCode).toBe(200)
    expect(sim.stats.calls.jscode2session).toBeGreaterThan(0)
    const again = await loginWithCode(t, code)
    expect(again.json()).toMatchObject({ error: { code: 'LOGIN_CODE_USED' } })
    expect(sim.getUser(openid)).not.toBeNull()
  })

  test('binds a phone number: access_token and getuserphonenumber over HTTP', async () => {
    const { token, openid } = await t.login()
    const res = await bindPhone(t, token, sim.mintPhoneCode(openid, '13912345678'))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ phone: '139****5678' })
    expect(sim.stats.calls.stable_token).toBeGreaterThan(0)
  })

  test('maps a WeChat fault answered over HTTP like an in-process one', async () => {
    sim.faults.next('jscode2session', { errcode: 40226 })
    const { code } = t.mintCode()
    const res = await loginWithCode(t, code)
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ error: { code: 'WECHAT_RISK_BLOCKED' } })
  })

  test('serves no /__sim control routes: the simulator does', async () => {
    const res = await t.inject({ method: 'POST', url: '/__sim/login-code', payload: {} })
    expect(res.statusCode).toBe(404)
  })
})

describe('WECHAT_API_BASE_URL without credentials', () => {
  const env = { NODE_ENV: 'test', SESSION_SECRET: 'test-session-secret-0123456789abcdef' }

  test('selects the simulated WeChat over HTTP at that origin', () => {
    const c = loadConfig({ ...env, WECHAT_API_BASE_URL: 'http://127.0.0.1:4100' })
    expect(c.wechat).toMatchObject({ mode: 'simulated', apiBaseUrl: 'http://127.0.0.1:4100' })
  })

  test('in process when unset; a URL with a path is refused', () => {
    expect(loadConfig(env).wechat).toMatchObject({ mode: 'simulated', apiBaseUrl: null })
    expect(() => loadConfig({ ...env, WECHAT_API_BASE_URL: 'http://127.0.0.1:4100/api' })).toThrow(
      /WECHAT_API_BASE_URL must be an origin/,
    )
  })

  test('production refuses it: the simulated WeChat is never a production dependency', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: 'prod-session-secret-0123456789abcdef',
        WECHAT_API_BASE_URL: 'http://127.0.0.1:4100',
      }),
    ).toThrow(/refuses the simulated WeChat/)
  })

  test('with credentials it is the real WeChat at that origin', () => {
    const c = loadConfig({
      ...env,
      WECHAT_APPID: 'wx1234567890abcdef',
      WECHAT_SECRET: 'real-secret',
      WECHAT_API_BASE_URL: 'http://127.0.0.1:4100',
    })
    expect(c.wechat).toMatchObject({ mode: 'real', apiBaseUrl: 'http://127.0.0.1:4100' })
  })
})
