// Users keyed by openid (unionid kept when WeChat gives it), and their WeChat session_key,
// stored encrypted and replaced at each login.
import type { Selectable } from 'kysely'
import type { Db } from '../db'
import type { UsersTable } from '../db/schema'
import { randomId, type AtRestCipher } from './secrets'

export type UserRow = Selectable<UsersTable>

export interface UserJson {
  id: string
  nickname: string | null
  avatarUrl: string | null
  phone: string | null
}

/** '13800138000' -> '138****8000'; shorter numbers keep only their last two digits. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null
  if (phone.length >= 11) return `${phone.slice(0, 3)}****${phone.slice(-4)}`
  if (phone.length <= 2) return '*'.repeat(phone.length)
  return `${'*'.repeat(phone.length - 2)}${phone.slice(-2)}`
}

export function toUserJson(u: UserRow): UserJson {
  return { id: u.id, nickname: u.nickname, avatarUrl: u.avatar_url, phone: maskPhone(u.phone) }
}

export class UserService {
  constructor(
    private readonly db: Db,
    private readonly cipher: AtRestCipher,
    private readonly now: () => number = Date.now,
  ) {}

  async upsertByOpenid(openid: string, unionid: string | null): Promise<UserRow> {
    const t = this.now()
    return this.db.kysely
      .insertInto('users')
      .values({
        id: randomId('u', 12),
        openid,
        unionid,
        nickname: null,
        avatar_url: null,
        phone: null,
        created_at: t,
        updated_at: t,
      })
      .onConflict((oc) =>
        oc.column('openid').doUpdateSet((eb) => ({
          unionid: eb.fn.coalesce(eb.ref('excluded.unionid'), eb.ref('users.unionid')),
          updated_at: t,
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  async byId(id: string): Promise<UserRow | undefined> {
    return this.db.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async update(
    id: string,
    patch: { nickname?: string | null; avatar_url?: string | null; phone?: string | null },
  ): Promise<UserRow | undefined> {
    return this.db.kysely
      .updateTable('users')
      .set({ ...patch, updated_at: this.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
  }

  async storeSessionKey(userId: string, sessionKey: string): Promise<void> {
    const sealed = this.cipher.encrypt(sessionKey)
    const t = this.now()
    await this.db.kysely
      .insertInto('wechat_sessions')
      .values({ user_id: userId, session_key_enc: sealed, updated_at: t })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ session_key_enc: sealed, updated_at: t }),
      )
      .execute()
  }

  async sessionKey(userId: string): Promise<string | null> {
    const row = await this.db.kysely
      .selectFrom('wechat_sessions')
      .select('session_key_enc')
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row === undefined ? null : this.cipher.decrypt(row.session_key_enc)
  }
}
