// One query layer over SQLite (better-sqlite3, default) or PostgreSQL (pg Pool, DATABASE_URL).
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import type { Logger } from 'pino'
import { migrateToLatest, type Dialect } from './migrations'
import type { Database } from './schema'
import { withUnavailableErrors } from './unavailable'

export type { Database } from './schema'

export interface Db {
  kysely: Kysely<Database>
  dialect: Dialect
  /** PostgreSQL only: the URL and schema, for LISTEN/NOTIFY connections. */
  pg: { connectionString: string; schema: string | null } | null
  destroy(): Promise<void>
}

export interface DbOptions {
  databaseUrl: string | null
  pgSchema?: string | null
  sqlitePath: string
  migrate?: boolean
  /** PostgreSQL statement_timeout and SQLite busy_timeout, in ms (default 5000). */
  statementTimeoutMs?: number
  /** Where lost pooled connections are reported (default: nowhere). */
  log?: Logger
}

/** How long a request waits for a pooled PostgreSQL connection before answering 503. */
const PG_CONNECT_TIMEOUT_MS = 3000
const DEFAULT_STATEMENT_TIMEOUT_MS = 5000

/**
 * A pool that survives its database. pg emits `error` on the pool for an idle client whose
 * connection dies, and on the client itself while it is checked out (pg-pool detaches its own
 * listener then); an `error` event with no listener ends the process, which is how a database
 * restart used to kill every instance (node-postgres.com/apis/pool "error"; brianc/node-postgres
 * issues 2439 and 3202). Both are only logged: the pool discards the broken client on release
 * (pg-pool checks `_queryable`) and opens a new one on the next checkout, and the query that
 * was running rejects, which the query layer turns into a 503. The error object is never
 * logged whole: pg-pool attaches the client, whose parameters hold the password.
 */
function createPool(
  connectionString: string,
  schema: string | null,
  statementTimeoutMs: number,
  log: Logger | undefined,
): pg.Pool {
  const pool = new pg.Pool({
    ...pgClientConfig(connectionString, schema),
    max: 10,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: statementTimeoutMs * 2,
  })
  // `code` is a redacted log key (login codes): the SQLSTATE or errno goes out as `errorCode`.
  const report = (err: Error & { code?: string }): void =>
    log?.warn({ err: { message: err.message }, errorCode: err.code }, 'database connection lost')
  pool.on('error', report)
  pool.on('connect', (client) => client.on('error', report))
  return pool
}

/** int8 (bigint) columns hold epoch milliseconds: safe as JS numbers. */
export function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === 20
        ? (v: string) => Number(v)
        : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  }
}

export function pgClientConfig(connectionString: string, schema: string | null): pg.ClientConfig {
  return {
    connectionString,
    types: pgTypes(),
    ...(schema !== null ? { options: `-c search_path=${schema}` } : {}),
  }
}

export async function createDb(opts: DbOptions): Promise<Db> {
  let db: Db
  if (opts.databaseUrl !== null) {
    const schema = opts.pgSchema ?? null
    const pool = createPool(
      opts.databaseUrl,
      schema,
      opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      opts.log,
    )
    const kysely = new Kysely<Database>({
      dialect: withUnavailableErrors(new PostgresDialect({ pool })),
    })
    db = {
      kysely,
      dialect: 'postgres',
      pg: { connectionString: opts.databaseUrl, schema },
      destroy: () => kysely.destroy(),
    }
  } else {
    if (opts.sqlitePath !== ':memory:') {
      fs.mkdirSync(path.dirname(opts.sqlitePath), { recursive: true })
    }
    const sqlite = new SQLite(opts.sqlitePath)
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('foreign_keys = ON')
    sqlite.pragma(
      `busy_timeout = ${Math.floor(opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS)}`,
    )
    const kysely = new Kysely<Database>({
      dialect: withUnavailableErrors(new SqliteDialect({ database: sqlite })),
    })
    db = { kysely, dialect: 'sqlite', pg: null, destroy: () => kysely.destroy() }
  }
  if (opts.migrate !== false) {
    try {
      await migrateToLatest(db.kysely as Kysely<unknown>, db.dialect, await migrationSchema(db))
    } catch (err) {
      await db.destroy().catch(() => undefined)
      throw err
    }
  }
  return db
}

/**
 * The schema this instance's tables and migration bookkeeping live in: DATABASE_SCHEMA (created
 * if missing), else the connection's current schema (normally `public`). Naming it keeps the
 * migrator from mistaking another instance's bookkeeping, in another schema of the same
 * database, for ours (Kysely looks for its table in every schema unless told which one).
 */
async function migrationSchema(db: Db): Promise<string | null> {
  if (db.pg === null) return null
  if (db.pg.schema !== null) {
    await sql`create schema if not exists ${sql.id(db.pg.schema)}`.execute(db.kysely)
    return db.pg.schema
  }
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db.kysely,
  )
  const current = rows[0]?.schema ?? null
  if (current === null) {
    throw new Error(
      'the database has no schema to create tables in (search_path names no existing schema): set DATABASE_SCHEMA',
    )
  }
  return current
}
