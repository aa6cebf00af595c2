// The simulated WeChat on its own port (npm run sim): WeChat's real paths and the control
// routes over real HTTP, as a back end in another language would reach them.
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { SIM_APPID, SIM_SECRET } from '../../src/config'
import { createWeChatClient } from '../../src/wechat/client'
import { parseSimCliArgs } from '../../src/wechat/sim/cli'
import { buildSimHttpServer } from '../../src/wechat/sim/http-server'
import { createSimWeChat, type SimWeChat } from '../../src/wechat/sim/sim'
import { httpTransport } from '../../src/wechat/transport'
import { sampleOrderStatusMessage } from '../support/subscribe-message'

let sim: SimWeChat
let app: FastifyInstance
let origin: string

beforeAll(async () => {
  sim = createSimWeChat()
  app = await buildSimHttpServer({ sim })
  await app.listen({ host: '127.0.0.1', port: 0 })
  origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await app.close()
})

async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, json: await res.json() }
}

describe('the simulated WeChat over HTTP', () => {
  test('a code minted over the control route is exchanged once at /sns/jscode2session', async () => {
    const minted = await post('/__sim/login-code', { openid: 'o-http-alice' })
    expect(minted.status).toBe(200)
    const { code } = minted.json as { code: string }
    const client = createWeChatClient({
      appid: sim.appid,
      secret: sim.secret,
      transport: httpTransport(origin),
    })
    const session = await client.code2Session(code)
    expect(session.openid).toBe('o-http-alice')
    const direct = await fetch(
      `${origin}/sns/jscode2session?appid=${sim.appid}&secret=${sim.secret}&js_code=${code}&grant_type=authorization_code`,
    )
    expect(await direct.json()).toMatchObject({ errcode: 40163 })
  })

  test('GET /__sim/users/:openid gives the session_key WeChat holds, 404 for a stranger', async () => {
    const { code } = sim.mintLoginCode({ openid: 'o-http-bob' })
    expect(code).not.toBe('')
    const res = await fetch(`${origin}/__sim/users/o-http-bob`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      openid: 'o-http-bob',
      unionid: sim.getUser('o-http-bob')!.unionid,
      sessionKey: sim.getUser('o-http-bob')!.sessionKey,
    })
    const stranger = await fetch(`${origin}/__sim/users/o-nobody`)
    expect(stranger.status).toBe(404)
    expect(await stranger.json()).toMatchObject({ error: { code: 'SIM_NO_USER' } })
  })

  test('control-route failures answer the error envelope, and types are not coerced', async () => {
    const bad = await post('/__sim/login-code', { openid: 1 })
    expect(bad.status).toBe(400)
    expect(bad.json).toMatchObject({ error: { code: 'VALIDATION_FAILED' } })
    const missing = await fetch(`${origin}/cgi-bin/nope`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })

  test('an injected fault reaches an HTTP caller as WeChat would answer it', async () => {
    expect((await post('/__sim/faults', { api: 'jscode2session', errcode: 40226 })).status).toBe(
      200,
    )
    const { code } = sim.mintLoginCode()
    const res = await fetch(
      `${origin}/sns/jscode2session?appid=${sim.appid}&secret=${sim.secret}&js_code=${code}&grant_type=authorization_code`,
    )
    const body = (await res.json()) as { errcode: number; errmsg: string }
    expect(body.errcode).toBe(40226)
    expect(body.errmsg).toMatch(/, rid: /)
  })
})

describe('subscription messages over HTTP', () => {
  test('subscribe/send delivers once per accept learned at /__sim/subscribe-accept, listed at /__sim/messages', async () => {
    const client = createWeChatClient({
      appid: sim.appid,
      secret: sim.secret,
      transport: httpTransport(origin),
    })
    const message = sampleOrderStatusMessage('o-http-carol')
    await expect(client.sendSubscribeMessage(message)).rejects.toMatchObject({ errcode: 43101 })
    const accept = await fetch(`${origin}/__sim/subscribe-accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: 'o-http-carol', templateId: message.template_id }),
    })
    expect(accept.status).toBe(204)
    await client.sendSubscribeMessage(message)
    await expect(client.sendSubscribeMessage(message)).rejects.toMatchObject({ errcode: 43101 })
    await expect(
      client.sendSubscribeMessage({ ...message, template_id: 'NO_SUCH_TEMPLATE' }),
    ).rejects.toMatchObject({ errcode: 40037 })
    const listed = await fetch(`${origin}/__sim/messages?openid=o-http-carol`)
    expect(await listed.json()).toEqual({
      messages: [
        {
          touser: 'o-http-carol',
          templateId: message.template_id,
          page: message.page,
          data: {
            character_string1: 'o1',
            phrase2: '已接单',
            amount3: '28.00元',
            time4: '2026-01-15 12:30',
          },
          at: expect.any(Number),
        },
      ],
    })
  })
})

describe('the control routes with a token', () => {
  test('without X-Sim-Token they answer 401 SIM_UNAUTHORIZED; with it, they serve', async () => {
    const guarded = await buildSimHttpServer({ sim, controlToken: 'sim-control-token-0123456789' })
    try {
      const bare = await guarded.inject({ method: 'POST', url: '/__sim/login-code', payload: {} })
      expect(bare.statusCode).toBe(401)
      expect(bare.json()).toMatchObject({ error: { code: 'SIM_UNAUTHORIZED' } })
      const ok = await guarded.inject({
        method: 'POST',
        url: '/__sim/login-code',
        payload: {},
        headers: { 'x-sim-token': 'sim-control-token-0123456789' },
      })
      expect(ok.statusCode).toBe(200)
    } finally {
      await guarded.close()
    }
  })
})

describe('wx-sim-wechat arguments', () => {
  test("defaults: loopback, port 4100, the reference server's simulated credentials", () => {
    expect(parseSimCliArgs([], {})).toEqual({
      host: '127.0.0.1',
      port: 4100,
      appid: SIM_APPID,
      secret: SIM_SECRET,
      logLevel: 'warn',
      controlToken: null,
    })
  })

  test('flags win over the environment, in both --flag value and --flag=value forms', () => {
    const o = parseSimCliArgs(['--port', '0', '--appid=wxflag000000'], {
      SIM_PORT: '5000',
      SIM_APPID: 'wxenv0000000',
      SIM_SECRET: 'env-secret',
    })
    expect(o).toMatchObject({ port: 0, appid: 'wxflag000000', secret: 'env-secret' })
  })

  test('a bad port or an unknown flag is refused with the usage', () => {
    expect(() => parseSimCliArgs(['--port', '70000'], {})).toThrow(/--port must be 0–65535/)
    expect(() => parseSimCliArgs(['--verbose'], {})).toThrow(/usage: wx-sim-wechat/)
    expect(() => parseSimCliArgs(['--port'], {})).toThrow(/--port needs a value/)
    expect(() => parseSimCliArgs([], { SIM_CONTROL_TOKEN: 'short' })).toThrow(/SIM_CONTROL_TOKEN/)
  })
})
