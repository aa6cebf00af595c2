// Subscription-message outbox benchmark (in-process simulated WeChat, SQLite in memory, or
// PostgreSQL when DATABASE_URL is set):
// - throughput: N queued messages drained by one worker, in messages per second delivered to the
//   simulated WeChat, beside a baseline measured in the same run: the same number of sends
//   straight through the WeChat client (same concurrency, no database);
// - latency: the time from a status change (the call that commits it) to the message's delivery
//   at the simulated WeChat with the worker running, p50/p99, beside the status change's own
//   duration without a credit (nothing to send) as the baseline.
import { performance } from 'node:perf_hooks'
import { buildAppWithServices } from '../server/src/app'
import { DEFAULT_ORDER_STATUS_TEMPLATE_ID, testConfig } from '../server/src/config'
import { createLogger } from '../server/src/logger'
import type { Services } from '../server/src/services'
import { createSimWeChat, type SimWeChat } from '../server/src/wechat'
import { sampleOrderStatusMessage } from '../server/test/support/subscribe-message'

const MESSAGES = 400
const LATENCY_SAMPLES = 150
const BATCH = 20
const TEMPLATE = DEFAULT_ORDER_STATUS_TEMPLATE_ID
/** A bound on any one wait, so a broken run ends instead of hanging. */
const WAIT_LIMIT_MS = 30_000

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const i = Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  return Number(sorted[i]!.toFixed(2))
}

let seq = 0
async function userWithOrder(services: Services, sim: SimWeChat, credit: boolean) {
  const id = `u-bench-${process.pid}-${++seq}`
  const openid = `o-bench-${process.pid}-${seq}`
  const now = Date.now()
  await services.db.kysely
    .insertInto('users')
    .values({
      id,
      openid,
      unionid: null,
      nickname: null,
      avatar_url: null,
      phone: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  const { order } = await services.orders.create(id, `k-${seq}`, {
    items: [{ itemId: 'beef-noodles', quantity: 1 }],
  })
  if (credit) {
    sim.acceptSubscription(openid, TEMPLATE)
    await services.subscriptions.record(id, { [TEMPLATE]: 'accept' })
  }
  return { userId: id, openid, orderId: order.id }
}

async function app(autoStart: boolean) {
  const sim = createSimWeChat()
  const base = testConfig({ logLevel: 'silent' })
  const config = process.env.DATABASE_URL
    ? {
        ...base,
        databaseUrl: process.env.DATABASE_URL,
        pgSchema: `bench_outbox_${process.pid}_${autoStart ? 'a' : 'm'}`,
      }
    : base
  const built = await buildAppWithServices(config, {
    sim,
    logger: createLogger('silent'),
    outbox: { autoStart, batchSize: BATCH, pollMs: 200 },
  })
  await built.app.ready()
  return { ...built, sim }
}

async function dropSchema(services: Services): Promise<void> {
  const schema = services.db.pg?.schema ?? null
  if (schema === null) return
  await services.db.kysely.schema.dropSchema(schema).ifExists().cascade().execute()
}

async function throughput() {
  const { app: fastify, services, sim } = await app(false)
  try {
    const users = []
    for (let i = 0; i < MESSAGES; i++) users.push(await userWithOrder(services, sim, true))
    for (const u of users) await services.statusChanges.change(u.orderId, 'accepted', 'merchant')
    const started = performance.now()
    const sent = await services.outbox.drainOnce()
    const outboxMs = performance.now() - started
    if (sent !== MESSAGES) throw new Error(`outbox drained ${sent} of ${MESSAGES}`)

    // Baseline: the same sends straight through the client, BATCH at a time.
    for (const u of users) sim.acceptSubscription(u.openid, TEMPLATE)
    const directStart = performance.now()
    for (let i = 0; i < users.length; i += BATCH) {
      await Promise.all(
        users
          .slice(i, i + BATCH)
          .map((u) => services.wechat.sendSubscribeMessage(sampleOrderStatusMessage(u.openid))),
      )
    }
    const directMs = performance.now() - directStart
    return {
      messages: MESSAGES,
      outboxMessagesPerSec: Math.round((MESSAGES / outboxMs) * 1000),
      baselineDirectSendsPerSec: Math.round((MESSAGES / directMs) * 1000),
    }
  } finally {
    await dropSchema(services)
    await fastify.close()
  }
}

async function latency() {
  const { app: fastify, services, sim } = await app(true)
  try {
    const toSend: number[] = []
    const changeOnly: number[] = []
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const withCredit = await userWithOrder(services, sim, true)
      const started = performance.now()
      await services.statusChanges.change(withCredit.orderId, 'accepted', 'merchant')
      const deadline = Date.now() + WAIT_LIMIT_MS
      while (sim.deliveredMessages(withCredit.openid).length === 0) {
        if (Date.now() > deadline) throw new Error('a message was not delivered in time')
        await new Promise<void>((r) => setImmediate(r))
      }
      toSend.push(performance.now() - started)

      const without = await userWithOrder(services, sim, false)
      const t0 = performance.now()
      await services.statusChanges.change(without.orderId, 'accepted', 'merchant')
      changeOnly.push(performance.now() - t0)
    }
    return {
      samples: LATENCY_SAMPLES,
      statusChangeToSendMs: { p50: percentile(toSend, 50), p99: percentile(toSend, 99) },
      baselineStatusChangeWithoutMessageMs: {
        p50: percentile(changeOnly, 50),
        p99: percentile(changeOnly, 99),
      },
    }
  } finally {
    await dropSchema(services)
    await fastify.close()
  }
}

/** One line for the console: each figure beside its baseline from the same run. */
export function outboxSummary(r: Awaited<ReturnType<typeof benchOutbox>>): string {
  const { throughput: t, latency: l } = r
  return (
    `outbox (${r.storage}): ${t.outboxMessagesPerSec} messages/s to the simulated WeChat ` +
    `(baseline, direct sends: ${t.baselineDirectSendsPerSec}/s); status change → send ` +
    `p50 ${l.statusChangeToSendMs.p50} ms, p99 ${l.statusChangeToSendMs.p99} ms ` +
    `(baseline, the change alone: p50 ${l.baselineStatusChangeWithoutMessageMs.p50} ms, ` +
    `p99 ${l.baselineStatusChangeWithoutMessageMs.p99} ms)`
  )
}

export async function benchOutbox() {
  return {
    storage: process.env.DATABASE_URL ? 'postgres' : 'sqlite (memory)',
    throughput: await throughput(),
    latency: await latency(),
  }
}

// Run on its own: npx tsx bench/outbox.ts
if (process.argv[1]?.endsWith('bench/outbox.ts')) {
  benchOutbox().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2))
      console.log(outboxSummary(r))
    },
    (e: unknown) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
