// One query layer over SQLite (better-sqlite3, default) or PostgreSQL (pg Pool, DATABASE_URL).
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { migrateToLatest, type Dialect } from './migrations'
import type { Database } from './schema'

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
    const pool = new pg.Pool({ ...pgClientConfig(opts.databaseUrl, schema), max: 10 })
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
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
    sqlite.pragma('busy_timeout = 5000')
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
    db = { kysely, dialect: 'sqlite', pg: null, destroy: () => kysely.destroy() }
  }
  if (opts.migrate !== false)
    await migrateToLatest(db.kysely as Kysely<unknown>, db.dialect, db.pg?.schema ?? null)
  return db
}
