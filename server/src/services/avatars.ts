// Avatars stored in the database (so every instance serves them), typed by magic bytes.
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

export class AvatarService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async store(userId: string, mime: ImageMime, data: Buffer): Promise<string> {
    const id = randomId('a', 12)
    await this.db.kysely
      .insertInto('avatars')
      .values({ id, user_id: userId, mime, size: data.length, data, created_at: this.now() })
      .execute()
    return id
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
