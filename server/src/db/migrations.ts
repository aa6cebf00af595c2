// Migrations kept in code (no files to ship) and portable: the same statements run on SQLite
// and PostgreSQL; only the binary column type differs by dialect.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'

export type Dialect = 'sqlite' | 'postgres'

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_init': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('users')
          .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
          .addColumn('openid', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('unionid', 'varchar(128)')
          .addColumn('nickname', 'varchar(64)')
          .addColumn('avatar_url', 'varchar(1024)')
          .addColumn('phone', 'varchar(32)')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema.createIndex('users_unionid_idx').on('users').column('unionid').execute()

        await db.schema
          .createTable('sessions')
          .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
          .addColumn('user_id', 'varchar(40)', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute()

        await db.schema
          .createTable('wechat_sessions')
          .addColumn('user_id', 'varchar(40)', (c) =>
            c.primaryKey().references('users.id').onDelete('cascade'),
          )
          .addColumn('session_key_enc', 'varchar(256)', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute()

        await db.schema
          .createTable('orders')
          .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
          .addColumn('user_id', 'varchar(40)', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('idempotency_key', 'varchar(128)', (c) => c.notNull())
          .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('items', 'text', (c) => c.notNull())
          .addColumn('total', 'integer', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('orders_user_idempotency_key', ['user_id', 'idempotency_key'])
          .execute()

        await db.schema
          .createTable('avatars')
          .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
          .addColumn('user_id', 'varchar(40)', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('mime', 'varchar(32)', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute()
      },
    },
    // Orders move (placed → accepted → ready → completed, or cancelled); each change is a row of
    // order_events. Subscription answers give send credits; sends wait in a durable outbox.
    '0002_order_status_and_outbox': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .alterTable('orders')
          .addColumn('updated_at', 'bigint', (c) => c.notNull().defaultTo(0))
          .execute()
        await db.schema
          .createTable('order_events')
          .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
          .addColumn('order_id', 'varchar(40)', (c) =>
            c.notNull().references('orders.id').onDelete('cascade'),
          )
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('actor', 'varchar(16)', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('order_events_order_idx')
          .on('order_events')
          .columns(['order_id', 'at'])
          .execute()
        await db.schema
          .createTable('subscription_credits')
          .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
          .addColumn('user_id', 'varchar(40)', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('template_id', 'varchar(128)', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('used_at', 'bigint')
          .execute()
        await db.schema
          .createIndex('subscription_credits_user_idx')
          .on('subscription_credits')
          .columns(['user_id', 'template_id', 'used_at'])
          .execute()
        await db.schema
          .createTable('message_outbox')
          .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
          .addColumn('credit_id', 'varchar(40)', (c) => c.notNull().unique())
          .addColumn('order_id', 'varchar(40)', (c) => c.notNull())
          .addColumn('openid', 'varchar(128)', (c) => c.notNull())
          .addColumn('template_id', 'varchar(128)', (c) => c.notNull())
          .addColumn('page', 'varchar(256)', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('state', 'varchar(16)', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('due_at', 'bigint', (c) => c.notNull())
          .addColumn('last_error', 'varchar(200)')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('finished_at', 'bigint')
          .execute()
        await db.schema
          .createIndex('message_outbox_due_idx')
          .on('message_outbox')
          .columns(['state', 'due_at'])
          .execute()
      },
    },
    // Sliding sessions: a rotation replaces token_hash and keeps the replaced hash, valid until
    // previous_valid_until, so calls already in flight with it do not fail.
    '0003_session_rotation': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .alterTable('sessions')
          .addColumn('previous_token_hash', 'varchar(64)')
          .execute()
        await db.schema.alterTable('sessions').addColumn('previous_valid_until', 'bigint').execute()
      },
    },
  }
}

class InCodeProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect)
  }
}

export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: Dialect,
  schema: string | null = null,
): Promise<void> {
  // With a schema, Kysely's bookkeeping tables live in it too (not found in another schema).
  const migrator = new Migrator({
    db,
    provider: new InCodeProvider(dialect),
    ...(schema !== null ? { migrationTableSchema: schema } : {}),
  })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error !== undefined || failed !== undefined) {
    const cause = error instanceof Error ? error : new Error(String(error))
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}`, {
      cause,
    })
  }
}
