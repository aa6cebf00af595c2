import { signRawData } from '../src/wechat'
import { PNG_1x1, authHeader, multipartBody, type TestApp } from './helpers'
import {
  bindPhone,
  expectError,
  getMe,
  putMe,
  sendWeChatProfile,
  signedProfileBody,
  uploadAvatar,
} from './support/requests'
import { useTestApp, withTestApp } from './support/test-app'

const t = useTestApp()

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1)])
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.alloc(4),
  Buffer.from('WEBPVP8 '),
  Buffer.alloc(40, 2),
])
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')

/** An upload under the field wx.uploadFile is told to use, declared PNG unless `type` says. */
function upload(token: string, data: Buffer, field = 'file', type = 'image/png') {
  return uploadAvatar(t, token, { data, field, type })
}

describe('GET /me', () => {
  test('answers the user in the kit’s shape', async () => {
    const { token, userId } = await t.login()
    const res = await getMe(t, token)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ id: userId, nickname: null, avatarUrl: null, phone: null })
  })
})

describe('PUT /me', () => {
  test('sets a trimmed nickname and an https avatar URL', async () => {
    const { token, userId } = await t.login()
    const res = await putMe(t, token, {
      nickname: '  小明 🍜 ',
      avatarUrl: 'https://example.com/a.png',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      id: userId,
      nickname: '小明 🍜',
      avatarUrl: 'https://example.com/a.png',
      phone: null,
    })
    expect((await getMe(t, token)).json().nickname).toBe('小明 🍜')
  })

  test.each([
    [{ nickname: '   ' }, 'VALIDATION_FAILED'],
    [{ nickname: 'a'.repeat(33) }, 'VALIDATION_FAILED'],
    [{ nickname: 'bad\u0000name' }, 'VALIDATION_FAILED'],
    [{ nickname: 'line\nbreak' }, 'VALIDATION_FAILED'],
    [{ nickname: 'rtl\u202eevil' }, 'VALIDATION_FAILED'],
    [{}, 'VALIDATION_FAILED'],
    [{ nickname: 'ok', role: 'admin' }, 'VALIDATION_FAILED'],
    [{ avatarUrl: 'http://example.com/a.png' }, 'AVATAR_URL_INVALID'],
    [{ avatarUrl: 'javascript:alert(1)' }, 'AVATAR_URL_INVALID'],
    [{ avatarUrl: 'https://user:pw@example.com/a.png' }, 'AVATAR_URL_INVALID'],
    [{ avatarUrl: '/avatars/aAAAAAAAAAAAAAAAA' }, 'AVATAR_URL_INVALID'],
  ])('%j answers 400 %s and changes nothing', async (payload, code) => {
    const { token, userId } = await t.login()
    expectError(await putMe(t, token, payload), 400, code)
    const u = await t.services.users.byId(userId)
    expect(u?.nickname).toBeNull()
    expect(u?.avatar_url).toBeNull()
  })

  test('accepts one of the user’s own uploaded avatars, not another user’s', async () => {
    const a = await t.login()
    const b = await t.login()
    const up = await upload(a.token, PNG_1x1)
    const url = up.json().url as string
    const mine = await putMe(t, a.token, { avatarUrl: url })
    expect(mine.statusCode).toBe(200)
    expect(mine.json().avatarUrl).toBe(url)
    expectError(await putMe(t, b.token, { avatarUrl: url }), 400, 'AVATAR_URL_INVALID')
  })

  test('needs a session', async () => {
    const res = await t.inject({ method: 'PUT', url: '/me', payload: { nickname: 'x' } })
    expect(res.statusCode).toBe(401)
  })

  test('PATCH /me is not served: wx.request cannot send PATCH, so the update is PUT only', async () => {
    const { token, userId } = await t.login()
    const res = await t.inject({
      method: 'PATCH',
      url: '/me',
      headers: authHeader(token),
      payload: { nickname: '小明' },
    })
    expect(res.statusCode).toBe(404)
    expect((await t.services.users.byId(userId))?.nickname).toBeNull()
  })
})

describe('POST /me/avatar', () => {
  test.each([
    ['png', PNG_1x1, 'image/png'],
    ['jpeg', JPEG, 'image/jpeg'],
    ['webp', WEBP, 'image/webp'],
  ])('stores a %s and serves it at its URL', async (_name, data, mime) => {
    const { token } = await t.login()
    const res = await upload(token, data, 'file', 'application/octet-stream')
    expect(res.statusCode).toBe(200)
    const url = res.json().url as string
    // No PUBLIC_ORIGIN: the origin is the configured listen address, not the Host header.
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/avatars\/a[A-Za-z0-9_-]{16}$/)
    const img = await t.inject({ method: 'GET', url: new URL(url).pathname })
    expect(img.statusCode).toBe(200)
    expect(img.headers['content-type']).toBe(mime)
    expect(img.rawPayload.equals(data)).toBe(true)
  })

  test('rejects types by magic bytes, whatever the mimetype says', async () => {
    const { token } = await t.login()
    for (const data of [
      GIF,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.from('hello'),
    ]) {
      expectError(await upload(token, data, 'file', 'image/png'), 415, 'UNSUPPORTED_MEDIA_TYPE')
    }
  })

  test('rejects files over the size limit with 413', async () => {
    const { token } = await t.login()
    const big = Buffer.concat([PNG_1x1, Buffer.alloc(2 * 1024 * 1024 + 10)])
    expectError(await upload(token, big), 413, 'PAYLOAD_TOO_LARGE')
    const count = await t.services.db.kysely
      .selectFrom('avatars')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBeGreaterThanOrEqual(0)
  })

  test('rejects a wrong field name, an empty file, no file and non-multipart bodies', async () => {
    const { token } = await t.login()
    expectError(await upload(token, PNG_1x1, 'avatar'), 400, 'AVATAR_INVALID')
    const empty = await upload(token, Buffer.alloc(0))
    expect(empty.statusCode).toBe(400)
    const fieldsOnly = multipartBody([{ name: 'note', data: 'hi' }])
    const none = await t.inject({
      method: 'POST',
      url: '/me/avatar',
      headers: { ...authHeader(token), ...fieldsOnly.headers },
      payload: fieldsOnly.payload,
    })
    expectError(none, 400, 'AVATAR_INVALID')
    const json = await t.inject({
      method: 'POST',
      url: '/me/avatar',
      headers: authHeader(token),
      payload: { file: 'x' },
    })
    expect(json.statusCode).toBe(415)
  })

  test('needs a session; unknown avatars answer 404', async () => {
    const mp = multipartBody([{ name: 'file', filename: 'a.png', data: PNG_1x1 }])
    const res = await t.inject({
      method: 'POST',
      url: '/me/avatar',
      headers: mp.headers,
      payload: mp.payload,
    })
    expect(res.statusCode).toBe(401)
    expect((await t.inject({ method: 'GET', url: '/avatars/aAAAAAAAAAAAAAAAA' })).statusCode).toBe(
      404,
    )
    const traversal = await t.inject({ method: 'GET', url: '/avatars/..%2F..%2Fetc%2Fpasswd' })
    expect([400, 404]).toContain(traversal.statusCode)
  })
})

describe('POST /me/phone', () => {
  test('binds the number and answers it masked', async () => {
    const { token, openid, userId } = await t.login()
    const res = await bindPhone(t, token, t.sim.mintPhoneCode(openid, '13800138000'))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      id: userId,
      nickname: null,
      avatarUrl: null,
      phone: '138****8000',
    })
    expect(res.body).not.toContain('13800138000')
    expect((await t.services.users.byId(userId))?.phone).toBe('13800138000')
    expect((await getMe(t, token)).json().phone).toBe('138****8000')
  })

  test('a phone code of another user answers PHONE_CODE_INVALID and stores nothing', async () => {
    const a = await t.login()
    const b = await t.login()
    const res = await bindPhone(t, a.token, t.sim.mintPhoneCode(b.openid, '13900139000'))
    expectError(res, 400, 'PHONE_CODE_INVALID')
    expect((await t.services.users.byId(a.userId))?.phone).toBeNull()
  })

  test('a replayed phone code answers PHONE_CODE_INVALID', async () => {
    const { token, openid } = await t.login()
    const code = t.sim.mintPhoneCode(openid)
    expect((await bindPhone(t, token, code)).statusCode).toBe(200)
    expectError(await bindPhone(t, token, code), 400, 'PHONE_CODE_INVALID')
  })

  test.each([
    [40029, 400, 'PHONE_CODE_INVALID'],
    [45011, 429, 'RATE_LIMITED'],
    [-1, 503, 'WECHAT_UNAVAILABLE'],
    [40013, 500, 'WECHAT_CONFIG_ERROR'],
  ])('errcode %i answers %i %s', async (errcode, status, code) => {
    const { token, openid } = await t.login()
    t.sim.faults.next('getuserphonenumber', { errcode })
    expectError(await bindPhone(t, token, t.sim.mintPhoneCode(openid)), status, code)
  })

  test('a failing access_token (stable_token -1) answers WECHAT_UNAVAILABLE', async () => {
    // An app of its own: the shared one may hold a cached access_token.
    await withTestApp({}, async (t2) => {
      const { token, openid } = await t2.login()
      t2.sim.faults.next('stable_token', { errcode: -1 })
      const res = await bindPhone(t2, token, t2.sim.mintPhoneCode(openid))
      expectError(res, 503, 'WECHAT_UNAVAILABLE')
    })
  })

  test('is rate limited per user', async () => {
    const rateLimits = { login: { max: 100, windowSec: 60 }, phone: { max: 2, windowSec: 60 } }
    await withTestApp({ config: { rateLimits } }, async (t3) => {
      const { token, openid } = await t3.login()
      for (let i = 0; i < 2; i++) {
        expect((await bindPhone(t3, token, t3.sim.mintPhoneCode(openid))).statusCode).toBe(200)
      }
      const res = await bindPhone(t3, token, t3.sim.mintPhoneCode(openid))
      expectError(res, 429, 'RATE_LIMITED')
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    })
  })
})

type ProfilePayload = ReturnType<TestApp['sim']['encryptUserProfile']>

describe('POST /me/wechat-profile', () => {
  const profileRequest = (token: string, body: Record<string, unknown>) =>
    sendWeChatProfile(t, token, body)

  test('verifies, decrypts and saves nickname and avatar', async () => {
    const { token, openid, userId } = await t.login()
    const { code } = t.mintCode(openid)
    const p = t.sim.encryptUserProfile(openid, {
      nickName: '阿强',
      avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/abc/132',
    })
    const res = await profileRequest(token, signedProfileBody(p, code))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      id: userId,
      nickname: '阿强',
      avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/abc/132',
      phone: null,
    })
    // The fresh code's session_key replaced the stored one.
    expect(await t.services.users.sessionKey(userId)).toBe(t.sim.getUser(openid)!.sessionKey)
  })

  test('an anonymous profile answers 409 PROFILE_ANONYMOUS and is not saved', async () => {
    const { token, openid, userId } = await t.login()
    const { code } = t.mintCode(openid)
    const p = t.sim.encryptUserProfile(openid, { nickName: '微信用户', is_demote: true })
    const res = await profileRequest(token, signedProfileBody(p, code))
    expectError(res, 409, 'PROFILE_ANONYMOUS')
    expect((await t.services.users.byId(userId))?.nickname).toBeNull()
  })

  test('a payload made with an older session_key answers 400 PROFILE_PAYLOAD_INVALID', async () => {
    const { token, openid, userId } = await t.login()
    const p = t.sim.encryptUserProfile(openid, { nickName: '旧钥匙' })
    const { code } = t.mintCode(openid) // a new session_key: the payload no longer matches
    const res = await profileRequest(token, signedProfileBody(p, code))
    expectError(res, 400, 'PROFILE_PAYLOAD_INVALID')
    expect((await t.services.users.byId(userId))?.nickname).toBeNull()
  })

  test('tampered, truncated and mismatched payloads answer 400 PROFILE_PAYLOAD_INVALID', async () => {
    const { token, openid, userId } = await t.login()
    const cases: ((p: ProfilePayload, key: string) => Record<string, string>)[] = [
      (p) => ({
        rawData: p.rawData,
        signature: p.signature,
        iv: p.iv,
        encryptedData: flip(p.encryptedData),
      }),
      (p) => ({
        rawData: p.rawData,
        signature: p.signature,
        iv: p.iv,
        encryptedData: p.encryptedData.slice(0, 24),
      }),
      (p) => ({
        rawData: p.rawData,
        signature: p.signature,
        iv: flip(p.iv),
        encryptedData: p.encryptedData,
      }),
      (p) => ({
        rawData: p.rawData,
        signature: p.signature,
        iv: 'not base64!!',
        encryptedData: p.encryptedData,
      }),
      (p) => ({
        rawData: p.rawData.replace('}', ',"x":1}'),
        signature: p.signature,
        iv: p.iv,
        encryptedData: p.encryptedData,
      }),
      (p) => ({
        rawData: p.rawData,
        signature: '0'.repeat(40),
        iv: p.iv,
        encryptedData: p.encryptedData,
      }),
      (p, key) => {
        const raw = JSON.stringify({ ...JSON.parse(p.rawData), nickName: '冒名' })
        return {
          rawData: raw,
          signature: signRawData(raw, key),
          iv: p.iv,
          encryptedData: p.encryptedData,
        }
      },
    ]
    for (const make of cases) {
      const { code } = t.mintCode(openid)
      const p = t.sim.encryptUserProfile(openid, { nickName: '原名' })
      const res = await profileRequest(token, {
        code,
        ...make(p, t.sim.getUser(openid)!.sessionKey!),
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toMatch(/^(PROFILE_PAYLOAD_INVALID|VALIDATION_FAILED)$/)
    }
    expect((await t.services.users.byId(userId))?.nickname).toBeNull()
  })

  test('a code of another WeChat user answers 403', async () => {
    const a = await t.login()
    const b = await t.login()
    const { code } = t.mintCode(b.openid)
    const p = t.sim.encryptUserProfile(b.openid, { nickName: '别人' })
    const res = await profileRequest(a.token, signedProfileBody(p, code))
    expectError(res, 403, 'OPENID_MISMATCH')
    expect((await t.services.users.byId(a.userId))?.nickname).toBeNull()
  })

  test('a used code answers LOGIN_CODE_USED; a malformed body VALIDATION_FAILED', async () => {
    const { token, openid } = await t.login()
    const { code } = t.mintCode(openid)
    const p = t.sim.encryptUserProfile(openid, { nickName: 'once' })
    const body = signedProfileBody(p, code)
    expect((await profileRequest(token, body)).statusCode).toBe(200)
    expectError(await profileRequest(token, body), 400, 'LOGIN_CODE_USED')
    const bad = await profileRequest(token, { ...body, signature: 'nothex' })
    expect(bad.json().error.code).toBe('VALIDATION_FAILED')
  })
})

function flip(b64: string): string {
  const buf = Buffer.from(b64, 'base64')
  const i = Math.floor(buf.length / 2)
  buf[i] = buf[i]! ^ 0x41
  return buf.toString('base64')
}
