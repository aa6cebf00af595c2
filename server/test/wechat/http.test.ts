// The client over real HTTP (httpTransport + global fetch) against the simulated WeChat served by
// simWeChatRoutes on an ephemeral loopback port.
import Fastify, { type FastifyInstance } from 'fastify'
import type { AddressInfo } from 'net'
import { createWeChatClient } from '../../src/wechat/client'
import { mapWeChatError } from '../../src/wechat/errors'
import { createSimWeChat, type SimWeChat } from '../../src/wechat/sim/sim'
import { simWeChatRoutes } from '../../src/wechat/sim/wechat-routes'
import { httpTransport, WeChatTransportError } from '../../src/wechat/transport'
import type { WeChatClient } from '../../src/wechat/types'
import { failure } from './helpers'

let app: FastifyInstance
let sim: SimWeChat
let baseUrl: string
let client: WeChatClient

beforeAll(async () => {
  sim = createSimWeChat({ now: () => 1_700_000_000_000 })
  app = Fastify({ logger: false })
  await app.register(simWeChatRoutes, { sim })
  await app.listen({ host: '127.0.0.1', port: 0 })
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await app.close()
})

beforeEach(() => {
  sim.faults.clear()
  client = createWeChatClient({
    appid: sim.appid,
    secret: sim.secret,
    transport: httpTransport(baseUrl),
    now: () => sim.clock.now(),
  })
})

describe('client over HTTP against the simulated WeChat', () => {
  it('serves WeChat-shaped bodies (no errcode on success, rid suffix on errors)', async () => {
    const { code } = sim.mintLoginCode()
    const q = new URLSearchParams({
      appid: sim.appid,
      secret: sim.secret,
      js_code: code,
      grant_type: 'authorization_code',
    })
    const ok = await fetch(`${baseUrl}/sns/jscode2session?${q.toString()}`)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await ok.json()) as Record<string, unknown>
    expect(body).not.toHaveProperty('errcode')
    expect(body).toHaveProperty('session_key')
    const again = await fetch(`${baseUrl}/sns/jscode2session?${q.toString()}`)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({
      errcode: 40163,
      errmsg: expect.stringMatching(/^code been used, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/),
    })
  })

  it('answers a non-JSON POST body with 47001 like WeChat, not a framework 400', async () => {
    const res = await fetch(`${baseUrl}/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { errcode: number }).errcode).toBe(47001)
  })

  it('code2Session, replay (sim and client memory) and coalescing', async () => {
    const { code, openid } = sim.mintLoginCode()
    const before = sim.stats.calls.jscode2session
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => client.code2Session(code)))
    expect(sim.stats.calls.jscode2session - before).toBe(1)
    expect(results.every((r) => r.openid === openid)).toBe(true)
    expect(results[0]!.sessionKey).toBe(sim.getUser(openid)!.sessionKey)
    expect((await failure(client.code2Session(code))).rid).toBeNull()
    const other = createWeChatClient({
      appid: sim.appid,
      secret: sim.secret,
      transport: httpTransport(`${baseUrl}/`),
    })
    const fromSim = await failure(other.code2Session(code))
    expect(fromSim.errcode).toBe(40163)
    expect(fromSim.rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/)
  })

  it('phone number, checkSessionKey and access_token', async () => {
    const { code, openid } = sim.mintLoginCode()
    const { sessionKey } = await client.code2Session(code)
    const phone = sim.mintPhoneCode(openid, '13700001111')
    await expect(client.getPhoneNumber(phone, openid)).resolves.toMatchObject({
      purePhoneNumber: '13700001111',
      countryCode: '86',
    })
    const used = await failure(client.getPhoneNumber(phone, openid))
    expect(mapWeChatError(used).code).toBe('PHONE_CODE_INVALID')
    expect(await client.checkSessionKey(openid, sessionKey)).toBe(true)
    expect(await client.checkSessionKey(openid, 'AAAAAAAAAAAAAAAAAAAAAA==')).toBe(false)
    // A token force-refreshed elsewhere: the client refreshes once and replays.
    const stableBefore = sim.stats.calls.stable_token
    sim.rotateStableToken()
    expect(await client.checkSessionKey(openid, sessionKey)).toBe(true)
    expect(sim.stats.calls.stable_token - stableBefore).toBe(1)
  })

  it('5xx, malformed JSON and injected errcodes become typed errors', async () => {
    sim.faults.next('jscode2session', { status: 503 })
    expect(await failure(client.code2Session(sim.mintLoginCode().code))).toMatchObject({
      errcode: -1,
      errmsg: 'http status 503',
    })
    sim.faults.next('jscode2session', { malformed: true })
    expect(await failure(client.code2Session(sim.mintLoginCode().code))).toMatchObject({
      errcode: -1,
      errmsg: 'malformed response',
    })
    sim.faults.next('jscode2session', { errcode: 40226 })
    const blocked = await failure(client.code2Session(sim.mintLoginCode().code))
    expect(blocked.rid).not.toBeNull()
    expect(mapWeChatError(blocked).statusCode).toBe(403)
  })

  it('a network failure is errcode -1 and never exposes the URL (it carries the secret)', async () => {
    const dead = Fastify()
    await dead.listen({ host: '127.0.0.1', port: 0 })
    const port = (dead.server.address() as AddressInfo).port
    await dead.close()
    const transport = httpTransport(`http://127.0.0.1:${port}`)
    await expect(
      transport({ method: 'GET', path: '/x', query: { secret: 'S3CRET' }, timeoutMs: 2000 }),
    ).rejects.toBeInstanceOf(WeChatTransportError)
    const offline = createWeChatClient({ appid: sim.appid, secret: 'S3CRET', transport })
    const e = await failure(offline.code2Session('someCode'))
    expect(e.errcode).toBe(-1)
    expect(e.errmsg).toBe('network error')
    expect(`${e.message} ${e.errmsg}`).not.toContain('S3CRET')
    expect(mapWeChatError(e).code).toBe('WECHAT_UNAVAILABLE')
  })
})
