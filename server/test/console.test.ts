// The merchant console's API: password sign-in to an httpOnly SameSite=Strict cookie, no
// mini-program token accepted, its cookie accepted by no mini-program route, status moves with
// the error envelope, and new orders live over server-sent events.
import type { AddressInfo } from 'node:net'
import { DEV_CONSOLE_PASSWORD, loadConfig } from '../src/config'
import { authHeader } from './helpers'
import { useTestApp, withTestApp } from './support/test-app'

const t = useTestApp({ outbox: { autoStart: false } })

async function signIn(password = DEV_CONSOLE_PASSWORD) {
  return t.inject({ method: 'POST', url: '/console/api/session', payload: { password } })
}

async function staffCookie(): Promise<string> {
  const res = await signIn()
  expect(res.statusCode).toBe(204)
  const set = String(res.headers['set-cookie'])
  return set.split(';')[0]!
}

async function placeOrder(token: string) {
  const res = await t.inject({
    method: 'POST',
    url: '/orders',
    headers: { ...authHeader(token), 'idempotency-key': `k-${Math.random()}` },
    payload: { items: [{ itemId: 'milk-tea', quantity: 2 }] },
  })
  expect(res.statusCode).toBe(201)
  return res.json<{ id: string }>()
}

describe('sign-in', () => {
  test('the right password sets an httpOnly, SameSite=Strict cookie scoped to /console', async () => {
    const res = await signIn()
    expect(res.statusCode).toBe(204)
    const set = String(res.headers['set-cookie'])
    expect(set).toMatch(/^console_session=v1\.\d+\.[A-Za-z0-9_-]{43};/)
    expect(set).toMatch(/; HttpOnly/)
    expect(set).toMatch(/; SameSite=Strict/)
    expect(set).toMatch(/; Path=\/console/)
  })

  test('a wrong password is 401 with the error envelope and no cookie; repeated guesses get 429', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/console/api/session',
      payload: { password: 'guess' },
      remoteAddress: '10.9.9.9',
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({
      error: { code: 'CONSOLE_PASSWORD_WRONG', message: expect.any(String) },
    })
    expect(res.headers['set-cookie']).toBeUndefined()
    let last = res
    for (let i = 0; i < 10; i++) {
      last = await t.inject({
        method: 'POST',
        url: '/console/api/session',
        payload: { password: 'guess' },
        remoteAddress: '10.9.9.9',
      })
    }
    expect(last.statusCode).toBe(429)
    // Even the right password waits: the guesser learns nothing.
    const right = await t.inject({
      method: 'POST',
      url: '/console/api/session',
      payload: { password: DEV_CONSOLE_PASSWORD },
      remoteAddress: '10.9.9.9',
    })
    expect(right.statusCode).toBe(429)
  })

  test('production without CONSOLE_PASSWORD has no console password; a short one is refused', () => {
    const env = {
      NODE_ENV: 'production',
      SESSION_SECRET: 'production-session-secret-0123456789',
      WECHAT_APPID: 'wx1234567890abcdef',
      WECHAT_SECRET: 'x',
    }
    expect(loadConfig(env).consolePassword).toBeNull()
    expect(() => loadConfig({ ...env, CONSOLE_PASSWORD: 'short' })).toThrow(/CONSOLE_PASSWORD/)
    expect(loadConfig({ ...env, CONSOLE_PASSWORD: 'a-long-staff-password' }).consolePassword).toBe(
      'a-long-staff-password',
    )
    expect(loadConfig({ NODE_ENV: 'development' }).consolePassword).toBe(DEV_CONSOLE_PASSWORD)
  })

  test('with no console password configured, every sign-in is refused', async () => {
    await withTestApp({ config: { consolePassword: null } }, async (closed) => {
      for (const password of [DEV_CONSOLE_PASSWORD, '']) {
        const res = await closed.inject({
          method: 'POST',
          url: '/console/api/session',
          payload: { password },
        })
        expect(res.statusCode).toBeGreaterThanOrEqual(400)
        expect(res.headers['set-cookie']).toBeUndefined()
      }
    })
  })

  test('a forged or expired-format cookie is refused', async () => {
    const cookie = await staffCookie()
    const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))
    const res = await t.inject({
      method: 'GET',
      url: '/console/api/orders',
      headers: { cookie: forged },
    })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('CONSOLE_UNAUTHORIZED')
  })
})

describe('the two kinds of credentials never cross', () => {
  test('the console API refuses a mini-program bearer token and X-WX-Code', async () => {
    const { token } = await t.login()
    const bearer = await t.inject({
      method: 'GET',
      url: '/console/api/orders',
      headers: authHeader(token),
    })
    expect(bearer.statusCode).toBe(401)
    expect(bearer.json().error.code).toBe('CONSOLE_UNAUTHORIZED')
    const code = await t.inject({
      method: 'GET',
      url: '/console/api/orders',
      headers: { 'x-wx-code': t.mintCode().code },
    })
    expect(code.statusCode).toBe(401)
  })

  test('mini-program routes refuse the console cookie', async () => {
    const cookie = await staffCookie()
    for (const [method, url] of [
      ['GET', '/orders'],
      ['GET', '/me'],
      ['POST', '/me/subscriptions'],
    ] as const) {
      const res = await t.inject({
        method,
        url,
        headers: { cookie },
        ...(method === 'POST' ? { payload: { results: {} } } : {}),
      })
      expect(res.statusCode).toBe(401)
    }
  })
})

describe('orders in the console', () => {
  test('lists every user’s orders with the next status, and moves one step at a time', async () => {
    const cookie = await staffCookie()
    const { token } = await t.login()
    const o = await placeOrder(token)
    const list = await t.inject({ method: 'GET', url: '/console/api/orders', headers: { cookie } })
    expect(list.statusCode).toBe(200)
    expect(list.json().orders.find((x: { id: string }) => x.id === o.id)).toMatchObject({
      status: 'placed',
      next: 'accepted',
      merchantMayCancel: true,
    })
    const move = (status: string) =>
      t.inject({
        method: 'POST',
        url: `/console/api/orders/${o.id}/status`,
        headers: { cookie },
        payload: { status },
      })
    const skip = await move('completed')
    expect(skip.statusCode).toBe(409)
    expect(skip.json().error.code).toBe('ORDER_STATUS_CONFLICT')
    const accepted = await move('accepted')
    expect(accepted.statusCode).toBe(200)
    expect(accepted.json().order).toMatchObject({ status: 'accepted', next: 'ready' })
    expect((await move('ready')).json().order).toMatchObject({ next: 'completed' })
    expect((await move('completed')).json().order).toMatchObject({
      next: null,
      merchantMayCancel: false,
    })
    expect((await move('cancelled')).statusCode).toBe(409)
    const unknown = await move('eaten')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.code).toBe('VALIDATION_FAILED')
    const missing = await t.inject({
      method: 'POST',
      url: '/console/api/orders/o-missing/status',
      headers: { cookie },
      payload: { status: 'accepted' },
    })
    expect(missing.statusCode).toBe(404)
  })

  test('a form post (not JSON) is refused: SameSite aside, no cross-site form can move an order', async () => {
    const cookie = await staffCookie()
    const res = await t.inject({
      method: 'POST',
      url: '/console/api/orders/x/status',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'status=accepted',
    })
    expect(res.statusCode).toBe(415)
  })

  test('serves the page with a strict CSP and Chinese copy', async () => {
    const res = await t.inject({ method: 'GET', url: '/console/' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/text\/html/)
    expect(String(res.headers['content-security-policy'])).toMatch(/script-src 'self'/)
    expect(res.body).toContain('商家后台')
  })
})

describe('live orders over server-sent events', () => {
  test('a new order and its status change reach an open stream; no cookie, no stream', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = t.app.server.address() as AddressInfo
    const base = `http://127.0.0.1:${port}`
    const refused = await fetch(`${base}/console/api/events`)
    expect(refused.status).toBe(401)
    await refused.text()

    const cookie = await staffCookie()
    const controller = new AbortController()
    const res = await fetch(`${base}/console/api/events`, {
      headers: { cookie },
      signal: controller.signal,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    const readUntil = async (predicate: (s: string) => boolean): Promise<void> => {
      const deadline = Date.now() + 5000
      while (!predicate(text)) {
        if (Date.now() > deadline) throw new Error(`stream did not deliver in time: ${text}`)
        const { value, done } = await reader.read()
        if (done) throw new Error('stream ended')
        text += decoder.decode(value, { stream: true })
      }
    }
    await readUntil((s) => s.includes('retry:'))
    const { token } = await t.login()
    const o = await placeOrder(token)
    await readUntil((s) => s.includes(o.id))
    expect(text).toMatch(new RegExp(`event: order\\ndata: \\{"id":"${o.id}".*"status":"placed"`))
    await t.services.statusChanges.change(o.id, 'accepted', 'merchant')
    await readUntil((s) => /"status":"accepted"/.test(s))
    controller.abort()
    await reader.cancel().catch(() => undefined)
    const deadline = Date.now() + 5000
    while (t.services.orderFeed.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(t.services.orderFeed.size).toBe(0)
  })
})
