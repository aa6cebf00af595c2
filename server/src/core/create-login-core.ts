// One call that gives a back end the whole server half of the login: its database (SQLite file
// or PostgreSQL, migrated), the WeChat client (real, or the simulated WeChat over HTTP), users,
// sessions and the LoginCore over them. The reference server builds the same pieces itself
// (app.ts) because it shares them with its other routes.
import type { Logger } from 'pino'
import { createDb, type Db } from '../db'
import { createLogger } from '../logger'
import { AtRestCipher } from '../services/secrets'
import { SessionService } from '../services/sessions'
import { UserService } from '../services/users'
import { createWeChatClient } from '../wechat/client'
import { httpTransport } from '../wechat/transport'
import type { WeChatClient } from '../wechat/types'
import { LoginCore } from './login-core'

export interface CreateLoginCoreOptions<Req> {
  /** WeChat credentials and API origin (default https://api.weixin.qq.com; or `npm run sim`'s). */
  wechat: { appid: string; secret: string; apiBaseUrl?: string } | WeChatClient
  /** postgres://… for PostgreSQL; otherwise SQLite at `sqlitePath` (':memory:' for tests). */
  databaseUrl?: string | null
  sqlitePath?: string
  /** ≥ 32 characters: the key session_keys are encrypted under at rest. */
  sessionSecret: string
  /** Session lifetime in seconds (default 7 days). */
  sessionTtlSec?: number
  log?: Logger
  beforeLogin?: (req: Req) => Promise<void>
}

export interface LoginCoreHandle<Req> {
  core: LoginCore<Req>
  db: Db
  users: UserService
  sessions: SessionService
  /** Stops the session listener and closes the database. */
  close(): Promise<void>
}

function isClient(w: CreateLoginCoreOptions<unknown>['wechat']): w is WeChatClient {
  return typeof (w as WeChatClient).code2Session === 'function'
}

export async function createLoginCore<Req = unknown>(
  opts: CreateLoginCoreOptions<Req>,
): Promise<LoginCoreHandle<Req>> {
  if (opts.sessionSecret.length < 32)
    throw new Error('sessionSecret must be at least 32 characters')
  const log = opts.log ?? createLogger('warn')
  const db = await createDb({
    databaseUrl: opts.databaseUrl ?? null,
    sqlitePath: opts.sqlitePath ?? ':memory:',
    log: log.child({ component: 'db' }),
  })
  const wechat = isClient(opts.wechat)
    ? opts.wechat
    : createWeChatClient({
        appid: opts.wechat.appid,
        secret: opts.wechat.secret,
        transport: httpTransport(opts.wechat.apiBaseUrl),
        log: log.child({ component: 'wechat' }),
      })
  const sessions = new SessionService(db, { ttlSec: opts.sessionTtlSec ?? 7 * 24 * 3600, log })
  await sessions.start()
  const users = new UserService(db, new AtRestCipher(opts.sessionSecret))
  const core = new LoginCore<Req>({
    wechat,
    users,
    sessions,
    log,
    ...(opts.beforeLogin ? { beforeLogin: opts.beforeLogin } : {}),
  })
  return {
    core,
    db,
    users,
    sessions,
    async close() {
      await sessions.stop()
      await db.destroy()
    },
  }
}
