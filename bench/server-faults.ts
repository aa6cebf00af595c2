// The server with two instances on PostgreSQL (a private cluster: its own temporary directory
// and free port, so it can be restarted without touching anyone's database), each figure beside
// a baseline measured in the same run:
// - recovery: time from the database accepting connections again (pg_ctl start returned) to
//   both instances answering a protected route, after a clean stop and after a kill; beside it,
//   the time the database itself took to start;
// - revocation across instances: logout on A until B refuses the token (p50/p99), beside a bare
//   route's round trip on B;
// - protected-route throughput with both instances loaded at once, as a ratio to a bare route
//   on the same two instances (pairs in alternating order, median of the pair ratios).
import autocannon from 'autocannon'
import { PrivateCluster, privateClusterUnavailable } from '../server/test/private-postgres'
import { startChildTarget, type Target } from './server'

const RESTARTS: ('fast' | 'immediate')[] = ['fast', 'immediate', 'fast', 'immediate']
const REVOCATIONS = 60
const PAIRS = 4
const PAIR_SEC = 2
const CONNECTIONS_PER_INSTANCE = 8

function percentile(xs: number[], p: number): number {
  const v = [...xs].sort((a, b) => a - b)
  const i = Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)
  return Math.round(v[Math.max(0, i)]! * 100) / 100
}

const median = (xs: number[]): number => percentile(xs, 50)

async function status(url: string, init: RequestInit = {}): Promise<number> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) })
    await res.arrayBuffer()
    return res.status
  } catch {
    return 0
  }
}

/** Polls until `probe` is true; the loop is bounded by a deadline and stops by itself. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = performance.now() + timeoutMs
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function recovery(cluster: PrivateCluster, targets: Target[]) {
  const runs: { mode: string; databaseStartMs: number; recoveryMs: number }[] = []
  for (const mode of RESTARTS) {
    await cluster.stop(mode)
    for (const t of targets) {
      const headers = { authorization: `Bearer ${t.token}` }
      await until('503 while down', async () => {
        return (await status(`${t.base}/bench/protected`, { headers })) === 503
      })
    }
    const starting = performance.now()
    await cluster.start()
    const back = performance.now()
    await Promise.all(
      targets.map((t) =>
        until('recovery', async () => {
          const headers = { authorization: `Bearer ${t.token}` }
          return (await status(`${t.base}/bench/protected`, { headers })) === 200
        }),
      ),
    )
    runs.push({
      mode,
      databaseStartMs: Math.round(back - starting),
      recoveryMs: Math.round(performance.now() - back),
    })
  }
  return {
    runs,
    recoveryMsMax: Math.max(...runs.map((r) => r.recoveryMs)),
    databaseStartMsMedian: median(runs.map((r) => r.databaseStartMs)),
  }
}

async function revocation(a: Target, b: Target) {
  const revokeMs: number[] = []
  const bareMs: number[] = []
  let stillAccepted = 0
  for (let i = 0; i < REVOCATIONS; i++) {
    const { token } = (await (await fetch(`${a.base}/bench/token`, { method: 'POST' })).json()) as {
      token: string
    }
    const headers = { authorization: `Bearer ${token}` }
    // B has verified and cached the token: the revocation must reach its cache.
    await status(`${b.base}/bench/protected`, { headers })
    await status(`${b.base}/bench/protected`, { headers })
    const t0 = performance.now()
    await status(`${a.base}/auth/logout`, { method: 'POST', headers })
    const refused = (await status(`${b.base}/bench/protected`, { headers })) === 401
    revokeMs.push(performance.now() - t0)
    if (!refused) stillAccepted++
    const t1 = performance.now()
    await status(`${b.base}/bench/bare`, { headers })
    bareMs.push(performance.now() - t1)
  }
  return {
    samples: REVOCATIONS,
    note: 'logout on A, then one request on B: until B refuses; baseline: one bare request on B',
    revokeP50Ms: percentile(revokeMs, 50),
    revokeP99Ms: percentile(revokeMs, 99),
    bareRoundTripP50Ms: percentile(bareMs, 50),
    bareRoundTripP99Ms: percentile(bareMs, 99),
    p50VsBareRatio: Math.round((percentile(revokeMs, 50) / percentile(bareMs, 50)) * 100) / 100,
    acceptedAfterLogout: stillAccepted,
  }
}

/** Both instances at once on one route: total requests per second. */
async function loadBoth(targets: Target[], route: string): Promise<number> {
  const results = await Promise.all(
    targets.map((t) =>
      autocannon({
        url: `${t.base}${route}`,
        headers: { authorization: `Bearer ${t.token}` },
        connections: CONNECTIONS_PER_INSTANCE,
        duration: PAIR_SEC,
      }),
    ),
  )
  return Math.round(results.reduce((sum, r) => sum + r.requests.average, 0))
}

async function throughput(targets: Target[]) {
  await loadBoth(targets, '/bench/protected') // warm-up
  const bare: number[] = []
  const prot: number[] = []
  for (let i = 0; i < PAIRS; i++) {
    if (i % 2 === 0) {
      bare.push(await loadBoth(targets, '/bench/bare'))
      prot.push(await loadBoth(targets, '/bench/protected'))
    } else {
      prot.push(await loadBoth(targets, '/bench/protected'))
      bare.push(await loadBoth(targets, '/bench/bare'))
    }
  }
  return {
    instances: targets.length,
    connectionsPerInstance: CONNECTIONS_PER_INSTANCE,
    bareRequestsPerSec: Math.max(...bare),
    protectedRequestsPerSec: Math.max(...prot),
    protectedVsBareRatio: median(bare.map((b, i) => prot[i]! / b)),
  }
}

export async function benchServerFaults(): Promise<Record<string, unknown>> {
  const unavailable = privateClusterUnavailable()
  if (unavailable !== null) return { skipped: unavailable }
  const cluster = await PrivateCluster.create()
  const targets: Target[] = []
  try {
    await cluster.query('create database bench')
    for (let i = 0; i < 2; i++) targets.push(await startChildTarget(cluster.url('bench'), null))
    const [a, b] = targets as [Target, Target]
    return {
      storage: 'postgres (private cluster), two instances in child processes',
      protectedThroughputTwoInstances: await throughput(targets),
      revocationAcrossInstances: await revocation(a, b),
      recoveryAfterDatabaseRestart: await recovery(cluster, targets),
    }
  } finally {
    for (const t of targets) await t.close()
    await cluster.destroy()
  }
}
