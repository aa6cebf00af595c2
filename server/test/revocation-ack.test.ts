// A logout waits for the acknowledgements of the instances listening in ITS database only:
// NOTIFY does not cross databases, so a deployment listening in another database of the same
// cluster used to be counted, never answered, and made every logout wait out the 2 s limit.
// And two concurrent logouts of one token are each acknowledged (the second used to take over
// the first's waiter, which then waited out the limit).
import { createDb, type Db } from '../src/db'
import { createLogger } from '../src/logger'
import { SessionService } from '../src/services/sessions'
import { describeWithPrivateCluster, PrivateCluster } from './private-postgres'

jest.setTimeout(60_000)

const log = createLogger('silent')

describeWithPrivateCluster('revocation acknowledgements', () => {
  let cluster: PrivateCluster
  const dbs: Db[] = []
  const services: SessionService[] = []

  async function instance(database: string): Promise<{ db: Db; sessions: SessionService }> {
    const db = await createDb({
      databaseUrl: cluster.url(database),
      pgSchema: null,
      sqlitePath: ':memory:',
    })
    const sessions = new SessionService(db, { ttlSec: 3600, log })
    await sessions.start()
    dbs.push(db)
    services.push(sessions)
    return { db, sessions }
  }

  beforeAll(async () => {
    cluster = await PrivateCluster.create()
    await cluster.query('create database shop')
    await cluster.query('create database other_deployment')
  })
  afterAll(async () => {
    for (const s of services) await s.stop()
    for (const d of dbs) await d.destroy()
    await cluster?.destroy()
  })

  test('only listeners of this database are waited for, and each answers', async () => {
    const a = await instance('shop')
    const b = await instance('shop')
    // Another deployment: same listener name (no schema either), other database.
    await instance('other_deployment')
    await a.db.kysely
      .insertInto('users')
      .values({ id: 'u1', openid: 'o-ack', created_at: 1, updated_at: 1 })
      .execute()
    const s = await a.sessions.create('u1')
    await b.sessions.verify(s.token)
    const report = await a.sessions.revoke(s.sessionId)
    expect(report).toEqual({ listeners: 2, acknowledged: 2 })
    await expect(b.sessions.verify(s.token)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
  })

  test('two concurrent logouts of one token are both acknowledged', async () => {
    const a = await instance('shop')
    const s = await a.sessions.create('u1')
    const listeners = Number(
      (
        await cluster.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity
           where application_name like 'wxkit-sessions:%' and datname = 'shop'`,
        )
      )[0]!.n,
    )
    const reports = await Promise.all([
      a.sessions.revoke(s.sessionId),
      a.sessions.revoke(s.sessionId),
    ])
    for (const r of reports) expect(r).toEqual({ listeners, acknowledged: listeners })
  })
})
