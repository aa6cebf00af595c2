// A database that cannot answer (down, restarting, failing over, out of connections, too slow)
// is the client's "try again shortly", not our bug: such errors leave the query layer as
// `DatabaseUnavailableError`, which the error handler answers as 503 DATABASE_UNAVAILABLE with
// Retry-After. Only the query layer is wrapped, so an ECONNREFUSED from anywhere else (WeChat)
// is never mistaken for the database. Constraint violations and every other SQL error pass
// through unchanged: callers rely on them.
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely'
import { AppError } from '../errors'

/** Seconds a client is told to wait: the server reconnects within a second of the database's return. */
export const DATABASE_RETRY_AFTER_SEC = 1

export class DatabaseUnavailableError extends AppError {
  constructor(cause: unknown) {
    super(
      503,
      'DATABASE_UNAVAILABLE',
      'the database is unavailable; try again shortly',
      DATABASE_RETRY_AFTER_SEC,
    )
    this.name = 'DatabaseUnavailableError'
    this.cause = cause
  }
}

// Node socket errors: the server is unreachable or the connection broke.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
// PostgreSQL SQLSTATEs: 08 connection exception; 57P01-57P05 shutdown, crash, cannot connect
// now, idle timeouts; 57014 query_canceled (statement_timeout); 53300 too_many_connections;
// 25006 read_only_sql_transaction (a failover left us on a standby).
const PG_STATES = new Set(['57P01', '57P02', '57P03', '57P04', '57P05', '57014', '53300', '25006'])
// pg's own messages for a connection that died or never came (it gives them no code).
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Connection terminated due to connection timeout',
]
// SQLite: another connection holds the lock beyond busy_timeout (SQLITE_BUSY, SQLITE_LOCKED and
// their extended codes such as SQLITE_BUSY_SNAPSHOT).
const SQLITE_BUSY = /^SQLITE_(BUSY|LOCKED)(_|$)/

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/**
 * Whether an error from the query layer means "the database cannot answer now". Read by its
 * fields, not by `instanceof Error`: better-sqlite3 builds its errors from the class it was first
 * loaded with, which need not be this realm's (a second module registry, as under jest).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  if (err instanceof DatabaseUnavailableError) return true
  const code = codeOf(err)
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || SQLITE_BUSY.test(code) || PG_STATES.has(code)) return true
    if (code.startsWith('08')) return true
  }
  // Node reports a refused dual-stack connect as an AggregateError of per-address errors.
  const inner = (err as { errors?: unknown }).errors
  if (Array.isArray(inner) && inner.some(isDatabaseUnavailable)) return true
  const message = (err as { message?: unknown }).message
  return typeof message === 'string' && PG_MESSAGES.some((m) => message.startsWith(m))
}

function translate(err: unknown): unknown {
  return isDatabaseUnavailable(err) && !(err instanceof DatabaseUnavailableError)
    ? new DatabaseUnavailableError(err)
    : err
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    throw translate(err)
  }
}

class GuardedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return guarded(() => this.inner.executeQuery<R>(compiledQuery))
  }

  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize)
    } catch (err) {
      throw translate(err)
    }
  }
}

function unwrap(c: DatabaseConnection): DatabaseConnection {
  return c instanceof GuardedConnection ? c.inner : c
}

class GuardedDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return guarded(() => this.inner.init())
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new GuardedConnection(await guarded(() => this.inner.acquireConnection()))
  }

  beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return guarded(() => this.inner.beginTransaction(unwrap(c), settings))
  }

  commitTransaction(c: DatabaseConnection): Promise<void> {
    return guarded(() => this.inner.commitTransaction(unwrap(c)))
  }

  rollbackTransaction(c: DatabaseConnection): Promise<void> {
    return guarded(() => this.inner.rollbackTransaction(unwrap(c)))
  }

  savepoint(
    c: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return guarded(() => this.required('savepoint')(unwrap(c), name, compile))
  }

  rollbackToSavepoint(
    c: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return guarded(() => this.required('rollbackToSavepoint')(unwrap(c), name, compile))
  }

  releaseSavepoint(
    c: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return guarded(() => this.required('releaseSavepoint')(unwrap(c), name, compile))
  }

  private required<K extends 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint'>(
    method: K,
  ): NonNullable<Driver[K]> {
    const fn = this.inner[method]
    if (fn === undefined) throw new Error(`the database driver does not support ${method}`)
    return fn.bind(this.inner) as NonNullable<Driver[K]>
  }

  releaseConnection(c: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(c))
  }

  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}

/** The same dialect, whose "database cannot answer" errors become DatabaseUnavailableError. */
export function withUnavailableErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new GuardedDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  }
}
