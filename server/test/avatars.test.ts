// Avatar URLs never come from request headers (issue 12, point 5): a hostile Host or
// X-Forwarded-* changes nothing that is stored, and an over-long Host is no 500 (PostgreSQL's
// varchar(1024) once refused it). Each user keeps at most AVATAR_QUOTA uploads, and a replaced
// avatar is deleted.
import type { TestApp } from './helpers'
import { freshProfileBody, getMe, putMe, sendWeChatProfile, uploadAvatar } from './support/requests'
import { useTestApp, withTestApp } from './support/test-app'

const ORIGIN = 'https://api.example.com'
const HOSTILE = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'http',
}

let clock = 1_800_000_000_000
// Every read of the clock moves it one second: uploads have distinct, ordered times.
const t = useTestApp({
  config: { publicUrl: ORIGIN, avatarQuota: 3, trustProxy: 1 },
  now: () => (clock += 1000),
})

/** Uploads the PNG (which must be accepted) and answers its URL. */
async function upload(token: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await uploadAvatar(t, token, { type: 'image/png', headers })
  expect(res.statusCode).toBe(200)
  return res.json<{ url: string }>().url
}

function setAvatar(token: string, avatarUrl: string, headers: Record<string, string> = {}) {
  return putMe(t, token, { avatarUrl }, headers)
}

async function storedAvatarUrl(app: TestApp, userId: string): Promise<string | null> {
  const row = await app.services.db.kysely
    .selectFrom('users')
    .select('avatar_url')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  return row.avatar_url
}

async function served(url: string): Promise<number> {
  return (await t.inject({ method: 'GET', url: new URL(url).pathname })).statusCode
}

async function avatarCount(userId: string): Promise<number> {
  const rows = await t.services.db.kysely
    .selectFrom('avatars')
    .select('id')
    .where('user_id', '=', userId)
    .execute()
  return rows.length
}

describe('stored avatar URLs come from configuration, never from request headers', () => {
  test('a hostile Host and X-Forwarded-* (behind a trusted proxy) change neither the answer nor what is stored', async () => {
    const { token, userId } = await t.login()
    const url = await upload(token, HOSTILE)
    expect(url).toMatch(new RegExp(`^${ORIGIN}/avatars/a[A-Za-z0-9_-]{16}$`))
    const res = await setAvatar(token, url.replace(ORIGIN, 'http://evil.example'), HOSTILE)
    expect(res.statusCode).toBe(200)
    expect(res.json().avatarUrl).toBe(url)
    expect(await storedAvatarUrl(t, userId)).toBe(url)
    expect((await getMe(t, token)).json().avatarUrl).toBe(url)
  })

  test('a 1,100-character Host is harmless: 200, and the stored URL is the configured one', async () => {
    const { token, userId } = await t.login()
    const longHost = { host: `${'h'.repeat(1100)}.example` }
    const url = await upload(token, longHost)
    expect(url.startsWith(`${ORIGIN}/avatars/`)).toBe(true)
    const res = await setAvatar(token, url, longHost)
    expect(res.statusCode).toBe(200)
    expect(await storedAvatarUrl(t, userId)).toBe(url)
  })

  test('without PUBLIC_ORIGIN the origin is the configured listen address, even with a 1,100-character Host', async () => {
    const host = `${'h'.repeat(1100)}.example:666`
    await withTestApp({ config: { host: '127.0.0.1', port: 3123 } }, async (plain) => {
      const { token, userId } = await plain.login()
      const up = await uploadAvatar(plain, token, { headers: { host } })
      const url = up.json<{ url: string }>().url
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3123\/avatars\/a[A-Za-z0-9_-]{16}$/)
      const res = await putMe(plain, token, { avatarUrl: url }, { host })
      expect(res.statusCode).toBe(200)
      expect(await storedAvatarUrl(plain, userId)).toBe(url)
    })
  })
})

describe('per-user quota and clean-up', () => {
  test('uploads beyond the quota drop the oldest unused avatar; the one in use stays', async () => {
    const { token, userId } = await t.login()
    const first = await upload(token)
    expect((await setAvatar(token, first)).statusCode).toBe(200)
    const later: string[] = []
    for (let i = 0; i < 4; i++) later.push(await upload(token))
    expect(await avatarCount(userId)).toBe(3)
    // In use, although the oldest: kept.
    expect(await served(first)).toBe(200)
    // The two newest unused ones are kept, the two older unused ones are gone.
    expect(await served(later[3]!)).toBe(200)
    expect(await served(later[2]!)).toBe(200)
    expect(await served(later[1]!)).toBe(404)
    expect(await served(later[0]!)).toBe(404)
    // A dropped upload can no longer be chosen.
    const gone = await setAvatar(token, later[0]!)
    expect(gone.statusCode).toBe(400)
    expect(gone.json().error.code).toBe('AVATAR_URL_INVALID')
  })

  test('the quota is per user: one user’s uploads never drop another’s', async () => {
    const a = await t.login()
    const b = await t.login()
    const bUrl = await upload(b.token)
    for (let i = 0; i < 5; i++) await upload(a.token)
    expect(await avatarCount(a.userId)).toBe(3)
    expect(await served(bUrl)).toBe(200)
  })

  test('a replaced avatar is deleted, by another upload or by an https URL', async () => {
    const { token, userId } = await t.login()
    const one = await upload(token)
    const two = await upload(token)
    expect((await setAvatar(token, one)).statusCode).toBe(200)
    expect((await setAvatar(token, two)).statusCode).toBe(200)
    expect(await served(one)).toBe(404)
    expect(await served(two)).toBe(200)
    // Setting the same avatar again keeps it.
    expect((await setAvatar(token, two)).statusCode).toBe(200)
    expect(await served(two)).toBe(200)
    expect((await setAvatar(token, 'https://cdn.example.com/me.png')).statusCode).toBe(200)
    expect(await served(two)).toBe(404)
    expect(await avatarCount(userId)).toBe(0)
  })

  test('a WeChat profile that brings its own avatar deletes the uploaded one it replaces', async () => {
    const { token, openid } = await t.login()
    const mine = await upload(token)
    expect((await setAvatar(token, mine)).statusCode).toBe(200)
    const body = freshProfileBody(t, openid, {
      nickName: '小满',
      avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/x/132',
    })
    const res = await sendWeChatProfile(t, token, body)
    expect(res.statusCode).toBe(200)
    expect(res.json().avatarUrl).toBe('https://thirdwx.qlogo.cn/mmopen/x/132')
    expect(await served(mine)).toBe(404)
  })
})
