// The durable outbox of subscription messages: rows written in the status change's transaction
// (status-changes.ts), sent here with subscribeMessage.send.
//
// Any number of instances drain one outbox. A claim is a compare-and-set on the row's `attempts`
// (its version) that also pushes `due_at` to the end of a lease: exactly one instance wins a row,
// and nobody else may claim it until the lease ends. The winner sends, then settles the row with
// another compare-and-set on the version it claimed. An instance that dies mid-send leaves the row
// pending; it becomes due when the lease ends and another instance sends it (no message is lost).
// The lease outlasts the WeChat client's request timeout, so a live sender always settles first.
// A replay after such a crash cannot deliver twice: the credit's one `accept` at WeChat is spent
// by the first delivery, and WeChat answers 43101 to the second (wechat-platform.md §6).
//
// Outcomes by errcode: 0 → 'sent'; 43101 (no subscription, or its one send already used) →
// 'dropped', never retried; -1 (network, timeout, 5xx, malformed), WeChat's -1 "system error",
// 45009/45011 (quota) and an access_token still refused after the client's refresh-and-replay
// (40001/40014/42001) → retried with exponential backoff, up to `maxAttempts`; anything else
// (40003, 40037, 41030, 47003, ...) is a permanent error → 'failed'.
import type { Logger } from 'pino'
import type { Db } from '../db'
import type { MessageOutboxTable } from '../db/schema'
import { ACCESS_TOKEN_ERRCODES } from '../wechat/errors'
import { WeChatApiError, type SubscribeMessage } from '../wechat/types'

export type OutboxSend = (message: SubscribeMessage) => Promise<void>

export interface OutboxOptions {
  now?: () => number
  log?: Logger
  /** How long a claim keeps other instances off a row; longer than a send can take. */
  leaseMs?: number
  /** Rows claimed per drain. */
  batchSize?: number
  /** First retry delay; doubled per attempt up to `maxBackoffMs`. */
  baseBackoffMs?: number
  maxBackoffMs?: number
  /** Claims after which a retryable failure becomes 'failed'. */
  maxAttempts?: number
  /** Polling period of `start()` (a queued message also wakes the worker at once). */
  pollMs?: number
  /** The `miniprogram_state` sent: which version of the app the message opens. */
  miniprogramState?: SubscribeMessage['miniprogram_state']
}

export type OutboxOutcome = 'sent' | 'dropped' | 'failed' | 'retry' | 'lost-claim'

const RETRYABLE_ERRCODES: ReadonlySet<number> = new Set([
  -1,
  45009,
  45011,
  ...ACCESS_TOKEN_ERRCODES,
])

type Row = Pick<
  MessageOutboxTable,
  'id' | 'openid' | 'template_id' | 'page' | 'data' | 'attempts' | 'due_at'
>

export class MessageOutbox {
  private readonly now: () => number
  private readonly leaseMs: number
  private readonly batchSize: number
  private readonly baseBackoffMs: number
  private readonly maxBackoffMs: number
  private readonly maxAttempts: number
  private readonly pollMs: number
  private timer: NodeJS.Timeout | null = null
  private draining: Promise<number> | null = null
  private again = false
  private stopped = true

  constructor(
    private readonly db: Db,
    private readonly send: OutboxSend,
    private readonly opts: OutboxOptions = {},
  ) {
    this.now = opts.now ?? Date.now
    this.leaseMs = opts.leaseMs ?? 60_000
    this.batchSize = opts.batchSize ?? 20
    this.baseBackoffMs = opts.baseBackoffMs ?? 1000
    this.maxBackoffMs = opts.maxBackoffMs ?? 5 * 60_000
    this.maxAttempts = opts.maxAttempts ?? 10
    this.pollMs = opts.pollMs ?? 1000
  }

  /** Delay before the retry that follows the `attempts`-th claim. */
  backoffMs(attempts: number): number {
    return Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.max(0, attempts - 1))
  }

  /** Claims and sends the due rows, batch after batch, until none is due. Returns rows settled. */
  async drainOnce(): Promise<number> {
    let settled = 0
    for (;;) {
      const due = await this.db.kysely
        .selectFrom('message_outbox')
        .select(['id', 'openid', 'template_id', 'page', 'data', 'attempts', 'due_at'])
        .where('state', '=', 'pending')
        .where('due_at', '<=', this.now())
        .orderBy('due_at')
        .orderBy('id')
        .limit(this.batchSize)
        .execute()
      if (due.length === 0) return settled
      const outcomes = await Promise.all(due.map((row) => this.claimAndSend(row)))
      settled += outcomes.filter((o) => o !== 'lost-claim').length
      // Another instance took the whole batch: what is left is its, or not yet due.
      if (outcomes.every((o) => o === 'lost-claim')) return settled
    }
  }

  /** One row: claim it (or lose it to another instance), send, settle. */
  async claimAndSend(row: Row): Promise<OutboxOutcome> {
    const claimedAt = this.now()
    const version = Number(row.attempts) + 1
    const claim = await this.db.kysely
      .updateTable('message_outbox')
      .set({ attempts: version, due_at: claimedAt + this.leaseMs })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .where('attempts', '=', Number(row.attempts))
      .where('due_at', '<=', claimedAt)
      .executeTakeFirst()
    if (Number(claim.numUpdatedRows) !== 1) return 'lost-claim'

    const message: SubscribeMessage = {
      touser: row.openid,
      template_id: row.template_id,
      page: row.page,
      data: JSON.parse(row.data) as SubscribeMessage['data'],
      ...(this.opts.miniprogramState ? { miniprogram_state: this.opts.miniprogramState } : {}),
      lang: 'zh_CN',
    }
    let errcode = 0
    let errmsg = ''
    try {
      await this.send(message)
    } catch (e) {
      if (!(e instanceof WeChatApiError)) throw e
      errcode = e.errcode
      errmsg = e.errmsg
    }
    const outcome = this.outcomeOf(errcode, version)
    const finishedAt = this.now()
    const settle = this.db.kysely
      .updateTable('message_outbox')
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .where('attempts', '=', version)
    const lastError = errcode === 0 ? null : `${errcode} ${errmsg}`.slice(0, 200)
    if (outcome === 'retry') {
      await settle
        .set({ due_at: finishedAt + this.backoffMs(version), last_error: lastError })
        .execute()
    } else {
      await settle.set({ state: outcome, finished_at: finishedAt, last_error: lastError }).execute()
    }
    this.opts.log?.info(
      { outbox: row.id, outcome, errcode, attempts: version },
      'subscription message settled',
    )
    return outcome
  }

  private outcomeOf(errcode: number, attempts: number): Exclude<OutboxOutcome, 'lost-claim'> {
    if (errcode === 0) return 'sent'
    if (errcode === 43101) return 'dropped'
    if (RETRYABLE_ERRCODES.has(errcode)) return attempts >= this.maxAttempts ? 'failed' : 'retry'
    return 'failed'
  }

  /** Drains now (coalesced with a drain in progress: it runs once more when that ends). */
  kick(): Promise<number> {
    if (this.draining !== null) {
      this.again = true
      return this.draining
    }
    const run = async (): Promise<number> => {
      let total = 0
      do {
        this.again = false
        total += await this.drainOnce()
      } while (this.again && !this.stopped)
      return total
    }
    this.draining = run()
      .catch((err: unknown) => {
        this.opts.log?.warn({ err }, 'outbox drain failed; retried at the next poll')
        return 0
      })
      .finally(() => {
        this.draining = null
      })
    return this.draining
  }

  /** Polls every `pollMs` until stop(). */
  start(): void {
    if (!this.stopped) return
    this.stopped = false
    const tick = (): void => {
      void this.kick().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.pollMs)
      })
    }
    this.timer = setTimeout(tick, 0)
  }

  /** Stops polling and waits for the drain in progress. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    if (this.draining !== null) await this.draining
  }

  /** Rows per state, for tests and the bench. */
  async counts(): Promise<Record<string, number>> {
    const rows = await this.db.kysely
      .selectFrom('message_outbox')
      .select(['state'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('state')
      .execute()
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]))
  }
}
