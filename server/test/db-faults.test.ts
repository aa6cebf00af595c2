// Two server processes share a private PostgreSQL cluster, under a steady stream of orders,
// while the cluster is stopped cleanly (every connection gets 57P01), started again, killed
// outright (sockets just close) and started again. Neither process may crash (a pooled
// connection's error used to be an unhandled 'error' event); while the database is down they
// answer 503 DATABASE_UNAVAILABLE with Retry-After; they recover by themselves once it is back;
// and every order a client saw confirmed is stored exactly once, none lost, none doubled.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describeWithPrivateCluster, PrivateCluster } from './private-postgres'
import { startServer, until, type RunningServer } from './server-process'

jest.setTimeout(120_000)

/** Load bounds: it stops by itself after this many requests or this long, whichever first. */
const WORKERS = 4
const MAX_REQUESTS_PER_WORKER = 3_000
const MAX_LOAD_MS = 60_000
const PACE_MS = 10

interface Answer {
  status: number
  body: { id?: string; error?: { code: string } } | null
  retryAfter: string | null
}

async function call(
  base: string,
  method: string,
  p: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: body !== undefined ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await res.text()
  let parsed: Answer['body'] = null
  try {
    parsed = JSON.parse(text) as Answer['body']
  } catch {
    // not JSON: recorded as such below
  }
  return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after') }
}

const devCode = (): string => `fault-${crypto.randomBytes(12).toString('hex')}`
const order = { items: [{ itemId: 'milk-tea', quantity: 1 }] }

describeWithPrivateCluster('the database stops, dies and comes back under load', () => {
  let cluster: PrivateCluster
  let dataDir: string
  const servers: RunningServer[] = []

  beforeAll(async () => {
    cluster = await PrivateCluster.create()
    await cluster.query('create database faults')
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxkit-faults-'))
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startServer({
          DATABASE_URL: cluster.url('faults'),
          NODE_ENV: 'development',
          DATA_DIR: dataDir,
          RATE_LIMIT_LOGIN_MAX: '100000',
        }),
      )
    }
  })
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL')
    await cluster?.destroy()
    if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true })
  })

  test('no crash, 503 while down, recovery, every confirmed order stored once', async () => {
    const [a, b] = servers as [RunningServer, RunningServer]
    const login = await call(a.base, 'POST', '/auth/login', {}, { code: devCode() })
    expect(login.status).toBe(200)
    const auth = { authorization: `Bearer ${(login.body as { token: string }).token}` }

    const confirmed = new Map<string, string>() // idempotency key -> order id
    const doubled: string[] = []
    const unexpected: string[] = []
    let unavailable = 0
    let stop = false
    const loadDeadline = Date.now() + MAX_LOAD_MS

    /** Places one order with `key` on `base`; true once it is confirmed. */
    const place = async (base: string, key: string): Promise<boolean> => {
      let r: Answer
      try {
        r = await call(base, 'POST', '/orders', { ...auth, 'idempotency-key': key }, order)
      } catch {
        return false // the connection failed: the key is retried
      }
      if (r.status === 200 || r.status === 201) {
        const id = r.body?.id ?? ''
        const known = confirmed.get(key)
        if (known !== undefined && known !== id) doubled.push(key)
        confirmed.set(key, id)
        return true
      }
      if (r.status === 503 && r.body?.error?.code === 'DATABASE_UNAVAILABLE' && r.retryAfter) {
        unavailable++
        return false
      }
      unexpected.push(`${r.status} ${JSON.stringify(r.body)}`)
      return false
    }

    const pending = new Set<string>()
    const worker = async (w: number): Promise<void> => {
      let key: string | null = null
      for (let n = 0; n < MAX_REQUESTS_PER_WORKER && !stop && Date.now() < loadDeadline; n++) {
        key ??= `w${w}-${n}`
        pending.add(key)
        if (await place(n % 2 === 0 ? a.base : b.base, key)) {
          pending.delete(key)
          key = null
        }
        await new Promise((r) => setTimeout(r, PACE_MS))
      }
    }
    const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)))

    const recoveries: Record<string, number[]> = {}
    for (const mode of ['fast', 'immediate'] as const) {
      const before = confirmed.size
      await until('orders to flow', () => confirmed.size >= before + 10)
      await cluster.stop(mode)
      for (const s of servers) {
        await until(`a 503 from ${s.base} while the database is down`, async () => {
          const r = await call(s.base, 'GET', '/orders', auth).catch(() => null)
          if (r === null || r.status !== 503) return false
          expect(r.body).toEqual({
            error: { code: 'DATABASE_UNAVAILABLE', message: expect.any(String) },
          })
          expect(r.retryAfter).toBe('1')
          return true
        })
      }
      await cluster.start()
      const back = performance.now()
      recoveries[mode] = []
      for (const s of servers) {
        await until(
          `${s.base} to serve again`,
          async () =>
            (await call(s.base, 'GET', '/orders', auth).catch(() => null))?.status === 200,
          10_000,
          10,
        )
        recoveries[mode].push(Math.round(performance.now() - back))
      }
    }
    const flowing = confirmed.size
    await until('orders to flow after the last restart', () => confirmed.size >= flowing + 10)
    stop = true
    await load
    // A key whose answer was lost may or may not have its order: asking again settles it.
    for (const key of pending) {
      await until(`order ${key} to be confirmed`, () => place(a.base, key))
    }

    console.log(
      `database fault test: ${confirmed.size} orders confirmed, ${unavailable} answers 503 while ` +
        `down; recovery after the database's return (ms, instance A then B): ` +
        `stop -m fast ${recoveries.fast!.join(', ')}; stop -m immediate ${recoveries.immediate!.join(', ')}`,
    )

    expect(unexpected).toEqual([])
    expect(doubled).toEqual([])
    expect(unavailable).toBeGreaterThan(0)
    for (const s of servers) expect(s.child.exitCode).toBeNull()
    expect(a.output() + b.output()).not.toMatch(/Unhandled 'error' event|uncaughtException/)

    const rows = await cluster.query<{ idempotency_key: string; id: string }>(
      'select idempotency_key, id from orders',
      [],
      'faults',
    )
    expect(rows.length).toBe(confirmed.size)
    expect(new Map(rows.map((r) => [r.idempotency_key, r.id]))).toEqual(confirmed)

    // Revocation still crosses instances once the database is back.
    const second = await call(b.base, 'POST', '/auth/login', {}, { code: devCode() })
    const token2 = { authorization: `Bearer ${(second.body as { token: string }).token}` }
    expect((await call(b.base, 'GET', '/me', token2)).status).toBe(200)
    expect((await call(a.base, 'POST', '/auth/logout', token2)).status).toBe(200)
    const afterLogout = await call(b.base, 'GET', '/me', token2)
    expect(afterLogout.status).toBe(401)
  })
})
