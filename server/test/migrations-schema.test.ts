// Migrations are scoped to the instance's schema: an instance without DATABASE_SCHEMA starts on
// a database where an instance with one has already migrated (it used to find the other
// schema's migration bookkeeping, skip creating its own and fail), and the reverse.
import { createDb } from '../src/db'
import { describeWithPrivateCluster, PrivateCluster } from './private-postgres'
import { startServer } from './server-process'

jest.setTimeout(60_000)

describeWithPrivateCluster('migrations scoped to the instance schema', () => {
  let cluster: PrivateCluster
  beforeAll(async () => {
    cluster = await PrivateCluster.create()
  })
  afterAll(async () => {
    await cluster?.destroy()
  })

  async function migrationSchemas(database: string): Promise<string[]> {
    const rows = await cluster.query<{ table_schema: string }>(
      `select table_schema from information_schema.tables
       where table_name = 'kysely_migration' order by table_schema`,
      [],
      database,
    )
    return rows.map((r) => r.table_schema)
  }

  async function addUser(url: string, schema: string | null, id: string): Promise<void> {
    const db = await createDb({ databaseUrl: url, pgSchema: schema, sqlitePath: ':memory:' })
    try {
      await db.kysely
        .insertInto('users')
        .values({ id, openid: `o-${id}`, created_at: 1, updated_at: 1 })
        .execute()
    } finally {
      await db.destroy()
    }
  }

  test('no DATABASE_SCHEMA after a schema instance, then another schema instance', async () => {
    await cluster.query('create database scoped')
    const url = cluster.url('scoped')
    await addUser(url, 'tenant_a', 'u1')
    await addUser(url, null, 'u2')
    await addUser(url, 'tenant_b', 'u3')
    expect(await migrationSchemas('scoped')).toEqual(['public', 'tenant_a', 'tenant_b'])
    // Each instance's rows are in its own schema.
    const counts = await cluster.query<{ schema: string; n: string }>(
      `select 'public' as schema, count(*) as n from public.users
       union all select 'tenant_a', count(*) from tenant_a.users
       union all select 'tenant_b', count(*) from tenant_b.users`,
      [],
      'scoped',
    )
    expect(counts.map((c) => [c.schema, Number(c.n)])).toEqual([
      ['public', 1],
      ['tenant_a', 1],
      ['tenant_b', 1],
    ])
  })

  test('the server itself starts without DATABASE_SCHEMA on such a database', async () => {
    await cluster.query('create database started')
    const url = cluster.url('started')
    await addUser(url, 'tenant_a', 'u1')
    const server = await startServer({ DATABASE_URL: url, NODE_ENV: 'development' })
    try {
      const res = await fetch(`${server.base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'migrations-test-code-0001' }),
      })
      expect(res.status).toBe(200)
    } finally {
      server.child.kill('SIGTERM')
      expect((await server.exited).code).toBe(0)
    }
  })
})
