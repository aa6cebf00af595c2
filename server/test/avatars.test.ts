// Avatar URLs never come from request headers (issue 12, point 5): a hostile Host or
// X-Forwarded-* changes nothing that is stored, and an over-long Host is no 500 (PostgreSQL's
// varchar(1024) once refused it). Each user keeps at most AVATAR_QUOTA uploads, and a replaced
// avatar is deleted.
import {
  PNG_1x1,
  authHeader,
  createTestApp,
  multipartBody,
  useLeakCheck,
  type TestApp,
} from './helpers'

useLeakCheck()

const ORIGIN = 'https://api.example.com'
const HOSTILE = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'http',
}

let clock = 1_800_000_000_000
let t: TestApp
beforeAll(async () => {
  // Every read of the clock moves it one second: uploads have distinct, ordered times.
  t = await createTestApp({
    config: { publicUrl: ORIGIN, avatarQuota: 3, trustProxy: 1 },
    now: () => (clock += 1000),
  })
})
afterAll(async () => {
  await t.close()
})

async function upload(token: string, headers: Record<string, string> = {}): Promise<string> {
  const mp = multipartBody([{ name: 'file', filename: 'a.png', type: 'image/png', data: PNG_1x1 }])
  const res = await t.inject({
    method: 'POST',
    url: '/me/avatar',
    headers: { ...authHeader(token), ...mp.headers, ...headers },
    payload: mp.payload,
  })
  expect(res.statusCode).toBe(200)
  return res.json<{ url: string }>().url
}

async function setAvatar(token: string, avatarUrl: string, headers: Record<string, string> = {}) {
  return t.inject({
    method: 'PUT',
    url: '/me',
    headers: { ...authHeader(token), ...headers },
    payload: { avatarUrl },
  })
}

async function storedAvatarUrl(userId: string): Promise<string | null> {
  const row = await t.services.db.kysely
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
    expect(await storedAvatarUrl(userId)).toBe(url)
    const me = await t.inject({ method: 'GET', url: '/me', headers: authHeader(token) })
    expect(me.json().avatarUrl).toBe(url)
  })

  test('a 1,100-character Host is harmless: 200, and the stored URL is the configured one', async () => {
    const { token, userId } = await t.login()
    const longHost = { host: `${'h'.repeat(1100)}.example` }
    const url = await upload(token, longHost)
    expect(url.startsWith(`${ORIGIN}/avatars/`)).toBe(true)
    const res = await setAvatar(token, url, longHost)
    expect(res.statusCode).toBe(200)
    expect(await storedAvatarUrl(userId)).toBe(url)
  })

  test('without PUBLIC_ORIGIN the origin is the configured listen address, even with a 1,100-character Host', async () => {
    const plain = await createTestApp({ config: { host: '127.0.0.1', port: 3123 } })
    const host = `${'h'.repeat(1100)}.example:666`
    try {
      const { token, userId } = await plain.login()
      const mp = multipartBody([{ name: 'file', filename: 'a.png', data: PNG_1x1 }])
      const up = await plain.inject({
        method: 'POST',
        url: '/me/avatar',
        headers: { ...authHeader(token), ...mp.headers, host },
        payload: mp.payload,
      })
      const url = up.json<{ url: string }>().url
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3123\/avatars\/a[A-Za-z0-9_-]{16}$/)
      const res = await plain.inject({
        method: 'PUT',
        url: '/me',
        headers: { ...authHeader(token), host },
        payload: { avatarUrl: url },
      })
      expect(res.statusCode).toBe(200)
      const row = await plain.services.db.kysely
        .selectFrom('users')
        .select('avatar_url')
        .where('id', '=', userId)
        .executeTakeFirstOrThrow()
      expect(row.avatar_url).toBe(url)
    } finally {
      await plain.close()
    }
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
    const { code } = t.mintCode(openid)
    const p = t.sim.encryptUserProfile(openid, {
      nickName: '小满',
      avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/x/132',
    })
    const res = await t.inject({
      method: 'POST',
      url: '/me/wechat-profile',
      headers: authHeader(token),
      payload: {
        code,
        rawData: p.rawData,
        signature: p.signature,
        encryptedData: p.encryptedData,
        iv: p.iv,
      },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().avatarUrl).toBe('https://thirdwx.qlogo.cn/mmopen/x/132')
    expect(await served(mine)).toBe(404)
  })
})
