import { createWeChatClient, type WeChatClientOptions } from '../../src/wechat/client'
import { mapWeChatError } from '../../src/wechat/errors'
import { createSimWeChat, type SimWeChat } from '../../src/wechat/sim/sim'
import type { WeChatTransport, WeChatTransportRequest } from '../../src/wechat/transport'
import { WeChatApiError, type WeChatClient } from '../../src/wechat/types'
import { captureLog, failure, flushMicrotasks } from './helpers'

/** A fixed base time: the clock moves only with clock.advance (deterministic). */
const frozen = (): number => 1_700_000_000_000

function setup(
  extra: Partial<WeChatClientOptions> = {},
  simOpts: Parameters<typeof createSimWeChat>[0] = {},
): { sim: SimWeChat; client: WeChatClient; newClient: () => WeChatClient } {
  const sim = createSimWeChat({ virtualTimers: true, now: frozen, ...simOpts })
  const newClient = (): WeChatClient =>
    createWeChatClient({
      appid: sim.appid,
      secret: sim.secret,
      transport: sim.transport,
      now: () => sim.clock.now(),
      ...extra,
    })
  return { sim, client: newClient(), newClient }
}

describe('code2Session', () => {
  it('exchanges a code (success body without errcode) for openid, session_key and unionid', async () => {
    const { sim, client } = setup()
    const { code, openid } = sim.mintLoginCode({ unionid: 'oUnion000000000000000000000001' })
    const res = await client.code2Session(code)
    expect(res).toEqual({
      openid,
      sessionKey: sim.getUser(openid)!.sessionKey,
      unionid: 'oUnion000000000000000000000001',
    })
    expect(Buffer.from(res.sessionKey, 'base64')).toHaveLength(16)
  })

  it('answers a replayed code with 40163 from its own memory, without calling WeChat', async () => {
    const { sim, client } = setup()
    const { code } = sim.mintLoginCode()
    await client.code2Session(code)
    const e = await failure(client.code2Session(code))
    expect(e.errcode).toBe(40163)
    expect(e.api).toBe('jscode2session')
    expect(sim.stats.calls.jscode2session).toBe(1)
    expect(mapWeChatError(e)).toMatchObject({ statusCode: 400, code: 'LOGIN_CODE_USED' })
  })

  it('gets 40163 with a rid from WeChat when another instance already used the code', async () => {
    const { sim, client, newClient } = setup()
    const { code } = sim.mintLoginCode()
    await client.code2Session(code)
    const e = await failure(newClient().code2Session(code))
    expect(e.errcode).toBe(40163)
    expect(e.errmsg).toMatch(/^code been used, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/)
    expect(e.rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/)
    expect(sim.stats.calls.jscode2session).toBe(2)
  })

  it('coalesces concurrent exchanges of one code into one WeChat call', async () => {
    const { sim, client } = setup()
    const { code, openid } = sim.mintLoginCode()
    const results = await Promise.all(Array.from({ length: 10 }, () => client.code2Session(code)))
    expect(sim.stats.calls.jscode2session).toBe(1)
    for (const r of results) expect(r).toBe(results[0])
    expect(results[0]!.openid).toBe(openid)
  })

  it('coalesces a failing exchange too, and remembers an invalid code', async () => {
    const { sim, client } = setup()
    const code = 'unknownCode0000000000000000000AB'
    const errors = await Promise.all(
      Array.from({ length: 5 }, () => failure(client.code2Session(code))),
    )
    expect(sim.stats.calls.jscode2session).toBe(1)
    for (const e of errors) expect(e).toBe(errors[0])
    expect(errors[0]!.errcode).toBe(40029)
    expect((await failure(client.code2Session(code))).errcode).toBe(40029)
    expect(sim.stats.calls.jscode2session).toBe(1)
  })

  it('bounds its memory of seen codes (LRU): an evicted code is refused by WeChat instead', async () => {
    const { sim, client } = setup({ seenCodes: { max: 2 } })
    const codes = [sim.mintLoginCode().code, sim.mintLoginCode().code, sim.mintLoginCode().code]
    for (const c of codes) await client.code2Session(c)
    expect((await failure(client.code2Session(codes[2]!))).rid).toBeNull() // local
    expect((await failure(client.code2Session(codes[0]!))).rid).not.toBeNull() // WeChat's 40163
    expect(sim.stats.calls.jscode2session).toBe(4)
  })

  it('forgets seen codes after their TTL', async () => {
    const { sim, client } = setup({ seenCodes: { ttlMs: 60_000 } })
    const { code } = sim.mintLoginCode()
    await client.code2Session(code)
    sim.clock.advance(60_001)
    const e = await failure(client.code2Session(code))
    expect(e.errcode).toBe(40163)
    expect(e.rid).not.toBeNull()
  })

  it('never retries an exchange: a -1 is reported once, the caller may try the code again', async () => {
    const { sim, client } = setup()
    const { code } = sim.mintLoginCode()
    sim.faults.next('jscode2session', { errcode: -1 })
    const e = await failure(client.code2Session(code))
    expect(e.errcode).toBe(-1)
    expect(e.errmsg).toMatch(/^system error, rid: /)
    expect(sim.stats.calls.jscode2session).toBe(1)
    expect(mapWeChatError(e)).toMatchObject({ statusCode: 503, code: 'WECHAT_UNAVAILABLE' })
    await expect(client.code2Session(code)).resolves.toMatchObject({ openid: expect.any(String) })
  })

  it('maps 40226 and 45011 from WeChat', async () => {
    const { sim, client } = setup()
    sim.faults.next('jscode2session', { errcode: 40226 })
    const blocked = await failure(client.code2Session(sim.mintLoginCode().code))
    expect(mapWeChatError(blocked)).toMatchObject({ statusCode: 403, code: 'WECHAT_RISK_BLOCKED' })
    sim.faults.next('jscode2session', { errcode: 45011 })
    const limited = await failure(client.code2Session(sim.mintLoginCode().code))
    expect(limited.errmsg).toMatch(
      /^api minute-quota reach limit mustslower retry next minute, rid:/,
    )
    expect(mapWeChatError(limited)).toMatchObject({
      statusCode: 429,
      code: 'RATE_LIMITED',
      retryAfterSec: 60,
    })
  })

  it('turns a timeout into -1 (virtual time, no real sleep)', async () => {
    const { sim, client } = setup({ timeoutMs: 1000 })
    sim.faults.next('jscode2session', { timeout: true })
    const p = failure(client.code2Session(sim.mintLoginCode().code))
    await flushMicrotasks()
    sim.clock.advance(1000)
    const e = await p
    expect(e.errcode).toBe(-1)
    expect(e.errmsg).toBe('request timed out')
  })

  it('answers after injected latency below the timeout', async () => {
    const { sim, client } = setup({ timeoutMs: 1000 })
    sim.faults.next('jscode2session', { delayMs: 300 })
    let settled = false
    const p = client.code2Session(sim.mintLoginCode().code).finally(() => {
      settled = true
    })
    await flushMicrotasks()
    expect(settled).toBe(false)
    sim.clock.advance(300)
    await expect(p).resolves.toMatchObject({ openid: expect.any(String) })
  })

  it('latency above the timeout is a timeout', async () => {
    const { sim, client } = setup({ timeoutMs: 1000 })
    sim.faults.next('jscode2session', { delayMs: 5000 })
    const p = failure(client.code2Session(sim.mintLoginCode().code))
    await flushMicrotasks()
    sim.clock.advance(1000)
    expect((await p).errmsg).toBe('request timed out')
  })

  it('turns HTTP 5xx and malformed JSON into -1 (a malformed answer may still consume the code)', async () => {
    const { sim, client } = setup()
    sim.faults.next('jscode2session', { status: 502 })
    const gw = await failure(client.code2Session(sim.mintLoginCode().code))
    expect(gw).toMatchObject({ errcode: -1, errmsg: 'http status 502' })

    const { code } = sim.mintLoginCode()
    sim.faults.next('jscode2session', { malformed: true })
    const bad = await failure(client.code2Session(code))
    expect(bad).toMatchObject({ errcode: -1, errmsg: 'malformed response' })
    expect(mapWeChatError(bad).code).toBe('WECHAT_UNAVAILABLE')
    // WeChat processed it before the answer broke: the code is gone.
    expect((await failure(client.code2Session(code))).errcode).toBe(40163)
  })

  it('treats a missing errcode and errcode 0 as success; rejects a success body without openid', async () => {
    const answers = [
      '{"session_key":"AAAAAAAAAAAAAAAAAAAAAA==","openid":"oA"}',
      '{"errcode":0,"errmsg":"ok","session_key":"AAAAAAAAAAAAAAAAAAAAAA==","openid":"oB","unionid":"u"}',
      '{"session_key":"AAAAAAAAAAAAAAAAAAAAAA=="}',
      '[1]',
    ]
    const transport: WeChatTransport = async () => ({ status: 200, text: answers.shift()! })
    const client = createWeChatClient({ appid: 'wxA', secret: 's', transport })
    await expect(client.code2Session('c1')).resolves.toEqual({
      openid: 'oA',
      sessionKey: 'AAAAAAAAAAAAAAAAAAAAAA==',
      unionid: null,
    })
    await expect(client.code2Session('c2')).resolves.toMatchObject({ openid: 'oB', unionid: 'u' })
    expect((await failure(client.code2Session('c3'))).errcode).toBe(-1)
    expect((await failure(client.code2Session('c4'))).errcode).toBe(-1)
  })

  it('rejects an empty code without calling WeChat', async () => {
    const { sim, client } = setup()
    const e = await failure(client.code2Session(''))
    expect(e.errcode).toBe(41008)
    expect(mapWeChatError(e).code).toBe('LOGIN_CODE_INVALID')
    expect(sim.stats.calls.jscode2session).toBe(0)
  })

  it('reports wrong credentials as a config error', async () => {
    const { sim } = setup()
    const client = createWeChatClient({
      appid: sim.appid,
      secret: 'wrong-secret-wrong-secret-000000',
      transport: sim.transport,
    })
    const e = await failure(client.code2Session(sim.mintLoginCode().code))
    expect(e.errcode).toBe(40125)
    expect(mapWeChatError(e)).toMatchObject({ statusCode: 500, code: 'WECHAT_CONFIG_ERROR' })
    expect(`${e.message} ${e.errmsg}`).not.toContain('wrong-secret')
  })
})

describe('access_token', () => {
  it('caches the stable token and refreshes single-flight', async () => {
    const { sim, client } = setup()
    const tokens = await Promise.all(Array.from({ length: 8 }, () => client.getAccessToken()))
    expect(new Set(tokens).size).toBe(1)
    expect(sim.stats.calls.stable_token).toBe(1)
    await client.getAccessToken()
    expect(sim.stats.calls.stable_token).toBe(1)
  })

  it('refreshes 5 minutes before expiry, not earlier', async () => {
    const { sim, client } = setup()
    const first = await client.getAccessToken()
    sim.clock.advance((7200 - 300) * 1000 - 1)
    expect(await client.getAccessToken()).toBe(first)
    expect(sim.stats.calls.stable_token).toBe(1)
    sim.clock.advance(1)
    const second = await client.getAccessToken()
    expect(sim.stats.calls.stable_token).toBe(2)
    expect(second).not.toBe(first) // WeChat renews the stable token in its last 5 minutes
  })

  it('a token with little life left is used for half of it (no refresh storm)', async () => {
    let calls = 0
    let now = 0
    const transport: WeChatTransport = async () => {
      calls += 1
      return { status: 200, text: JSON.stringify({ access_token: `T${calls}`, expires_in: 300 }) }
    }
    const client = createWeChatClient({ appid: 'wxA', secret: 's', transport, now: () => now })
    expect(await client.getAccessToken()).toBe('T1')
    now = 149_000
    expect(await client.getAccessToken()).toBe('T1')
    now = 150_000
    expect(await client.getAccessToken()).toBe('T2')
    expect(calls).toBe(2)
  })

  it('sends the stable_token request WeChat expects', async () => {
    const seen: WeChatTransportRequest[] = []
    const transport: WeChatTransport = async (req) => {
      seen.push(req)
      return { status: 200, text: '{"access_token":"T","expires_in":7200}' }
    }
    await createWeChatClient({ appid: 'wxA', secret: 'S', transport }).getAccessToken()
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/cgi-bin/stable_token',
      body: { grant_type: 'client_credential', appid: 'wxA', secret: 'S', force_refresh: false },
    })
  })

  it('surfaces a failed refresh as the stable_token error (single-flight failure)', async () => {
    const { sim, client } = setup()
    sim.faults.next('stable_token', { errcode: 40164 })
    const errors = await Promise.all([
      failure(client.getAccessToken()),
      failure(client.getAccessToken()),
    ])
    expect(errors[0]).toBe(errors[1])
    expect(errors[0]).toMatchObject({ api: 'stable_token', errcode: 40164 })
    expect(mapWeChatError(errors[0]!).code).toBe('WECHAT_CONFIG_ERROR')
    await expect(client.getAccessToken()).resolves.toEqual(expect.any(String))
  })

  it('many concurrent calls hitting 40001: one refresh, each call replayed once', async () => {
    const { sim, client } = setup()
    const openid = sim.mintLoginCode().openid
    const stale = await client.getAccessToken()
    sim.rotateStableToken() // e.g. another instance forced a refresh: `stale` is now 40001
    const codes = Array.from({ length: 10 }, (_, i) => sim.mintPhoneCode(openid, `1380013800${i}`))
    const infos = await Promise.all(codes.map((c) => client.getPhoneNumber(c, openid)))
    expect(infos.map((i) => i.purePhoneNumber)).toEqual(codes.map((_, i) => `1380013800${i}`))
    expect(sim.stats.calls.stable_token).toBe(2) // the first fetch + one refresh
    expect(sim.stats.calls.getuserphonenumber).toBe(20) // each call: one 40001, one replay
    expect(await client.getAccessToken()).not.toBe(stale)
  })

  it('replays only once: a second 40001 is reported', async () => {
    const { sim, client } = setup()
    const openid = sim.mintLoginCode().openid
    sim.faults.add('getuserphonenumber', { errcode: 40001, times: 2 })
    const e = await failure(client.getPhoneNumber(sim.mintPhoneCode(openid), openid))
    expect(e.errcode).toBe(40001)
    expect(sim.stats.calls.getuserphonenumber).toBe(2)
    expect(sim.stats.calls.stable_token).toBe(2)
    expect(mapWeChatError(e).code).toBe('WECHAT_UNAVAILABLE')
  })

  it.each([40014, 42001])('refreshes and replays on %i as well', async (errcode) => {
    const { sim, client } = setup()
    const openid = sim.mintLoginCode().openid
    sim.faults.next('getuserphonenumber', { errcode })
    await expect(client.getPhoneNumber(sim.mintPhoneCode(openid), openid)).resolves.toMatchObject({
      purePhoneNumber: '13800138000',
    })
    expect(sim.stats.calls.stable_token).toBe(2)
  })

  it('a stale 40001 arriving after a newer token was stored does not invalidate it', async () => {
    // Scripted WeChat: tokens T1, T2, T3...; the phone API rejects T1 and accepts the others.
    let issued = 0
    const held: Array<() => void> = []
    const phoneCalls: string[] = []
    const transport: WeChatTransport = (req) => {
      if (req.path === '/cgi-bin/stable_token') {
        issued += 1
        return Promise.resolve({
          status: 200,
          text: JSON.stringify({ access_token: `T${issued}`, expires_in: 7200 }),
        })
      }
      const token = req.query.access_token!
      phoneCalls.push(token)
      const answer =
        token === 'T1'
          ? { status: 200, text: '{"errcode":40001,"errmsg":"invalid credential, rid: a-b-c"}' }
          : {
              status: 200,
              text: JSON.stringify({
                errcode: 0,
                errmsg: 'ok',
                phone_info: {
                  phoneNumber: '13800138000',
                  purePhoneNumber: '13800138000',
                  countryCode: 86,
                  watermark: { timestamp: 1, appid: 'wxA' },
                },
              }),
            }
      const body = (req.body ?? {}) as { code?: string }
      if (body.code === 'slow') {
        return new Promise((resolve) => held.push(() => resolve(answer)))
      }
      return Promise.resolve(answer)
    }
    const client = createWeChatClient({ appid: 'wxA', secret: 's', transport })
    expect(await client.getAccessToken()).toBe('T1')
    const slow = client.getPhoneNumber('slow') // sent with T1, answer held back
    await flushMicrotasks()
    const fast = await client.getPhoneNumber('fast') // T1 -> 40001 -> refresh to T2 -> replay
    expect(fast.countryCode).toBe('86')
    expect(await client.getAccessToken()).toBe('T2')
    held.shift()!() // the stale 40001 for T1 arrives now
    await flushMicrotasks()
    // The slow call's replay is held too (code 'slow'); release it.
    while (held.length === 0) await flushMicrotasks(1)
    held.shift()!()
    await expect(slow).resolves.toMatchObject({ purePhoneNumber: '13800138000' })
    expect(issued).toBe(2) // T2 was kept: no third token
    expect(await client.getAccessToken()).toBe('T2')
    expect(phoneCalls).toEqual(['T1', 'T1', 'T2', 'T2'])
  })
})

describe('getPhoneNumber and checkSessionKey', () => {
  it('exchanges a phone code with the openid binding check; codes are single use', async () => {
    const { sim, client } = setup()
    const alice = sim.mintLoginCode().openid
    const bob = sim.mintLoginCode().openid
    const code = sim.mintPhoneCode(alice, '13912345678')
    expect(code).toMatch(/^[0-9a-f]{64}$/)
    const wrong = await failure(client.getPhoneNumber(code, bob))
    expect(wrong.errcode).toBe(40029)
    expect(mapWeChatError(wrong)).toMatchObject({ statusCode: 400, code: 'PHONE_CODE_INVALID' })
    const info = await client.getPhoneNumber(code, alice)
    expect(info).toEqual({
      phoneNumber: '13912345678',
      purePhoneNumber: '13912345678',
      countryCode: '86',
      watermark: { timestamp: Math.floor(sim.clock.now() / 1000), appid: sim.appid },
    })
    const again = await failure(client.getPhoneNumber(code, alice))
    expect(again.errcode).toBe(40029)
    expect(again.rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/)
  })

  it('phone codes expire after 5 minutes', async () => {
    const { sim, client } = setup()
    const openid = sim.mintLoginCode().openid
    const code = sim.mintPhoneCode(openid)
    sim.clock.advance(5 * 60_000)
    expect((await failure(client.getPhoneNumber(code))).errcode).toBe(40029)
  })

  it('checkSessionKey: true for the current key, false once superseded or expired', async () => {
    const { sim, client } = setup()
    const { code, openid } = sim.mintLoginCode()
    const { sessionKey } = await client.code2Session(code)
    expect(await client.checkSessionKey(openid, sessionKey)).toBe(true)
    sim.mintLoginCode({ openid }) // wx.login again: a new session_key replaces the old one
    expect(await client.checkSessionKey(openid, sessionKey)).toBe(false)
    const next = await client.code2Session(sim.mintLoginCode({ openid }).code)
    expect(await client.checkSessionKey(openid, next.sessionKey)).toBe(true)
    sim.expireSessionKey(openid)
    expect(await client.checkSessionKey(openid, next.sessionKey)).toBe(false)
  })

  it('sends the checksession request WeChat documents', async () => {
    const seen: WeChatTransportRequest[] = []
    const transport: WeChatTransport = async (req) => {
      seen.push(req)
      return req.path === '/cgi-bin/stable_token'
        ? { status: 200, text: '{"access_token":"T","expires_in":7200}' }
        : { status: 200, text: '{"errcode":0,"errmsg":"ok"}' }
    }
    const client = createWeChatClient({ appid: 'wxA', secret: 'S', transport })
    expect(await client.checkSessionKey('oX', 'o0q0otL8aEzpcZL/FT9WsQ==')).toBe(true)
    expect(seen[1]).toMatchObject({
      method: 'GET',
      path: '/wxa/checksession',
      query: {
        access_token: 'T',
        openid: 'oX',
        sig_method: 'hmac_sha256',
        // hmac_sha256(key = the session_key's UTF-8 bytes, message = '')
        signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    })
  })
})

describe('secrets', () => {
  it('never logs or reports secret, session_key, access_token or whole codes', async () => {
    const clientLog = captureLog()
    const simLog = captureLog()
    const sim = createSimWeChat({
      virtualTimers: true,
      now: frozen,
      log: simLog.log,
      devFallback: true,
    })
    const client = createWeChatClient({
      appid: sim.appid,
      secret: sim.secret,
      transport: sim.transport,
      log: clientLog.log,
      now: () => sim.clock.now(),
    })
    const secrets: string[] = [sim.secret]
    const errors: WeChatApiError[] = []
    const grab = async (p: Promise<unknown>): Promise<void> => {
      try {
        await p
      } catch (e) {
        if (e instanceof WeChatApiError) errors.push(e)
        else throw e
      }
    }
    const { code, openid } = sim.mintLoginCode()
    secrets.push(code)
    const res = await client.code2Session(code)
    secrets.push(res.sessionKey)
    await grab(client.code2Session(code))
    const devCode = 'DevToolsCode000000000000000000ab'
    secrets.push(devCode)
    const dev = await client.code2Session(devCode)
    secrets.push(dev.sessionKey)
    const phone = sim.mintPhoneCode(openid)
    secrets.push(phone)
    await client.getPhoneNumber(phone, openid)
    await grab(client.getPhoneNumber(phone, openid))
    secrets.push(await client.getAccessToken())
    sim.faults.next('jscode2session', { malformed: true })
    const code2 = sim.mintLoginCode().code
    secrets.push(code2)
    await grab(client.code2Session(code2))
    sim.faults.next('stable_token', { malformed: true })
    secrets.push(sim.rotateStableToken())
    await grab(client.getPhoneNumber(sim.mintPhoneCode(openid), openid))
    await client.checkSessionKey(openid, res.sessionKey)

    expect(errors.length).toBeGreaterThanOrEqual(3)
    const logs = clientLog.text() + simLog.text()
    expect(clientLog.lines.length).toBeGreaterThan(3)
    expect(simLog.text()).toContain('local development user')
    const reported = errors
      .map((e) => `${e.message} ${e.errmsg} ${JSON.stringify(mapWeChatError(e))}`)
      .join('\n')
    for (const s of secrets) {
      expect(logs).not.toContain(s)
      expect(reported).not.toContain(s)
    }
  })
})
