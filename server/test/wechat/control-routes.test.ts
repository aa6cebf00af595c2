// The /__sim control routes the server registers in simulated mode (over real HTTP).
import Fastify, { type FastifyInstance } from 'fastify'
import type { AddressInfo } from 'net'
import { decryptWeChatData, verifyRawDataSignature } from '../../src/wechat/crypto'
import { simControlRoutes } from '../../src/wechat/sim/control-routes'
import { createSimWeChat, type SimWeChat } from '../../src/wechat/sim/sim'

let app: FastifyInstance
let sim: SimWeChat
let baseUrl: string

async function call(
  method: 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  sim = createSimWeChat({ now: () => 1_700_000_000_000 })
  app = Fastify({ logger: false })
  await app.register(simControlRoutes, { sim })
  await app.listen({ host: '127.0.0.1', port: 0 })
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await app.close()
})

describe('simControlRoutes', () => {
  it('POST /__sim/login-code mints a code for a given or a new user', async () => {
    const given = await call('POST', '/__sim/login-code', { openid: 'oTestUser1', unionid: 'uT1' })
    expect(given.status).toBe(200)
    expect(given.json).toEqual({
      code: expect.stringMatching(/^[0-9A-Za-z]{32}$/),
      openid: 'oTestUser1',
    })
    expect(sim.getUser('oTestUser1')!.unionid).toBe('uT1')
    const fresh = await call('POST', '/__sim/login-code', {})
    expect(fresh.json.openid).toMatch(/^o[0-9A-Za-z_-]{27}$/)
    expect((await call('POST', '/__sim/login-code', { openid: 'bad openid!' })).status).toBe(400)
  })

  it('POST /__sim/phone-code mints a 64-hex phone code', async () => {
    const r = await call('POST', '/__sim/phone-code', {
      openid: 'oTestUser1',
      phoneNumber: '13911112222',
    })
    expect(r.json.code).toMatch(/^[0-9a-f]{64}$/)
    expect((await call('POST', '/__sim/phone-code', {})).status).toBe(400)
  })

  it('POST /__sim/profile-payload: anonymous by default, real when asked, 409 without a session', async () => {
    const { openid } = (await call('POST', '/__sim/login-code', {})).json as { openid: string }
    const key = sim.getUser(openid)!.sessionKey!
    const anon = await call('POST', '/__sim/profile-payload', { openid })
    expect(anon.status).toBe(200)
    const p = anon.json as { rawData: string; signature: string; encryptedData: string; iv: string }
    expect(verifyRawDataSignature(p.rawData, key, p.signature)).toBe(true)
    expect(decryptWeChatData(key, p.encryptedData, p.iv, sim.appid)).toMatchObject({
      nickName: '微信用户',
      is_demote: true,
    })
    const real = await call('POST', '/__sim/profile-payload', {
      openid,
      nickName: 'Tester',
      avatarUrl: 'https://example.com/a.png',
    })
    expect(real.json.userInfo).toMatchObject({
      nickName: 'Tester',
      avatarUrl: 'https://example.com/a.png',
    })
    const forced = await call('POST', '/__sim/profile-payload', {
      openid,
      nickName: 'X',
      anonymous: true,
    })
    expect(forced.json.userInfo).toMatchObject({ nickName: '微信用户' })
    const none = await call('POST', '/__sim/profile-payload', { openid: 'oNoSession' })
    expect(none.status).toBe(409)
    expect(none.json).toEqual({ error: { code: 'SIM_NO_SESSION', message: expect.any(String) } })
  })

  it('POST/DELETE /__sim/faults inject and clear faults', async () => {
    const r = await call('POST', '/__sim/faults', {
      api: 'jscode2session',
      errcode: 40226,
      times: 2,
    })
    expect(r.json).toEqual({ pending: 1 })
    expect(sim.faults.pending()[0]).toEqual({
      api: 'jscode2session',
      fault: { errcode: 40226, times: 2 },
    })
    await call('POST', '/__sim/faults', { api: '*', delayMs: 10 })
    expect((await call('POST', '/__sim/faults', { api: 'nope', errcode: 1 })).status).toBe(400)
    expect((await call('DELETE', '/__sim/faults')).json).toEqual({ pending: 0 })
    expect(sim.faults.pending()).toHaveLength(0)
  })

  it('POST /__sim/clock advances the virtual clock', async () => {
    const before = sim.clock.now()
    const r = await call('POST', '/__sim/clock', { advanceMs: 300_000 })
    expect(r.json.now).toBe(before + 300_000)
  })

  it('detects a /__sim registration prefix instead of doubling it', async () => {
    const other = Fastify({ logger: false })
    await other.register(simControlRoutes, { sim, prefix: '/__sim' })
    await other.ready()
    expect(other.printRoutes({ commonPrefix: false })).toContain('/__sim/login-code')
    expect(other.printRoutes({ commonPrefix: false })).not.toContain('/__sim/__sim')
    await other.close()
  })
})
