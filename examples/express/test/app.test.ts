// examples/express against the conformance suite, in process, and the Express middleware's own
// edges: body-parser failures, unexpected errors, routes without authentication.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLoginCore, type LoginCoreHandle } from '@wx-login-kit/server/core'
import { wxLoginMiddleware, type WxRequest } from '@wx-login-kit/server/express'
import { buildSimHttpServer, createSimWeChat, type SimWeChat } from '@wx-login-kit/server/sim'
import express from 'express'
import type { FastifyInstance } from 'fastify'
import { SECTIONS } from '../../../conformance/sections'
import { runSuite } from '../../../conformance/suite'
import { createWeChatClient } from '../../../server/src/wechat/client'
import { createExampleApp } from '../src/app'

let sim: SimWeChat
let simServer: FastifyInstance
let simUrl: string
let handle: LoginCoreHandle<WxRequest>
const servers: http.Server[] = []

async function listen(app: http.RequestListener): Promise<string> {
  const server = http.createServer(app)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  sim = createSimWeChat()
  simServer = await buildSimHttpServer({ sim })
  await simServer.listen({ host: '127.0.0.1', port: 0 })
  simUrl = `http://127.0.0.1:${(simServer.server.address() as AddressInfo).port}`
  handle = await createLoginCore<WxRequest>({
    wechat: createWeChatClient({ appid: sim.appid, secret: sim.secret, transport: sim.transport }),
    sessionSecret: 'express-example-test-secret-0123456789',
  })
})

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections()
    await new Promise((resolve) => s.close(resolve))
  }
  await handle.close()
  await simServer.close()
})

test('examples/express passes the conformance suite; only optional sections are skipped', async () => {
  // WeChat's injected 5xx-class failures are expected here: keep them off the console.
  const baseUrl = await listen(createExampleApp(handle.core, { onServerError: () => undefined }))
  const lines: string[] = []
  const totals = await runSuite(
    SECTIONS,
    { baseUrl, simUrl, simToken: null, sessionTtlSec: null },
    (line) => lines.push(line),
  )
  expect(lines.filter((l) => l.startsWith('FAIL '))).toEqual([])
  expect(totals.passed).toBeGreaterThanOrEqual(25)
  expect(lines.filter((l) => l.startsWith('skip '))).toEqual([
    expect.stringMatching(/session past its expiresIn/),
    expect.stringMatching(/^skip POST \/orders without Idempotency-Key.*no demo shop/),
    expect.stringMatching(/^skip a key places one order.*no demo shop/),
  ])
})

describe('the Express middleware', () => {
  let baseUrl: string
  const serverErrors: unknown[] = []

  beforeAll(async () => {
    const wx = wxLoginMiddleware(handle.core, { onServerError: (e) => serverErrors.push(e) })
    const app = express()
    app.post('/echo', wx.requireAuth, express.json({ limit: '1kb' }), (req, res) => {
      res.json({ got: (req as WxRequest).body })
    })
    app.get('/boom', () => {
      throw new Error('a detail that must stay on the server')
    })
    app.get('/unguarded', (req, res) => {
      res.json(wx.authOf(req))
    })
    app.use(wx.notFound)
    app.use(wx.errorHandler)
    baseUrl = await listen(app)
  })

  async function tokenFor(): Promise<string> {
    const { code } = sim.mintLoginCode()
    const r = await handle.core.login(code, {} as WxRequest)
    return r.token
  }

  test('a body over the JSON limit is 413 PAYLOAD_TOO_LARGE in the envelope', async () => {
    const res = await fetch(`${baseUrl}/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(4096) }),
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } })
  })

  test('an unexpected error is 500 INTERNAL, its message kept for onServerError only', async () => {
    const res = await fetch(`${baseUrl}/boom`)
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } })
    expect(text).not.toMatch(/detail/)
    expect(serverErrors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/detail/) }),
    ])
  })

  test('authOf on a route no require* middleware guarded is 401, never a user', async () => {
    const res = await fetch(`${baseUrl}/unguarded`)
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ error: { code: 'SESSION_INVALID' } })
  })
})
