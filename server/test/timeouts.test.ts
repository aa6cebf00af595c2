// Slow clients and a stuck database are bounded: a request whose headers or body do not arrive
// in time is dropped (it used to hold its connection forever), and a statement that waits on a
// lock beyond the statement timeout answers 503 DATABASE_UNAVAILABLE instead of hanging.
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import {
  DATABASE_URL,
  authHeader,
  createTestApp,
  onPostgres,
  useLeakCheck,
  type TestApp,
} from './helpers'

useLeakCheck()
jest.setTimeout(30_000)

const REQUEST_TIMEOUT_MS = 600

describe('slow clients', () => {
  let t: TestApp
  let port: number
  beforeAll(async () => {
    t = await createTestApp({ config: { requestTimeoutMs: REQUEST_TIMEOUT_MS } })
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const addr = t.app.server.address()
    port = typeof addr === 'object' && addr !== null ? addr.port : 0
  })
  afterAll(async () => {
    await t.close()
  })

  interface Outcome {
    /** What the server wrote before closing. */
    answer: string
    /** Bytes of the request we had written when the server closed. */
    sent: number
  }

  /**
   * Writes `head`, then the body one byte every `everyMs` (never more than `body.length`
   * bytes), and resolves when the server closes the connection.
   */
  function slowRequest(head: string, body: string, everyMs: number): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1')
      let answer = ''
      let sent = 0
      let timer: NodeJS.Timeout | null = null
      const deadline = setTimeout(() => {
        socket.destroy()
        reject(new Error('the server kept the slow connection open'))
      }, 20_000)
      socket.on('data', (d: Buffer) => (answer += d.toString('utf8')))
      socket.on('error', () => undefined)
      socket.on('close', () => {
        clearTimeout(deadline)
        if (timer !== null) clearInterval(timer)
        resolve({ answer, sent })
      })
      socket.on('connect', () => {
        if (head !== '') socket.write(head)
        sent = head.length
        if (body === '') return
        timer = setInterval(() => {
          if (sent - head.length >= body.length || socket.destroyed) {
            if (timer !== null) clearInterval(timer)
            return
          }
          socket.write(body[sent - head.length]!)
          sent++
        }, everyMs)
      })
    })
  }

  const body = JSON.stringify({ code: 'x'.repeat(180) })
  const head =
    'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${body.length}\r\n\r\n`

  test('a body that stops half-way is dropped with 408', async () => {
    const r = await slowRequest(head + body.slice(0, 10), '', 0)
    expect(r.answer).toMatch(/^HTTP\/1\.1 408 /)
  })

  test('a body trickled byte by byte is dropped before it completes', async () => {
    // At one byte per 50 ms the body would take 9 s; the server must not wait for it.
    const r = await slowRequest(head, body, 50)
    expect(r.sent).toBeLessThan(head.length + body.length)
    expect(r.answer).toMatch(/^HTTP\/1\.1 408 /)
  })

  test('a connection that never sends its headers is closed', async () => {
    const r = await slowRequest('POST /auth/login HTTP/1.1\r\nHost: 1', '', 0)
    expect(r.answer === '' || /^HTTP\/1\.1 408 /.test(r.answer)).toBe(true)
  })

  test('a prompt request is unaffected', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(res.status).toBe(200)
  })
})

describe('a statement stuck on a lock', () => {
  const order = { items: [{ itemId: 'milk-tea', quantity: 1 }] }
  let dir: string | null = null
  afterAll(() => {
    if (dir !== null) fs.rmSync(dir, { recursive: true, force: true })
  })

  async function placeOrder(t: TestApp, token: string) {
    return t.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...authHeader(token), 'idempotency-key': 'stuck-1' },
      payload: order,
    })
  }

  function expectUnavailable(res: Awaited<ReturnType<typeof placeOrder>>): void {
    expect({
      status: res.statusCode,
      body: res.json(),
      retryAfter: res.headers['retry-after'],
    }).toEqual({
      status: 503,
      body: { error: { code: 'DATABASE_UNAVAILABLE', message: expect.any(String) } },
      retryAfter: '1',
    })
  }

  const testSqlite = onPostgres ? test.skip : test
  const testPostgres = onPostgres ? test : test.skip

  testSqlite('SQLite: a write lock held elsewhere beyond busy_timeout answers 503', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxkit-busy-'))
    const file = path.join(dir, 'db.sqlite')
    const t = await createTestApp({ sqlitePath: file, config: { dbStatementTimeoutMs: 100 } })
    const { token } = await t.login()
    const other = new SQLite(file)
    other.exec('BEGIN IMMEDIATE')
    try {
      expectUnavailable(await placeOrder(t, token))
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    // The lock gone, the same key places the order.
    expect((await placeOrder(t, token)).statusCode).toBe(201)
    await t.close()
  })

  testPostgres(
    'PostgreSQL: statement_timeout ends a statement waiting on a lock: 503',
    async () => {
      const t = await createTestApp({ config: { dbStatementTimeoutMs: 200 } })
      const { token } = await t.login()
      const locker = new pg.Client({ connectionString: DATABASE_URL! })
      await locker.connect()
      try {
        await locker.query('begin')
        await locker.query(`lock table ${t.config.pgSchema}.orders in access exclusive mode`)
        expectUnavailable(await placeOrder(t, token))
      } finally {
        await locker.query('rollback').catch(() => undefined)
        await locker.end()
      }
      expect((await placeOrder(t, token)).statusCode).toBe(201)
      await t.close()
    },
  )
})
