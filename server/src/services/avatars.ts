// Avatars stored in the database (so every instance serves them), typed by magic bytes.
// Each user keeps at most a quota of them (an upload beyond it drops the oldest one not in
// use), and an avatar the user replaces is deleted.
import type { AddressInfo } from 'node:net'
import type { Config } from '../config'
import type { Db } from '../db'
import { randomId } from './secrets'

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp'

export function sniffImage(buf: Buffer): ImageMime | null {
  if (
    buf.length >= 8 &&
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return 'image/png'
  }
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg'
  if (
    buf.length >= 12 &&
    buf.subarray(0, 4).toString('latin1') === 'RIFF' &&
    buf.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return 'image/webp'
  }
  return null
}

export const AVATAR_ID_RE = /^a[A-Za-z0-9_-]{16}$/

export const DEFAULT_AVATAR_QUOTA = 5

/**
 * The origin of stored avatar URLs, from configuration only, never from a request header (Host
 * or X-Forwarded-*, which any client writes): PUBLIC_ORIGIN, else the address this server
 * listens on (http://HOST:PORT, with the real port when PORT is 0).
 */
export function avatarOrigin(
  config: Pick<Config, 'publicUrl' | 'host' | 'port'>,
  listening: AddressInfo | string | null,
): string {
  if (config.publicUrl !== null) return config.publicUrl
  const port = listening !== null && typeof listening === 'object' ? listening.port : config.port
  const host = ['', '0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** The id of one of our avatars from its URL or path (`…/avatars/<id>`), else null. */
export function avatarIdOf(url: string | null): string | null {
  if (url === null) return null
  let pathname: string
  let search: string
  try {
    ;({ pathname, search } = new URL(url, 'http://local.invalid'))
  } catch {
    return null
  }
  const m = /^\/avatars\/([^/]+)$/.exec(pathname)
  return m !== null && search === '' && AVATAR_ID_RE.test(m[1]!) ? m[1]! : null
}

export class AvatarService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    private readonly quota: number = DEFAULT_AVATAR_QUOTA,
  ) {}

  /** Stores a new avatar, then keeps the user within the quota. */
  async store(userId: string, mime: ImageMime, data: Buffer): Promise<string> {
    const id = randomId('a', 12)
    await this.db.kysely
      .insertInto('avatars')
      .values({ id, user_id: userId, mime, size: data.length, data, created_at: this.now() })
      .execute()
    await this.enforceQuota(userId, id)
    return id
  }

  /**
   * Keeps the new avatar, the one in use and the newest others up to the quota; deletes the
   * rest. Runs after the insert has committed, so of two concurrent uploads the later clean-up
   * sees both: the count settles at the quota.
   */
  private async enforceQuota(userId: string, newId: string): Promise<void> {
    const user = await this.db.kysely
      .selectFrom('users')
      .select('avatar_url')
      .where('id', '=', userId)
      .executeTakeFirst()
    const keep = new Set([newId])
    const inUse = avatarIdOf(user?.avatar_url ?? null)
    if (inUse !== null) keep.add(inUse)
    const rows = await this.db.kysely
      .selectFrom('avatars')
      .select('id')
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    for (const r of rows) {
      if (keep.size >= this.quota) break
      keep.add(r.id)
    }
    const drop = rows.map((r) => r.id).filter((id) => !keep.has(id))
    if (drop.length === 0) return
    await this.db.kysely
      .deleteFrom('avatars')
      .where('user_id', '=', userId)
      .where('id', 'in', drop)
      .execute()
  }

  /** Deletes the user's avatar that `previousUrl` pointed to, once `nextUrl` replaced it. */
  async removeReplaced(
    userId: string,
    previousUrl: string | null,
    nextUrl: string | null,
  ): Promise<void> {
    const previous = avatarIdOf(previousUrl)
    if (previous === null || previous === avatarIdOf(nextUrl)) return
    await this.db.kysely
      .deleteFrom('avatars')
      .where('id', '=', previous)
      .where('user_id', '=', userId)
      .execute()
  }

  async get(id: string): Promise<{ mime: string; data: Buffer; userId: string } | undefined> {
    if (!AVATAR_ID_RE.test(id)) return undefined
    const row = await this.db.kysely
      .selectFrom('avatars')
      .select(['mime', 'data', 'user_id'])
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined
      ? undefined
      : { mime: row.mime, data: Buffer.from(row.data), userId: row.user_id }
  }

  async ownedBy(id: string, userId: string): Promise<boolean> {
    if (!AVATAR_ID_RE.test(id)) return false
    const row = await this.db.kysely
      .selectFrom('avatars')
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row !== undefined
  }
}
