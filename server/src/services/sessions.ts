// The server's own sessions: an opaque token `<sessionId>.<32 random bytes, base64url>`, of
// which only a SHA-256 hash is stored. Lookups are by primary key; verified sessions are kept
// in an in-process cache so verification costs a hash and a Map lookup. Revocation removes the
// entry here at once and, on PostgreSQL, on every other instance through LISTEN/NOTIFY; while an
// instance's LISTEN connection is down it does not trust its cache (every request reads the DB).
// A listener gap may have hidden revocations, so when it ends nothing cached before or during it
// is kept: the cache is emptied at the loss and again once LISTEN is back, and a read or a
// session creation that overlapped either moment is not cached.
// A revocation waits until every instance listening in this database has acknowledged dropping
// the session (or a short timeout), so the next request anywhere is rejected.
// Sliding sessions: a session used in the last third of its lifetime is rotated in place (same
// id, new secret, full lifetime again); the replaced token stays valid for a short grace so calls
// already in flight with it do not fail. Both tokens live in one row, so one revocation kills
// both at once. A rotation is a compare-and-set on expires_at (only one of concurrent calls
// rotates) and is announced like a revocation, so other instances drop the cached entry.
// Only the immediately preceding token gets the grace (an older one never does: the weakness
// reported in django-oauth-toolkit issue #1617 is a grace that reaches back down the chain); the
// 60 s default matches the upper bound of Amazon Cognito's RetryGracePeriodSeconds (0-60) for
// rotated refresh tokens.
import crypto from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import type { Logger } from 'pino'
import { pgClientConfig, type Db } from '../db'
import { AppError, unauthorized } from '../errors'
import { randomId, sha256Hex } from './secrets'

export const REVOKE_CHANNEL = 'wxkit_session_revoked'
export const ACK_CHANNEL = 'wxkit_session_revoked_ack'
const ACK_TIMEOUT_MS = 2000
const LISTENER_RETRY_MS = 500

export interface VerifiedSession {
  sessionId: string
  userId: string
  /** When the presented token stops being accepted. */
  expiresAt: number
  /** Whether the presented token is the session's current one (not one replaced by a rotation). */
  current: boolean
}

const PURGE_EVERY_MS = 3_600_000
const PURGE_GRACE_MS = 86_400_000

interface CacheEntry {
  userId: string
  /** SHA-256 digest of the token, raw: compared without per-request hex or buffer copies. */
  tokenDigest: Buffer
  expiresAt: number
  revoked: boolean
  /** Digest of the token the last rotation replaced, accepted until `previousUntil`. */
  previousDigest: Buffer | null
  previousUntil: number
}

type TokenMatch = 'current' | 'previous'

/** What a revocation waited for: the instances listening in this database, and how many answered. */
export interface RevocationReport {
  listeners: number
  acknowledged: number
}

export interface IssuedSession {
  token: string
  sessionId: string
  expiresIn: number
}

export interface SessionServiceOptions {
  ttlSec: number
  now?: () => number
  log: Logger
  cacheMax?: number
  /** Delay before reconnecting a lost LISTEN connection (default 500 ms). */
  listenerRetryMs?: number
  /** Sliding sessions (default on): rotate a session used in the last third of its lifetime. */
  sliding?: boolean
  /** How long a token replaced by a rotation stays valid (default 60 s). */
  rotationGraceSec?: number
}

const DEFAULT_ROTATION_GRACE_SEC = 60

const TOKEN_RE = /^(s[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

export class SessionService {
  private readonly cache = new Map<string, CacheEntry>()
  /**
   * Tokens whose digest matched, to that digest: a hit needs no hashing, and is still checked
   * against the cached entry's digests, so a token replaced by a rotation is not taken as current.
   */
  private readonly proven = new Map<string, Buffer>()
  private readonly now: () => number
  private readonly cacheMax: number
  private listener: pg.Client | null = null
  private listening = false
  private stopped = false
  private reconnectTimer: NodeJS.Timeout | null = null
  private purgeTimer: NodeJS.Timeout | null = null
  /**
   * Bumped at every revocation seen, listener loss and listener return: a DB read or a session
   * creation that overlapped one is not cached.
   */
  private epoch = 0
  private listenerFailures = 0
  /** Pending revocations by nonce: concurrent revocations of one session each get their own. */
  private readonly ackWaiters = new Map<
    string,
    { acked: Set<string>; need: number; done: () => void }
  >()
  private readonly instanceId = crypto.randomBytes(9).toString('base64url')

  constructor(
    private readonly db: Db,
    private readonly opts: SessionServiceOptions,
  ) {
    this.now = opts.now ?? Date.now
    this.cacheMax = opts.cacheMax ?? 20_000
  }

  /** Whether cached verifications may be trusted (always on SQLite: a single instance). */
  get cacheTrusted(): boolean {
    return this.db.pg === null || this.listening
  }

  async start(): Promise<void> {
    // Expired and revoked sessions are useless after a grace day: keep the table bounded.
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch((err: Error) =>
        this.opts.log.warn({ err: { message: err.message } }, 'session purge failed'),
      )
    }, PURGE_EVERY_MS)
    this.purgeTimer.unref()
    if (this.db.pg === null) return
    await this.connectListener()
  }

  /** Deletes sessions expired or revoked more than `graceMs` ago; returns how many. */
  async purgeExpired(graceMs = PURGE_GRACE_MS): Promise<number> {
    const before = this.now() - graceMs
    const r = await this.db.kysely
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
      .executeTakeFirst()
    return Number(r.numDeletedRows)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.purgeTimer !== null) clearInterval(this.purgeTimer)
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer)
    this.listening = false
    const l = this.listener
    this.listener = null
    if (l !== null) await l.end().catch(() => undefined)
    for (const w of [...this.ackWaiters.values()]) w.done()
  }

  private get schemaTag(): string {
    return this.db.pg?.schema ?? ''
  }

  /** The backend pid of the LISTEN connection, or null while it is down. */
  async listenerBackendPid(): Promise<number | null> {
    const l = this.listener
    if (l === null) return null
    const { rows } = await l.query<{ pid: number }>('select pg_backend_pid() as pid')
    return rows[0]?.pid ?? null
  }

  /** application_name of the LISTEN connections of this schema (counted in this database only). */
  private get listenerName(): string {
    return `wxkit-sessions:${this.schemaTag}`.slice(0, 63)
  }

  private async connectListener(): Promise<void> {
    const info = this.db.pg!
    const client = new pg.Client({
      ...pgClientConfig(info.connectionString, info.schema),
      application_name: this.listenerName,
      // TCP keep-alive probes from 10 s idle (the OS default waits two hours): a listener cut off
      // without a reset (a failover, a dropped route) is noticed once the OS's probes fail.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    })
    client.on('notification', (msg) => {
      if (msg.payload === undefined) return
      // revoke: schema:sessionId:instance:nonce; ack: schema:nonce:instance
      const [schema, id, instance, nonce] = msg.payload.split(':')
      if (schema !== this.schemaTag || id === undefined || instance === undefined) return
      if (msg.channel === REVOKE_CHANNEL) {
        if (nonce === undefined) return
        this.epoch++
        this.cache.delete(id)
        client
          .query('select pg_notify($1, $2)', [ACK_CHANNEL, `${schema}:${nonce}:${this.instanceId}`])
          .catch(() => undefined)
      } else if (msg.channel === ACK_CHANNEL) {
        const w = this.ackWaiters.get(id)
        if (w !== undefined) {
          w.acked.add(instance)
          if (w.acked.size >= w.need) w.done()
        }
      }
    })
    client.on('error', (err) => {
      this.opts.log.warn({ err: { message: err.message } }, 'session revocation listener failed')
      this.onListenerLost(client)
    })
    client.on('end', () => this.onListenerLost(client))
    try {
      await client.connect()
      await client.query(`LISTEN ${REVOKE_CHANNEL}`)
      await client.query(`LISTEN ${ACK_CHANNEL}`)
    } catch (err) {
      await client.end().catch(() => undefined)
      throw err
    }
    if (this.stopped) {
      await client.end().catch(() => undefined)
      return
    }
    // Revocations during the gap were not heard: whatever was cached until now goes.
    this.forgetAll()
    this.listener = client
    this.listening = true
    if (this.listenerFailures > 0) this.opts.log.info('session revocation listener is back')
    this.listenerFailures = 0
  }

  private forgetAll(): void {
    this.epoch++
    this.cache.clear()
    this.proven.clear()
  }

  private onListenerLost(client: pg.Client): void {
    if (this.listener !== client) return
    this.listener = null
    this.listening = false
    this.forgetAll()
    client.end().catch(() => undefined)
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== null) return
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      this.connectListener().catch((err: Error) => {
        // Once per outage at warn: the database being down is already reported elsewhere.
        const level = this.listenerFailures++ === 0 ? 'warn' : 'debug'
        this.opts.log[level]({ err: { message: err.message } }, 'listener reconnect failed')
        this.scheduleReconnect()
      })
    }, this.opts.listenerRetryMs ?? LISTENER_RETRY_MS)
  }

  async create(userId: string): Promise<IssuedSession> {
    const sessionId = randomId('s', 16)
    const token = `${sessionId}.${crypto.randomBytes(32).toString('base64url')}`
    const t = this.now()
    const expiresAt = t + this.opts.ttlSec * 1000
    const tokenHash = sha256Hex(token)
    const trusted = this.cacheTrusted
    const epoch = this.epoch
    await this.db.kysely
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: userId,
        token_hash: tokenHash,
        expires_at: expiresAt,
        revoked_at: null,
        created_at: t,
        previous_token_hash: null,
        previous_valid_until: null,
      })
      .execute()
    // Created while the cache was untrusted (or across a listener loss or return): a revocation
    // of it may go unheard, so it is read from the database until it is verified in trust.
    if (trusted && this.cacheTrusted && this.epoch === epoch) {
      this.remember(sessionId, {
        userId,
        tokenDigest: Buffer.from(tokenHash, 'hex'),
        expiresAt,
        revoked: false,
        previousDigest: null,
        previousUntil: 0,
      })
    }
    return { token, sessionId, expiresIn: this.opts.ttlSec }
  }

  async verify(token: string): Promise<VerifiedSession> {
    const m = TOKEN_RE.exec(token)
    if (m === null) throw unauthorized('SESSION_INVALID', 'session token is not valid')
    const sessionId = m[1]!
    let entry = this.cacheTrusted ? this.cache.get(sessionId) : undefined
    // A token already proven against this session's digest skips the hash: the Map's lookup
    // is a hash-table probe, not a byte-by-byte comparison an attacker could time.
    const provenDigest = this.proven.get(token)
    if (entry !== undefined && provenDigest !== undefined) {
      const match = matchProven(entry, provenDigest)
      if (match !== null) return this.check(sessionId, entry, match)
    }
    const digest = crypto.createHash('sha256').update(token).digest()
    // A cached entry the token does not match may predate a rotation on another instance whose
    // announcement has not arrived yet: the database decides.
    if (entry !== undefined && matchDigest(entry, digest) === null) entry = undefined
    entry ??= await this.read(sessionId)
    const match = matchDigest(entry, digest)
    if (match === null) throw unauthorized('SESSION_INVALID', 'session token is not valid')
    if (this.cacheTrusted) {
      if (this.proven.size >= this.cacheMax) this.proven.delete(this.proven.keys().next().value!)
      this.proven.set(token, digest)
    }
    return this.check(sessionId, entry, match)
  }

  private async read(sessionId: string): Promise<CacheEntry> {
    const trusted = this.cacheTrusted
    const epoch = this.epoch
    const row = await this.db.kysely
      .selectFrom('sessions')
      .select([
        'user_id',
        'token_hash',
        'expires_at',
        'revoked_at',
        'previous_token_hash',
        'previous_valid_until',
      ])
      .where('id', '=', sessionId)
      .executeTakeFirst()
    if (row === undefined) throw unauthorized('SESSION_INVALID', 'session token is not valid')
    const entry: CacheEntry = {
      userId: row.user_id,
      tokenDigest: Buffer.from(row.token_hash, 'hex'),
      expiresAt: Number(row.expires_at),
      revoked: row.revoked_at !== null,
      previousDigest:
        row.previous_token_hash === null ? null : Buffer.from(row.previous_token_hash, 'hex'),
      previousUntil: Number(row.previous_valid_until ?? 0),
    }
    // A revocation or rotation may have been announced, or the listener lost or regained, while
    // we read: then the row may be stale.
    if (trusted && this.cacheTrusted && this.epoch === epoch) this.remember(sessionId, entry)
    return entry
  }

  private check(sessionId: string, entry: CacheEntry, match: TokenMatch): VerifiedSession {
    if (entry.revoked) throw unauthorized('SESSION_REVOKED', 'session was revoked')
    const expiresAt = match === 'current' ? entry.expiresAt : entry.previousUntil
    if (expiresAt <= this.now()) throw unauthorized('SESSION_EXPIRED', 'session expired')
    return { sessionId, userId: entry.userId, expiresAt, current: match === 'current' }
  }

  /**
   * Rotates the session if the presented token is its current one and it is in the last third of
   * its lifetime: a new token with the full lifetime; the old one stays valid for the grace
   * period. Null when not due, turned off, or another call rotated it first.
   */
  async rotateIfDue(v: VerifiedSession): Promise<IssuedSession | null> {
    if (this.opts.sliding === false || !v.current) return null
    const t = this.now()
    const ttlMs = this.opts.ttlSec * 1000
    if (v.expiresAt - t > ttlMs / 3) return null
    const token = `${v.sessionId}.${crypto.randomBytes(32).toString('base64url')}`
    const graceMs = (this.opts.rotationGraceSec ?? DEFAULT_ROTATION_GRACE_SEC) * 1000
    const pg = this.db.pg !== null
    const rotated = await this.db.kysely.transaction().execute(async (trx) => {
      // Compare-and-set on expires_at: every rotation moves it forward, so of concurrent calls
      // with the same token only the first rotates, and a revoked session never does.
      const r = await trx
        .updateTable('sessions')
        .set((eb) => ({
          previous_token_hash: eb.ref('token_hash'),
          previous_valid_until: t + graceMs,
          token_hash: sha256Hex(token),
          expires_at: t + ttlMs,
        }))
        .where('id', '=', v.sessionId)
        .where('expires_at', '=', v.expiresAt)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) !== 1) return false
      // Delivered on commit: other instances drop their cached entry (an acknowledgement nobody
      // waits for comes back; a missed one only means the old token's grace is not enforced there).
      if (pg) {
        const nonce = crypto.randomBytes(9).toString('base64url')
        await sql`select pg_notify(${REVOKE_CHANNEL}, ${`${this.schemaTag}:${v.sessionId}:${this.instanceId}:${nonce}`})`.execute(
          trx,
        )
      }
      return true
    })
    if (!rotated) return null
    this.epoch++
    this.cache.delete(v.sessionId)
    return { token, sessionId: v.sessionId, expiresIn: this.opts.ttlSec }
  }

  /**
   * Revokes a session here and on every instance; resolves once every instance listening in this
   * database has acknowledged (or after a short timeout), and says how many did.
   */
  async revoke(sessionId: string): Promise<RevocationReport> {
    await this.db.kysely
      .updateTable('sessions')
      .set({ revoked_at: this.now() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute()
    this.epoch++
    const cached = this.cache.get(sessionId)
    if (cached !== undefined) cached.revoked = true
    if (this.db.pg === null) return { listeners: 0, acknowledged: 0 }
    // How many instances listen (this one included): NOTIFY reaches only this database, so
    // listeners of the same name in another database of the cluster must not be waited for.
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from pg_stat_activity
      where application_name = ${this.listenerName} and datname = current_database()
    `.execute(this.db.kysely)
    const need = Number(rows[0]?.n ?? 0)
    // Each revocation has its own nonce, so two concurrent logouts of one token are each
    // acknowledged, instead of the second taking over the first's waiter.
    const nonce = crypto.randomBytes(9).toString('base64url')
    const acked = new Set<string>()
    const settled = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ACK_TIMEOUT_MS)
      const done = (): void => {
        clearTimeout(timer)
        this.ackWaiters.delete(nonce)
        resolve()
      }
      this.ackWaiters.set(nonce, { acked, need, done })
    })
    try {
      // Parameterised pg_notify: nothing spliced into SQL.
      await sql`select pg_notify(${REVOKE_CHANNEL}, ${`${this.schemaTag}:${sessionId}:${this.instanceId}:${nonce}`})`.execute(
        this.db.kysely,
      )
    } catch (err) {
      this.ackWaiters.get(nonce)?.done()
      throw err
    }
    if (need > 0) await settled
    else this.ackWaiters.get(nonce)?.done()
    return { listeners: need, acknowledged: acked.size }
  }

  private remember(sessionId: string, entry: CacheEntry): void {
    if (this.cache.size >= this.cacheMax) {
      const oldest = this.cache.keys().next()
      if (oldest.done !== true) this.cache.delete(oldest.value)
    }
    this.cache.set(sessionId, entry)
  }
}

export function isSessionError(e: unknown): e is AppError {
  return e instanceof AppError && e.statusCode === 401
}

function matchDigest(entry: CacheEntry, digest: Buffer): TokenMatch | null {
  if (digest.length !== 32 || entry.tokenDigest.length !== 32) return null
  if (crypto.timingSafeEqual(entry.tokenDigest, digest)) return 'current'
  const prev = entry.previousDigest
  if (prev !== null && prev.length === 32 && crypto.timingSafeEqual(prev, digest)) return 'previous'
  return null
}

/** Which of the entry's tokens a proven digest is; both digests are the server's own. */
function matchProven(entry: CacheEntry, digest: Buffer): TokenMatch | null {
  if (entry.tokenDigest.equals(digest)) return 'current'
  if (entry.previousDigest?.equals(digest) === true) return 'previous'
  return null
}
