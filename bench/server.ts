// Server benchmark (autocannon, loopback): a protected route with bearer-token verification
// versus a bare Fastify route on the same app in the same run, real GET /me, and logins/s
// against the simulated WeChat. Each run is short (~3 s); the whole takes < 40 s.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'
import pg from 'pg'
import { buildAppWithServices } from '../server/src/app'
import { testConfig } from '../server/src/config'
import { createLogger } from '../server/src/logger'
import { createSimWeChat } from '../server/src/wechat'
import { benchServerFaults } from './server-faults'

const DURATION_SEC = 3
/** Each of the alternating bare/protected runs. */
const PAIR_SEC = 2
const CONNECTIONS = 16

interface RunSummary {
  requestsPerSec: number
  p99Ms: number
  p50Ms: number
  non2xx: number
  errors: number
}

async function run(opts: autocannon.Options): Promise<RunSummary> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION_SEC, ...opts })
  return {
    requestsPerSec: Math.round(r.requests.average),
    p99Ms: r.latency.p99,
    p50Ms: r.latency.p50,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  }
}

/** The better of several runs (the one least disturbed by other load). */
function best(runs: RunSummary[]): RunSummary {
  return runs.reduce((a, b) => (b.requestsPerSec > a.requestsPerSec ? b : a))
}

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b)
  return Math.round(v[Math.floor(v.length / 2)]! * 100) / 100
}

/** Cost of one cached verification, measured directly (µs). */
async function verifyMicros(verify: () => Promise<unknown>): Promise<number> {
  const n = 50_000
  for (let i = 0; i < 5_000; i++) await verify()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await verify()
  return Math.round(Number(process.hrtime.bigint() - t0) / n / 10) / 100
}

export interface Target {
  base: string
  token: string
  close(): Promise<void>
}

/** The app under test with the two comparison routes, listening on a loopback port. */
async function startTarget(databaseUrl: string | null, pgSchema: string | null) {
  const log = createLogger('warn')
  const sim = createSimWeChat({ log })
  const config = testConfig({
    databaseUrl,
    pgSchema,
    logLevel: 'warn',
    rateLimits: {
      login: { max: 10_000_000, windowSec: 60 },
      phone: { max: 10_000_000, windowSec: 60 },
    },
  })
  const { app, services } = await buildAppWithServices(config, { sim, logger: log })
  // Same app, same hooks and serialization: only the preHandler differs.
  app.get('/bench/bare', async () => ({ ok: true }))
  app.get('/bench/protected', { preHandler: services.auth.requireAuth }, async () => ({ ok: true }))
  // A fresh session on demand (for revocation timings), without the /__sim control routes.
  app.post('/bench/token', async () => {
    const minted = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { code: sim.mintLoginCode().code },
    })
    return { token: minted.json<{ token: string }>().token }
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0
  const { code } = sim.mintLoginCode()
  const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { code } })
  const token = login.json<{ token: string }>().token
  return { app, services, sim, base: `http://127.0.0.1:${port}`, token }
}

/**
 * The same target in a child process, so that autocannon's load generation does not share the
 * server's event loop (it would tax the slower route more and skew the ratio).
 */
export async function startChildTarget(databaseUrl: string | null, pgSchema: string | null) {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_PG_SCHEMA: pgSchema ?? '' }
  if (databaseUrl === null) delete env.DATABASE_URL
  else env.DATABASE_URL = databaseUrl
  const child = spawn(
    process.execPath,
    [createRequire(__filename).resolve('tsx/cli'), __filename, '--serve'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      env,
    },
  )
  const lines = createInterface({ input: child.stdout })
  const [line] = (await once(lines, 'line')) as [string]
  const { base, token } = JSON.parse(line) as { base: string; token: string }
  const target: Target = {
    base,
    token,
    close: async () => {
      child.stdin.end()
      if (child.exitCode === null) await once(child, 'exit')
    },
  }
  return target
}

export async function benchServer(): Promise<Record<string, unknown>> {
  // PostgreSQL when DATABASE_URL is set (in a throw-away schema), else in-memory SQLite.
  const databaseUrl = process.env.DATABASE_URL ?? null
  const pgSchema = databaseUrl !== null ? `bench_${process.pid}_${Date.now() % 1_000_000}` : null
  if (databaseUrl !== null) await pgAdmin(databaseUrl, `create schema ${pgSchema}`)
  const child = await startChildTarget(databaseUrl, pgSchema)
  const local = await startTarget(databaseUrl, pgSchema)
  try {
    const auth = { authorization: `Bearer ${child.token}` }
    const url = (p: string) => `${child.base}${p}`
    // Warm-up (JIT, caches), then alternate the two routes so that drift and other load on the
    // machine hit both alike. Both get the same request (with the Authorization header): the
    // only difference is the verification.
    await autocannon({ url: url('/bench/bare'), headers: auth, duration: 1, connections: 8 })
    await autocannon({ url: url('/bench/protected'), headers: auth, duration: 1, connections: 8 })
    const bareRuns: RunSummary[] = []
    const protectedRuns: RunSummary[] = []
    const runBare = async () =>
      bareRuns.push(await run({ url: url('/bench/bare'), headers: auth, duration: PAIR_SEC }))
    const runProtected = async () =>
      protectedRuns.push(
        await run({ url: url('/bench/protected'), headers: auth, duration: PAIR_SEC }),
      )
    // Which route goes first alternates too, so that a trend within a pair favours neither.
    for (let i = 0; i < 6; i++) {
      if (i % 2 === 0) await runBare().then(runProtected)
      else await runProtected().then(runBare)
    }
    const bare = best(bareRuns)
    const protectedRoute = best(protectedRuns)
    await child.close()

    const localAuth = { authorization: `Bearer ${local.token}` }
    const me = await run({ url: `${local.base}/me`, headers: localAuth, duration: 2 })
    const logins = await run({
      url: `${local.base}/auth/login`,
      requests: [
        {
          method: 'POST',
          path: '/auth/login',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ code: local.sim.mintLoginCode().code }),
          }),
        },
      ],
    })

    return {
      storage: databaseUrl !== null ? 'postgres' : 'sqlite (memory)',
      connections: CONNECTIONS,
      note: 'bare vs protected: server in a child process, 6 pairs, order alternating, ratio = median of pair ratios, figures = best run; /me and logins: server and autocannon share one process',
      durationSec: DURATION_SEC,
      bareRoute: bare,
      protectedRoute,
      // Median of the ratios of adjacent runs: robust against a burst of load on either side.
      protectedVsBareRatio: median(
        bareRuns.map((b, i) => protectedRuns[i]!.requestsPerSec / b.requestsPerSec),
      ),
      protectedVsBareTarget: 0.8,
      verifyCachedMicros: await verifyMicros(() => local.services.sessions.verify(local.token)),
      getMe: me,
      loginsSimulatedWeChat: logins,
      twoInstancesOnPostgres: await benchServerFaults(),
    }
  } finally {
    await child.close()
    await local.app.close()
    if (databaseUrl !== null)
      await pgAdmin(databaseUrl, `drop schema if exists ${pgSchema} cascade`)
  }
}

async function pgAdmin(url: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    await c.query(statement)
  } finally {
    await c.end()
  }
}

if (process.argv.includes('--serve')) {
  // Child mode (see startChildTarget): serve until the parent closes stdin.
  const schema = process.env.BENCH_PG_SCHEMA || null
  void startTarget(process.env.DATABASE_URL ?? null, schema).then(({ app, base, token }) => {
    process.stdout.write(JSON.stringify({ base, token }) + '\n')
    process.stdin.resume()
    process.stdin.on('end', () => void app.close().then(() => process.exit(0)))
  })
} else if (/bench[\\/]server\.ts$/.test(process.argv[1] ?? '')) {
  benchServer().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e)
      process.exit(1)
    },
  )
}
