// The simulated WeChat stays bounded (issue 12, point 12): expired codes are pruned as new ones
// are minted, live codes and users are capped, the fault queue is capped; and its /__sim control
// routes answer only loopback callers, or only callers with SIM_CONTROL_TOKEN when it is set.
import type { InjectOptions } from 'fastify'
import { SIM_MAX_FAULTS, SimFaultLimitError, createSimWeChat } from '../../src/wechat'
import { AgingMap } from '../../src/wechat/sim/aging-map'
import { createTestApp, useLeakCheck } from '../helpers'

useLeakCheck()

const FIVE_MINUTES = 5 * 60_000

describe('AgingMap, the store behind the bounds', () => {
  test('forgets the oldest first, across many evictions and the compaction of its order', () => {
    const m = new AgingMap<number>()
    for (let i = 0; i < 10_000; i++) {
      m.set(`k${i}`, i)
      m.dropBeyond(100)
    }
    expect(m.size).toBe(100)
    expect(m.get('k9899')).toBeUndefined()
    expect(m.get('k9900')).toBe(9900)
    expect(m.get('k9999')).toBe(9999)
    // Updating a key keeps its age: it is still the oldest.
    m.set('k9900', -1)
    m.set('new', 0)
    m.dropBeyond(100)
    expect(m.get('k9900')).toBeUndefined()
    expect(m.get('k9901')).toBe(9901)
    // Expiry stops at the first entry that has not expired.
    m.dropOldestWhile((v) => v < 9950)
    expect(m.size).toBe(51)
    expect(m.get('k9950')).toBe(9950)
    expect(m.get('new')).toBe(0)
  })
})

describe('state is bounded', () => {
  test('expired login and phone codes are forgotten as new ones are minted', () => {
    const sim = createSimWeChat({ virtualTimers: true })
    for (let i = 0; i < 500; i++) {
      const { openid } = sim.mintLoginCode({ openid: `oUser${i % 5}` })
      sim.mintPhoneCode(openid)
    }
    expect(sim.stats.stored().loginCodes).toBe(500)
    expect(sim.stats.stored().phoneCodes).toBe(500)
    // Past expiry and the grace lifetime, the next mint prunes every earlier code.
    sim.clock.advance(2 * FIVE_MINUTES + 1)
    const fresh = sim.mintLoginCode({ openid: 'oUser0' })
    sim.mintPhoneCode('oUser0')
    expect(sim.stats.stored()).toMatchObject({ loginCodes: 1, phoneCodes: 1, users: 5 })
    expect(fresh.code).toMatch(/^[0-9A-Za-z]{32}$/)
  })

  test('live codes and users are capped: the oldest go first, the newest still work', async () => {
    const sim = createSimWeChat({ maxCodes: 50, maxUsers: 40 })
    const minted = Array.from({ length: 60 }, () => sim.mintLoginCode())
    expect(sim.stats.stored().loginCodes).toBe(50)
    expect(sim.stats.stored().users).toBe(40)
    const exchange = (code: string) =>
      sim.handle({
        method: 'GET',
        path: '/sns/jscode2session',
        query: {
          appid: sim.appid,
          secret: sim.secret,
          js_code: code,
          grant_type: 'authorization_code',
        },
      })
    const oldest = JSON.parse((await exchange(minted[0]!.code)).text) as { errcode?: number }
    expect(oldest.errcode).toBe(40029)
    const newest = JSON.parse((await exchange(minted[59]!.code)).text) as { openid?: string }
    expect(newest.openid).toBe(minted[59]!.openid)
  })

  test('the fault queue is capped, in code and over /__sim/faults', async () => {
    const sim = createSimWeChat()
    for (let i = 0; i < SIM_MAX_FAULTS; i++) sim.faults.add('stable_token', { errcode: -1 })
    expect(() => sim.faults.add('stable_token', { errcode: -1 })).toThrow(SimFaultLimitError)
    expect(() => sim.faults.next('*', { errcode: -1 })).toThrow(SimFaultLimitError)
    expect(sim.faults.pending()).toHaveLength(SIM_MAX_FAULTS)

    const t = await createTestApp({ sim })
    try {
      const full = await t.inject({
        method: 'POST',
        url: '/__sim/faults',
        payload: { api: 'jscode2session', errcode: -1 },
      })
      expect(full.statusCode).toBe(409)
      expect(full.json()).toEqual({
        error: { code: 'SIM_FAULTS_FULL', message: expect.any(String) },
      })
      expect((await t.inject({ method: 'DELETE', url: '/__sim/faults' })).json()).toEqual({
        pending: 0,
      })
      const room = await t.inject({
        method: 'POST',
        url: '/__sim/faults',
        payload: { api: 'jscode2session', errcode: -1, times: 1_000_000 },
      })
      expect(room.json()).toEqual({ pending: 1 })
    } finally {
      await t.close()
    }
  })
})

describe('/__sim control routes', () => {
  const mint = (extra: Partial<InjectOptions>): InjectOptions => ({
    method: 'POST',
    url: '/__sim/login-code',
    payload: {},
    ...extra,
  })

  test('without a token: loopback callers only, and not when a proxy relays someone else', async () => {
    const t = await createTestApp()
    try {
      expect((await t.inject(mint({}))).statusCode).toBe(200)
      expect((await t.inject(mint({ remoteAddress: '::1' }))).statusCode).toBe(200)
      for (const extra of [
        { remoteAddress: '203.0.113.4' },
        { remoteAddress: '10.0.0.2' },
        { headers: { 'x-forwarded-for': '203.0.113.4' } },
        { headers: { forwarded: 'for=203.0.113.4' } },
      ]) {
        const res = await t.inject(mint(extra))
        expect(res.statusCode).toBe(403)
        expect(res.json()).toEqual({
          error: { code: 'SIM_FORBIDDEN', message: expect.any(String) },
        })
      }
      // Every control route is guarded, not just minting.
      const faults = await t.inject({
        method: 'DELETE',
        url: '/__sim/faults',
        remoteAddress: '203.0.113.4',
      })
      expect(faults.statusCode).toBe(403)
    } finally {
      await t.close()
    }
  })

  test('with SIM_CONTROL_TOKEN: the token is required from everyone, loopback included', async () => {
    const token = 'sim-control-token-0123456789'
    const t = await createTestApp({ config: { simControlToken: token } })
    try {
      for (const headers of [{}, { 'x-sim-token': 'wrong' }, { 'x-sim-token': `${token}x` }]) {
        const res = await t.inject(mint({ headers }))
        expect(res.statusCode).toBe(401)
        expect(res.json().error.code).toBe('SIM_UNAUTHORIZED')
      }
      const remote = await t.inject(
        mint({ remoteAddress: '203.0.113.4', headers: { 'x-sim-token': token } }),
      )
      expect(remote.statusCode).toBe(200)
      expect(remote.json().code).toMatch(/^[0-9A-Za-z]{32}$/)
    } finally {
      await t.close()
    }
  })
})
