import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type {} from '@fastify/multipart'
import { Type } from 'typebox'
import { AppError, badRequest } from '../errors'
import { requireAuthContext } from '../plugins/auth'
import { AuthHeaders, User, errorResponses, secured } from '../schemas/common'
import {
  AvatarParams,
  AvatarResponse,
  UpdateMeBody,
  PhoneBody,
  WeChatProfileBody,
} from '../schemas/me'
import type { Services } from '../services'
import { avatarIdOf, avatarOrigin, sniffImage } from '../services/avatars'
import { toUserJson, type UserRow } from '../services/users'
import { decryptWeChatData, verifyRawDataSignature } from '../wechat/crypto'

const ANONYMOUS_NICKNAME = '微信用户'
// C0/C1 controls, bidi overrides and isolates, line/paragraph separators.
const FORBIDDEN_CHARS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u

/** Trimmed, 1–32 characters (code points), no control characters; null when not acceptable. */
export function cleanNickname(raw: string): string | null {
  const s = raw.trim()
  const len = [...s].length
  if (len < 1 || len > 32 || FORBIDDEN_CHARS.test(s)) return null
  return s
}

/** The normalized URL when `raw` is an acceptable https URL, else null. */
function httpsUrl(raw: string): string | null {
  if (raw.length > 1024 || FORBIDDEN_CHARS.test(raw) || /\s/.test(raw)) return null
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    return null
  }
  const ok = u.protocol === 'https:' && u.username === '' && u.password === '' && u.hostname !== ''
  return ok && u.href.length <= 1024 ? u.href : null
}

/** The 'file' part of a multipart body; a broken multipart stream is the client's fault (400). */
async function readAvatarPart(req: FastifyRequest, maxBytes: number): Promise<Buffer> {
  try {
    const part = await req.file({ limits: { fileSize: maxBytes } })
    if (part === undefined) throw badRequest('AVATAR_INVALID', "no file part named 'file'")
    if (part.fieldname !== 'file') {
      part.file.resume()
      throw badRequest('AVATAR_INVALID', "the file part must be named 'file'")
    }
    const data = await part.toBuffer()
    if (data.length === 0) throw badRequest('AVATAR_INVALID', 'the file is empty')
    return data
  } catch (e) {
    if (e instanceof AppError) throw e
    const status = (e as { statusCode?: unknown }).statusCode
    if (typeof status === 'number' && status >= 400 && status < 500) throw e
    throw badRequest('AVATAR_INVALID', 'malformed multipart body')
  }
}

export const meRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { auth, users, avatars, wechat } = services

  const currentUser = async (userId: string): Promise<UserRow> => {
    const u = await users.byId(userId)
    // A session whose user is gone is no session.
    if (u === undefined) throw new AppError(401, 'SESSION_INVALID', 'user no longer exists')
    return u
  }

  // Stored avatar URLs are built from configuration, never from the request's Host header.
  const avatarBase = (): string => avatarOrigin(services.config, app.server.address())

  app.get(
    '/me',
    {
      schema: {
        tags: ['me'],
        summary: 'The logged-in user',
        headers: AuthHeaders,
        response: { 200: User, ...errorResponses },
        ...secured,
      },
      onRequest: auth.requireAuth,
    },
    async (req) => toUserJson(await currentUser(requireAuthContext(req).userId)),
  )

  // PUT, not PATCH: wx.request offers no PATCH method (wechat-platform.md §10), so the kit and
  // every WeChat client send the partial update as PUT.
  app.put(
    '/me',
    {
      schema: {
        tags: ['me'],
        summary: 'Update nickname and/or avatar URL (one of our uploaded avatars, or https)',
        headers: AuthHeaders,
        body: UpdateMeBody,
        response: { 200: User, ...errorResponses },
        ...secured,
      },
      onRequest: auth.requireAuth,
    },
    async (req) => {
      const { userId } = requireAuthContext(req)
      const patch: { nickname?: string; avatar_url?: string } = {}
      if (req.body.nickname !== undefined) {
        const nick = cleanNickname(req.body.nickname)
        if (nick === null) {
          throw badRequest(
            'VALIDATION_FAILED',
            'nickname must be 1–32 characters without control characters',
          )
        }
        patch.nickname = nick
      }
      if (req.body.avatarUrl !== undefined) {
        const raw = req.body.avatarUrl
        const ours = avatarIdOf(raw)
        if (ours !== null && (await avatars.ownedBy(ours, userId))) {
          patch.avatar_url = `${avatarBase()}/avatars/${ours}`
        } else if (ours === null && httpsUrl(raw) !== null) {
          patch.avatar_url = httpsUrl(raw)!
        } else {
          throw badRequest(
            'AVATAR_URL_INVALID',
            'avatarUrl must be one of your uploaded avatars or an https URL',
          )
        }
      }
      const before = patch.avatar_url !== undefined ? await currentUser(userId) : null
      const updated = await users.update(userId, patch)
      if (updated === undefined) throw new AppError(401, 'SESSION_INVALID', 'user no longer exists')
      if (before !== null)
        await avatars.removeReplaced(userId, before.avatar_url, updated.avatar_url)
      return toUserJson(updated)
    },
  )

  app.post(
    '/me/avatar',
    {
      schema: {
        tags: ['me'],
        summary: "Upload an avatar (multipart, field 'file'; png, jpeg or webp)",
        consumes: ['multipart/form-data'],
        headers: AuthHeaders,
        response: { 200: AvatarResponse, ...errorResponses },
        ...secured,
      },
      onRequest: auth.requireAuth,
    },
    async (req) => {
      const { userId } = requireAuthContext(req)
      if (!req.isMultipart()) {
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'expected multipart/form-data')
      }
      const data = await readAvatarPart(req, services.config.avatarMaxBytes)
      const mime = sniffImage(data)
      if (mime === null) {
        throw new AppError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'avatar must be a png, jpeg or webp image',
        )
      }
      const id = await avatars.store(userId, mime, data)
      return { url: `${avatarBase()}/avatars/${id}` }
    },
  )

  app.get(
    '/avatars/:id',
    {
      schema: {
        tags: ['me'],
        summary: 'An uploaded avatar image',
        params: AvatarParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const a = await avatars.get(req.params.id)
      if (a === undefined) throw new AppError(404, 'NOT_FOUND', 'no such avatar')
      return reply
        .type(a.mime)
        .header('Cache-Control', 'public, max-age=31536000, immutable')
        .header('X-Content-Type-Options', 'nosniff')
        .send(a.data)
    },
  )

  app.post(
    '/me/phone',
    {
      schema: {
        tags: ['me'],
        summary: 'Bind a phone number from a getPhoneNumber code; answers it masked',
        headers: AuthHeaders,
        body: PhoneBody,
        response: { 200: User, ...errorResponses },
        ...secured,
      },
      onRequest: auth.requireAuth,
    },
    async (req) => {
      const { userId } = requireAuthContext(req)
      await services.limits.phone(req)
      const user = await currentUser(userId)
      const info = await wechat.getPhoneNumber(req.body.code, user.openid)
      const phone =
        info.countryCode === '86' || info.countryCode === ''
          ? info.purePhoneNumber
          : `+${info.countryCode}${info.purePhoneNumber}`
      const updated = await users.update(userId, { phone: phone.slice(0, 32) })
      return toUserJson(updated ?? user)
    },
  )

  app.post(
    '/me/wechat-profile',
    {
      schema: {
        tags: ['me'],
        summary: 'Save the profile from getUserProfile (signature checked, payload decrypted)',
        headers: AuthHeaders,
        body: WeChatProfileBody,
        response: { 200: User, ...errorResponses },
        ...secured,
      },
      onRequest: auth.requireAuth,
    },
    async (req) => {
      const { userId } = requireAuthContext(req)
      const user = await currentUser(userId)
      const body = req.body
      await services.limits.profile(req)
      const s = await wechat.code2Session(body.code)
      if (s.openid !== user.openid) {
        throw new AppError(403, 'OPENID_MISMATCH', 'the code belongs to another WeChat user')
      }
      await users.storeSessionKey(userId, s.sessionKey)
      const invalid = (why: string): AppError =>
        new AppError(400, 'PROFILE_PAYLOAD_INVALID', `the profile payload is invalid: ${why}`)
      if (!verifyRawDataSignature(body.rawData, s.sessionKey, body.signature)) {
        throw invalid('signature mismatch')
      }
      const data = decryptWeChatData(s.sessionKey, body.encryptedData, body.iv, wechat.appid)
      let raw: unknown
      try {
        raw = JSON.parse(body.rawData)
      } catch {
        throw invalid('rawData is not JSON')
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw invalid('rawData is not an object')
      }
      const r = raw as Record<string, unknown>
      if (r.nickName !== data.nickName || r.avatarUrl !== data.avatarUrl) {
        throw invalid('rawData does not match the encrypted data')
      }
      if (data.openId !== undefined && data.openId !== user.openid) {
        throw invalid('the encrypted data belongs to another user')
      }
      if (typeof data.nickName !== 'string') throw invalid('no nickName')
      if (data.nickName === ANONYMOUS_NICKNAME || data.is_demote === true || r.is_demote === true) {
        throw new AppError(
          409,
          'PROFILE_ANONYMOUS',
          'WeChat returned an anonymous profile; ask the user to fill in avatar and nickname',
        )
      }
      const nickname = cleanNickname(data.nickName)
      if (nickname === null) throw invalid('nickname not acceptable')
      const avatarUrl = typeof data.avatarUrl === 'string' ? httpsUrl(data.avatarUrl) : null
      const updated = await users.update(userId, {
        nickname,
        ...(avatarUrl !== null ? { avatar_url: avatarUrl } : {}),
      })
      if (updated !== undefined) {
        await avatars.removeReplaced(userId, user.avatar_url, updated.avatar_url)
      }
      return toUserJson(updated ?? user)
    },
  )
}
