import { decryptWeChatData, verifyRawDataSignature } from '../../src/wechat/crypto'
import { parseRid } from '../../src/wechat/errors'
import {
  ANONYMOUS_USER_INFO,
  SIM_DEV_OPENID,
  createSimWeChat,
  type SimWeChat,
} from '../../src/wechat/sim/sim'
import { captureLog } from './helpers'
import { ANONYMOUS_USER_INFO as CLIENT_ANONYMOUS_USER_INFO } from '../../../packages/headless/wx/anonymous-user'

type Json = Record<string, unknown>

async function code2session(sim: SimWeChat, jsCode: string, appid = sim.appid): Promise<Json> {
  const res = await sim.handle({
    method: 'GET',
    path: '/sns/jscode2session',
    query: { appid, secret: sim.secret, js_code: jsCode, grant_type: 'authorization_code' },
  })
  expect(res.status).toBe(200)
  return JSON.parse(res.text) as Json
}

async function stableToken(sim: SimWeChat, force = false): Promise<Json> {
  const res = await sim.handle({
    method: 'POST',
    path: '/cgi-bin/stable_token',
    query: {},
    body: JSON.stringify({
      grant_type: 'client_credential',
      appid: sim.appid,
      secret: sim.secret,
      force_refresh: force,
    }),
  })
  return JSON.parse(res.text) as Json
}

async function plainToken(sim: SimWeChat): Promise<Json> {
  const res = await sim.handle({
    method: 'GET',
    path: '/cgi-bin/token',
    query: { grant_type: 'client_credential', appid: sim.appid, secret: sim.secret },
  })
  return JSON.parse(res.text) as Json
}

/** errcode of a checksession call made with `token` (0 when the token is accepted). */
async function tokenState(sim: SimWeChat, token: string): Promise<number> {
  const { openid } = sim.mintLoginCode()
  const res = await sim.handle({
    method: 'GET',
    path: '/wxa/checksession',
    query: { access_token: token, openid, signature: 'x', sig_method: 'hmac_sha256' },
  })
  const errcode = (JSON.parse(res.text) as Json).errcode as number
  return errcode === 87009 ? 0 : errcode // a bad signature means the token itself was fine
}

/** A fixed base time: the clock moves only with clock.advance (deterministic). */
const frozen = (): number => 1_700_000_000_000

const RID = /, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/

describe('simulated jscode2session', () => {
  it('success has no errcode; errors carry errcode and a rid suffix', async () => {
    const sim = createSimWeChat({ now: frozen })
    const { code, openid } = sim.mintLoginCode()
    expect(code).toMatch(/^[0-9A-Za-z]{32}$/)
    expect(openid).toMatch(/^o[0-9A-Za-z_-]{27}$/)
    const ok = await code2session(sim, code)
    expect(Object.keys(ok).sort()).toEqual(['openid', 'session_key', 'unionid'])
    expect(ok.openid).toBe(openid)
    const used = await code2session(sim, code)
    expect(used.errcode).toBe(40163)
    expect(used.errmsg).toMatch(/^code been used, rid: /)
    expect(used.errmsg).toMatch(RID)
    expect(parseRid(used.errmsg as string)).toMatch(/^[0-9a-f-]{26}$/)
  })

  it('codes are valid 5 minutes (virtual clock)', async () => {
    const sim = createSimWeChat({ now: frozen })
    const a = sim.mintLoginCode().code
    const b = sim.mintLoginCode().code
    sim.clock.advance(5 * 60_000 - 1)
    expect((await code2session(sim, a)).openid).toEqual(expect.any(String))
    sim.clock.advance(1)
    const expired = await code2session(sim, b)
    expect(expired.errcode).toBe(40029)
    expect(expired.errmsg).toMatch(/^invalid code, rid: /)
  })

  it('an injected now drives the clock too', async () => {
    let t = 1_700_000_000_000
    const sim = createSimWeChat({ now: () => t })
    const { code } = sim.mintLoginCode()
    t += 5 * 60_000
    expect((await code2session(sim, code)).errcode).toBe(40029)
  })

  it('unknown codes, codes of another app and wrong credentials', async () => {
    const sim = createSimWeChat({ now: frozen })
    expect((await code2session(sim, 'neverMinted000000000000000000000')).errcode).toBe(40029)
    const foreign = sim.mintLoginCode({ appid: 'wx00000000000000ff' }).code
    expect((await code2session(sim, foreign)).errcode).toBe(40029)
    expect((await code2session(sim, sim.mintLoginCode().code, 'wx0000000000000001')).errcode).toBe(
      40013,
    )
    const q = { appid: sim.appid, secret: 'nope', js_code: 'x', grant_type: 'authorization_code' }
    const call = async (query: Record<string, string>): Promise<number> =>
      (
        JSON.parse(
          (await sim.handle({ method: 'GET', path: '/sns/jscode2session', query })).text,
        ) as Json
      ).errcode as number
    expect(await call(q)).toBe(40125)
    expect(await call({ ...q, secret: '' })).toBe(41004)
    expect(await call({ ...q, appid: '' })).toBe(41002)
    expect(await call({ ...q, secret: sim.secret, js_code: '' })).toBe(41008)
    expect(await call({ ...q, secret: sim.secret, grant_type: 'x' })).toBe(40002)
  })

  it('one session_key per user: each minted code brings a new one, the latest wins', async () => {
    const sim = createSimWeChat({ now: frozen })
    const first = sim.mintLoginCode({ openid: 'oUser1' })
    const k1 = sim.getUser('oUser1')!.sessionKey
    const second = sim.mintLoginCode({ openid: 'oUser1' })
    const k2 = sim.getUser('oUser1')!.sessionKey
    expect(k1).not.toBe(k2)
    expect(Buffer.from(k2!, 'base64')).toHaveLength(16)
    // Whatever code is exchanged, WeChat answers the user's one valid session_key.
    expect((await code2session(sim, first.code)).session_key).toBe(k2)
    expect((await code2session(sim, second.code)).session_key).toBe(k2)
  })

  it('unionid: given, generated, or absent when the app is not bound', async () => {
    const sim = createSimWeChat({ now: frozen })
    expect(
      (await code2session(sim, sim.mintLoginCode({ openid: 'oA', unionid: 'uA' }).code)).unionid,
    ).toBe('uA')
    expect((await code2session(sim, sim.mintLoginCode({ openid: 'oA' }).code)).unionid).toBe('uA')
    const unbound = createSimWeChat({ now: frozen, unionid: false })
    expect(await code2session(unbound, unbound.mintLoginCode().code)).not.toHaveProperty('unionid')
  })
})

describe('dev fallback', () => {
  const devToolsCode = '0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P'

  it('on: a well-formed code it did not mint maps to the local dev user, with a warning', async () => {
    const cap = captureLog()
    const sim = createSimWeChat({ now: frozen, devFallback: true, log: cap.log })
    const res = await code2session(sim, devToolsCode)
    expect(res.openid).toBe(SIM_DEV_OPENID)
    expect(res.session_key).toBe(sim.getUser(SIM_DEV_OPENID)!.sessionKey)
    const warn = cap.lines.map((l) => JSON.parse(l) as Json).find((l) => l.level === 40)
    expect(warn?.msg).toMatch(/local development user/)
    expect(cap.text()).not.toContain(devToolsCode)
    // Still single use; garbage is still invalid; minted codes behave as usual.
    expect((await code2session(sim, devToolsCode)).errcode).toBe(40163)
    expect((await code2session(sim, 'short')).errcode).toBe(40029)
    expect((await code2session(sim, 'has spaces in it 000000000000000')).errcode).toBe(40029)
    const { code, openid } = sim.mintLoginCode()
    expect((await code2session(sim, code)).openid).toBe(openid)
  })

  it('off: the same code is 40029', async () => {
    const sim = createSimWeChat({ now: frozen, devFallback: false })
    expect((await code2session(sim, devToolsCode)).errcode).toBe(40029)
    expect(createSimWeChat({ now: frozen }).devFallback).toBe(false)
  })
})

describe('simulated access tokens', () => {
  it('stable_token is idempotent within its window and counts down', async () => {
    const sim = createSimWeChat({ now: frozen })
    const a = await stableToken(sim)
    expect(a.expires_in).toBe(7200)
    expect(a).not.toHaveProperty('errcode')
    expect((a.access_token as string).length).toBeGreaterThanOrEqual(100)
    sim.clock.advance(1000 * 1000)
    const b = await stableToken(sim)
    expect(b.access_token).toBe(a.access_token)
    expect(b.expires_in).toBe(6200)
  })

  it('renews 5 minutes before expiry; the old token works until its own expiry (overlap)', async () => {
    const sim = createSimWeChat({ now: frozen })
    const a = (await stableToken(sim)).access_token as string
    sim.clock.advance((7200 - 300) * 1000)
    const b = await stableToken(sim)
    expect(b.access_token).not.toBe(a)
    expect(b.expires_in).toBe(7200)
    expect(await tokenState(sim, a)).toBe(0)
    sim.clock.advance(300 * 1000)
    expect(await tokenState(sim, a)).toBe(42001)
    expect(await tokenState(sim, b.access_token as string)).toBe(0)
  })

  it('force_refresh invalidates the previous token at once (40001), at most every 30 s', async () => {
    const sim = createSimWeChat({ now: frozen })
    const a = (await stableToken(sim)).access_token as string
    const b = (await stableToken(sim, true)).access_token as string
    expect(b).not.toBe(a)
    expect(await tokenState(sim, a)).toBe(40001)
    expect(await tokenState(sim, b)).toBe(0)
    // Within 30 s of the last forced refresh nothing happens.
    expect((await stableToken(sim, true)).access_token).toBe(b)
    sim.clock.advance(30_000)
    const c = (await stableToken(sim, true)).access_token as string
    expect(c).not.toBe(b)
    expect((await stableToken(sim)).access_token).toBe(c)
  })

  it('/cgi-bin/token supersedes its previous token after 5 minutes, and is isolated from stable', async () => {
    const sim = createSimWeChat({ now: frozen })
    const stable = (await stableToken(sim)).access_token as string
    const p1 = (await plainToken(sim)).access_token as string
    const p2 = (await plainToken(sim)).access_token as string
    expect(await tokenState(sim, p1)).toBe(0) // overlap
    sim.clock.advance(5 * 60_000)
    expect(await tokenState(sim, p1)).toBe(40001)
    expect(await tokenState(sim, p2)).toBe(0)
    const p3 = (await plainToken(sim)).access_token as string
    const p4 = (await plainToken(sim)).access_token as string
    expect(await tokenState(sim, p2)).toBe(40001) // only the latest previous one overlaps
    expect(await tokenState(sim, p3)).toBe(0)
    expect(await tokenState(sim, p4)).toBe(0)
    expect(await tokenState(sim, stable)).toBe(0)
  })

  it('unknown and missing tokens; bad stable_token requests', async () => {
    const sim = createSimWeChat({ now: frozen })
    expect(await tokenState(sim, 'not-a-token')).toBe(40001)
    expect(await tokenState(sim, '')).toBe(41001)
    const bad = async (body: string): Promise<unknown> =>
      (
        JSON.parse(
          (await sim.handle({ method: 'POST', path: '/cgi-bin/stable_token', query: {}, body }))
            .text,
        ) as Json
      ).errcode
    expect(await bad('not json')).toBe(47001)
    expect(await bad(JSON.stringify({ grant_type: 'client_credential', appid: sim.appid }))).toBe(
      41004,
    )
    expect(
      await bad(JSON.stringify({ grant_type: 'x', appid: sim.appid, secret: sim.secret })),
    ).toBe(40002)
    expect(
      await bad(
        JSON.stringify({ grant_type: 'client_credential', appid: sim.appid, secret: 'wrong' }),
      ),
    ).toBe(40125)
  })
})

describe('simulated getuserphonenumber and checksession', () => {
  async function phone(sim: SimWeChat, token: string, body: Json): Promise<Json> {
    const res = await sim.handle({
      method: 'POST',
      path: '/wxa/business/getuserphonenumber',
      query: { access_token: token },
      body: JSON.stringify(body),
    })
    return JSON.parse(res.text) as Json
  }

  it('answers the documented phone_info shape; openid binding; single use', async () => {
    const sim = createSimWeChat({ now: frozen })
    const token = (await stableToken(sim)).access_token as string
    const openid = sim.mintLoginCode().openid
    const code = sim.mintPhoneCode(openid)
    const other = await phone(sim, token, { code, openid: 'oSomeoneElse' })
    expect(other.errcode).toBe(40029)
    expect(parseRid(other.errmsg as string)).not.toBeNull()
    const ok = await phone(sim, token, { code, openid })
    expect(ok).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13800138000',
        purePhoneNumber: '13800138000',
        countryCode: '86',
        watermark: { timestamp: Math.floor(sim.clock.now() / 1000), appid: sim.appid },
      },
    })
    expect((await phone(sim, token, { code })).errcode).toBe(40029)
    expect((await phone(sim, token, {})).errcode).toBe(41008)
    expect((await phone(sim, 'bad', { code: sim.mintPhoneCode(openid) })).errcode).toBe(40001)
  })

  it('checksession verifies hmac_sha256(session_key, "") against the current key', async () => {
    const sim = createSimWeChat({ now: frozen })
    const token = (await stableToken(sim)).access_token as string
    const { openid } = sim.mintLoginCode()
    const { createHmac } = await import('crypto')
    const sign = (key: string): string => createHmac('sha256', key).update('').digest('hex')
    const check = async (q: Record<string, string>): Promise<Json> =>
      JSON.parse(
        (
          await sim.handle({
            method: 'GET',
            path: '/wxa/checksession',
            query: { access_token: token, openid, sig_method: 'hmac_sha256', ...q },
          })
        ).text,
      ) as Json
    const key = sim.getUser(openid)!.sessionKey!
    expect(await check({ signature: sign(key) })).toEqual({ errcode: 0, errmsg: 'ok' })
    expect((await check({ signature: sign('other') })).errcode).toBe(87009)
    expect((await check({ signature: sign(key), sig_method: 'md5' })).errcode).toBe(87008)
    expect((await check({ signature: sign(key), openid: 'oNobody' })).errcode).toBe(40003)
  })
})

describe('encryptUserProfile', () => {
  it('anonymous by default, signed and encrypted with the current session_key', () => {
    const sim = createSimWeChat({ now: frozen })
    const { openid } = sim.mintLoginCode()
    const key = sim.getUser(openid)!.sessionKey!
    const p = sim.encryptUserProfile(openid)
    expect(p.userInfo).toEqual(ANONYMOUS_USER_INFO)
    // the client half of the simulator (the fake wx) answers the same anonymous profile
    expect(CLIENT_ANONYMOUS_USER_INFO).toEqual(ANONYMOUS_USER_INFO)
    expect(JSON.parse(p.rawData)).toEqual(ANONYMOUS_USER_INFO)
    expect(verifyRawDataSignature(p.rawData, key, p.signature)).toBe(true)
    const data = decryptWeChatData(key, p.encryptedData, p.iv, sim.appid)
    expect(data).toMatchObject({ nickName: '微信用户', is_demote: true })
    expect(data.watermark).toEqual({
      appid: sim.appid,
      timestamp: Math.floor(sim.clock.now() / 1000),
    })
    expect(data).not.toHaveProperty('openId') // getUserProfile's encryptedData has no ids
  })

  it('real profile data on request, ids with withIds; a newer login breaks the old payload', () => {
    const sim = createSimWeChat({ now: frozen })
    const { openid } = sim.mintLoginCode({ unionid: 'uX' })
    const key = sim.getUser(openid)!.sessionKey!
    const p = sim.encryptUserProfile(
      openid,
      { nickName: 'Band', avatarUrl: 'https://example.com/a.png' },
      { withIds: true },
    )
    expect(p.userInfo).toMatchObject({ nickName: 'Band', language: 'zh_CN' })
    expect(p.userInfo).not.toHaveProperty('is_demote')
    expect(decryptWeChatData(key, p.encryptedData, p.iv, sim.appid)).toMatchObject({
      openId: openid,
      unionId: 'uX',
      nickName: 'Band',
    })
    sim.mintLoginCode({ openid })
    const newKey = sim.getUser(openid)!.sessionKey!
    expect(verifyRawDataSignature(p.rawData, newKey, p.signature)).toBe(false)
    expect(() => sim.encryptUserProfile('oNobody')).toThrow(/no session_key/)
  })
})

describe('faults', () => {
  it('apply in order, per API or to any ("*"), `times` times', async () => {
    const sim = createSimWeChat({ now: frozen })
    sim.faults.add('jscode2session', { errcode: 45011, times: 2 })
    sim.faults.next('*', { errcode: 40226 })
    expect(sim.faults.pending()).toHaveLength(2)
    expect((await code2session(sim, 'x')).errcode).toBe(45011)
    expect((await code2session(sim, 'x')).errcode).toBe(45011)
    expect((await stableToken(sim)).errcode).toBe(40226)
    expect(sim.faults.pending()).toHaveLength(0)
    sim.faults.add('token', { status: 503, times: 5 })
    sim.faults.clear()
    expect((await plainToken(sim)).access_token).toEqual(expect.any(String))
    expect(sim.stats.calls).toMatchObject({ jscode2session: 2, stable_token: 1, token: 1 })
  })

  it('status, malformed and custom errmsg', async () => {
    const sim = createSimWeChat({ now: frozen })
    sim.faults.next('stable_token', { status: 502 })
    const gw = await sim.handle({ method: 'POST', path: '/cgi-bin/stable_token', query: {} })
    expect(gw.status).toBe(502)
    sim.faults.next('jscode2session', { malformed: true })
    const bad = await sim.handle({ method: 'GET', path: '/sns/jscode2session', query: {} })
    expect(bad.status).toBe(200)
    expect(() => JSON.parse(bad.text) as unknown).toThrow()
    sim.faults.next('jscode2session', { errcode: -1, errmsg: 'busy' })
    expect((await code2session(sim, 'x')).errmsg).toMatch(/^busy, rid: /)
    const missing = await sim.handle({ method: 'GET', path: '/nope', query: {} })
    expect(missing.status).toBe(404)
  })
})
