// wx.request on the runtime, over a real routed network (WX_SIM_ROUTES' path), keeps WeChat's
// rules (wechat-platform.md §10): documented methods only (no PATCH), any answer from the server
// is a success whatever its status, a non-JSON body stays a string, GET data becomes the query and
// a POST body is JSON; an unreachable server fails the call.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { BASIC_PROJECT } from '../fixtures'
import { createRuntimeWx } from './fake-wx-bridge'
import { HeadlessRuntime } from './runtime'

interface Heard {
  method: string
  url: string
  contentType: string | undefined
  body: string
}

const heard: Heard[] = []
let backend: http.Server
let rt: HeadlessRuntime

/** wx.request through its callbacks: the success result, or the fail result. */
function request(
  o: Record<string, unknown>,
): Promise<{ ok?: Record<string, unknown>; fail?: unknown }> {
  return new Promise((resolve) =>
    (rt.facade.wx.request as (o: Record<string, unknown>) => unknown)({
      ...o,
      success: (r: Record<string, unknown>) => resolve({ ok: r }),
      fail: (e: unknown) => resolve({ fail: e }),
    }),
  )
}

beforeAll(async () => {
  backend = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      heard.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body,
      })
      if (req.url?.startsWith('/missing')) {
        res.statusCode = 404
        res.setHeader('content-type', 'application/json')
        res.end('{"error":"not found"}')
      } else if (req.url?.startsWith('/portal')) {
        res.setHeader('content-type', 'text/html')
        res.end('<html>Sign in to the Wi-Fi</html>')
      } else {
        res.setHeader('content-type', 'application/json')
        res.end('{"ok":true}')
      }
    })
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const origin = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
  const bridge = createRuntimeWx({
    routes: {
      'https://api.shop.example': origin,
      'https://down.shop.example': 'http://127.0.0.1:1',
    },
  })
  rt = new HeadlessRuntime({
    projectPath: BASIC_PROJECT,
    ...bridge.runtimeOptions,
    onWarning: () => undefined,
  })
  await rt.launch()
})

afterAll(async () => {
  backend.closeAllConnections()
  await new Promise<void>((r) => backend.close(() => r()))
})

test('PATCH is refused with request:fail method is invalid and never sent', async () => {
  const before = heard.length
  expect(await request({ url: 'https://api.shop.example/me', method: 'PATCH' })).toEqual({
    fail: { errMsg: 'request:fail method is invalid' },
  })
  expect(heard.length).toBe(before)
  for (const method of ['GET', 'POST', 'PUT', 'DELETE'])
    expect((await request({ url: 'https://api.shop.example/me', method })).ok).toMatchObject({
      statusCode: 200,
      errMsg: 'request:ok',
    })
})

test('a 404 answer is a success with its status; a non-JSON body stays a string', async () => {
  expect((await request({ url: 'https://api.shop.example/missing' })).ok).toMatchObject({
    statusCode: 404,
    data: { error: 'not found' },
    errMsg: 'request:ok',
  })
  expect((await request({ url: 'https://api.shop.example/portal' })).ok).toMatchObject({
    statusCode: 200,
    data: '<html>Sign in to the Wi-Fi</html>',
  })
})

test('GET data becomes the query string; a POST body is sent as JSON', async () => {
  await request({ url: 'https://api.shop.example/search', data: { q: '茶', page: 2 } })
  expect(heard.at(-1)).toMatchObject({
    method: 'GET',
    url: `/search?q=${encodeURIComponent('茶')}&page=2`,
  })
  await request({
    url: 'https://api.shop.example/orders',
    method: 'POST',
    data: { sku: 'A1', n: 2 },
  })
  const post = heard.at(-1)!
  expect(post).toMatchObject({ method: 'POST', url: '/orders' })
  expect(post.contentType).toMatch(/^application\/json/)
  expect(JSON.parse(post.body)).toEqual({ sku: 'A1', n: 2 })
})

test('a server that cannot be reached fails the call with request:fail', async () => {
  const { fail } = await request({ url: 'https://down.shop.example/x' })
  expect(fail).toMatchObject({ errMsg: expect.stringMatching(/^request:fail /) })
})
