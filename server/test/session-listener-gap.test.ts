// After a gap in an instance's LISTEN connection nothing cached before or during it is trusted:
// a session revoked elsewhere while the listener was down is refused at once when it is back,
// including a session created on this instance during the gap (it used to be cached at creation
// and trusted after the reconnect, and stayed valid until it fell out of the cache).
import pg from 'pg'
import { createDb, type Db } from '../src/db'
import { createLogger } from '../src/logger'
import { SessionService } from '../src/services/sessions'
import { DATABASE_URL, dropSchemas, newSchema, onPostgres } from './helpers'
import { until } from './server-process'

jest.setTimeout(30_000)

const describePg = onPostgres ? describe : describe.skip
const log = createLogger('silent')

describePg('a blip of the revocation listener (PostgreSQL)', () => {
  let dbA: Db
  let dbB: Db
  let a: SessionService
  let b: SessionService
  let admin: pg.Client
  beforeAll(async () => {
    const schema = await newSchema()
    const open = () =>
      createDb({ databaseUrl: DATABASE_URL, pgSchema: schema, sqlitePath: ':memory:' })
    dbA = await open()
    dbB = await open()
    await dbA.kysely
      .insertInto('users')
      .values({ id: 'u1', openid: 'o-gap', created_at: 1, updated_at: 1 })
      .execute()
    a = new SessionService(dbA, { ttlSec: 3600, log })
    // A long retry keeps B's gap open while the test acts in it.
    b = new SessionService(dbB, { ttlSec: 3600, log, listenerRetryMs: 2_000 })
    await a.start()
    await b.start()
    admin = new pg.Client({ connectionString: DATABASE_URL! })
    await admin.connect()
  })
  afterAll(async () => {
    await a?.stop()
    await b?.stop()
    await dbA?.destroy()
    await dbB?.destroy()
    await admin?.end()
    await dropSchemas()
  })

  async function blipB(): Promise<void> {
    const pid = await b.listenerBackendPid()
    expect(pid).not.toBeNull()
    await admin.query('select pg_terminate_backend($1)', [pid])
    await until('B to notice its listener is gone', () => !b.cacheTrusted)
  }

  test('sessions cached before and created during the gap, revoked in it, are refused after', async () => {
    const before = await b.create('u1')
    await b.verify(before.token) // cached and proven on B
    await blipB()
    const during = await b.create('u1')
    await b.verify(during.token)
    await a.revoke(before.sessionId)
    await a.revoke(during.sessionId)
    // The scenario really happened inside the gap.
    expect(b.cacheTrusted).toBe(false)
    await until('B to listen again', () => b.cacheTrusted)
    await expect(b.verify(before.token)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    await expect(b.verify(during.token)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
  })

  test('after the gap, revocation reaches B at once again', async () => {
    await until('B to listen', () => b.cacheTrusted)
    const s = await b.create('u1')
    await b.verify(s.token)
    await b.verify(s.token) // now served from B's cache
    const report = await a.revoke(s.sessionId)
    expect(report.acknowledged).toBe(report.listeners)
    await expect(b.verify(s.token)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
  })
})

if (!onPostgres) {
  test.skip('a blip of the revocation listener [skipped: PostgreSQL only; run with DATABASE_URL]', () =>
    undefined)
}
