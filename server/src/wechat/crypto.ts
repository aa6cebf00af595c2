// WeChat's user-data signature and encryption (wechat-platform.md §4):
//   signature = sha1(rawData + session_key), hex
//   encryptedData = base64(AES-128-CBC(key = base64decode(session_key), iv, PKCS#7))

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'crypto'

export type WeChatDecryptFailure =
  | 'bad_base64'
  | 'bad_key'
  | 'bad_iv'
  | 'bad_length'
  | 'bad_padding'
  | 'bad_json'
  | 'watermark_mismatch'

/** Decryption of WeChat's encryptedData failed. The message never contains key or data. */
export class WeChatDecryptError extends Error {
  readonly reason: WeChatDecryptFailure
  /** The input at fault for 'bad_base64'. */
  readonly field: 'sessionKey' | 'encryptedData' | 'iv' | null
  constructor(
    reason: WeChatDecryptFailure,
    field: 'sessionKey' | 'encryptedData' | 'iv' | null = null,
  ) {
    super(`WeChat data decryption failed: ${reason}${field ? ` (${field})` : ''}`)
    this.name = 'WeChatDecryptError'
    this.reason = reason
    this.field = field
  }
}

export interface WeChatWatermark {
  appid: string
  timestamp: number
}

/** A decrypted WeChat payload: any JSON object whose watermark names our appid. */
export type WeChatDecryptedData = Record<string, unknown> & { watermark: WeChatWatermark }

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * Strict base64: the standard alphabet, padding to a multiple of 4, and canonical (re-encoding
 * the bytes gives the same text, so no stray bits in the last character). Buffer.from() alone
 * silently skips invalid characters.
 */
export function decodeStrictBase64(text: unknown): Buffer | null {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !BASE64_RE.test(text)) return null
  const buf = Buffer.from(text, 'base64')
  return buf.toString('base64') === text ? buf : null
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex')
}

/** sha1(rawData + session_key) signature WeChat sends with getUserProfile/getUserInfo. */
export function signRawData(rawData: string, sessionKey: string): string {
  return sha1Hex(rawData + sessionKey)
}

/** Constant-time check of `signature` against sha1(rawData + session_key). */
export function verifyRawDataSignature(
  rawData: string,
  sessionKey: string,
  signature: string,
): boolean {
  if (typeof rawData !== 'string' || typeof sessionKey !== 'string') return false
  if (typeof signature !== 'string') return false
  const expected = Buffer.from(signRawData(rawData, sessionKey), 'utf8')
  const given = Buffer.from(signature, 'utf8')
  if (given.length !== expected.length) return false
  return timingSafeEqual(given, expected)
}

function decodeField(text: unknown, field: 'sessionKey' | 'encryptedData' | 'iv'): Buffer {
  const buf = decodeStrictBase64(text)
  if (!buf) throw new WeChatDecryptError('bad_base64', field)
  return buf
}

/**
 * Decrypts WeChat's encryptedData with the user's session_key and checks the watermark's appid.
 * Throws WeChatDecryptError with the failing step as `reason`.
 */
export function decryptWeChatData(
  sessionKey: string,
  encryptedData: string,
  iv: string,
  expectedAppid: string,
): WeChatDecryptedData {
  const key = decodeField(sessionKey, 'sessionKey')
  if (key.length !== 16) throw new WeChatDecryptError('bad_key')
  const ivBuf = decodeField(iv, 'iv')
  if (ivBuf.length !== 16) throw new WeChatDecryptError('bad_iv')
  const data = decodeField(encryptedData, 'encryptedData')
  if (data.length === 0 || data.length % 16 !== 0) throw new WeChatDecryptError('bad_length')

  const decipher = createDecipheriv('aes-128-cbc', key, ivBuf)
  decipher.setAutoPadding(false)
  const padded = Buffer.concat([decipher.update(data), decipher.final()])
  const pad = padded[padded.length - 1]!
  if (pad < 1 || pad > 16) throw new WeChatDecryptError('bad_padding')
  for (let i = padded.length - pad; i < padded.length; i++) {
    if (padded[i] !== pad) throw new WeChatDecryptError('bad_padding')
  }
  const plain = padded.subarray(0, padded.length - pad)

  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain))
  } catch {
    throw new WeChatDecryptError('bad_json')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WeChatDecryptError('bad_json')
  }
  const watermark = (parsed as { watermark?: unknown }).watermark
  if (
    typeof watermark !== 'object' ||
    watermark === null ||
    (watermark as { appid?: unknown }).appid !== expectedAppid
  ) {
    throw new WeChatDecryptError('watermark_mismatch')
  }
  return parsed as WeChatDecryptedData
}

/**
 * Encrypts a payload the way WeChat does (used by the simulated WeChat and tests). Returns
 * base64 encryptedData and iv; a random iv is drawn when none is given.
 */
export function encryptWeChatData(
  sessionKey: string,
  payload: unknown,
  iv?: string,
): { encryptedData: string; iv: string } {
  const key = decodeStrictBase64(sessionKey)
  if (!key || key.length !== 16) throw new WeChatDecryptError('bad_key')
  const ivBuf = iv === undefined ? randomBytes(16) : decodeStrictBase64(iv)
  if (!ivBuf || ivBuf.length !== 16) throw new WeChatDecryptError('bad_iv')
  const cipher = createCipheriv('aes-128-cbc', key, ivBuf)
  const plain = Buffer.from(JSON.stringify(payload), 'utf8')
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()])
  return { encryptedData: encrypted.toString('base64'), iv: ivBuf.toString('base64') }
}

/** hmac_sha256(session_key, message) hex, the key being the session_key's UTF-8 bytes (§3). */
export function sessionKeySignature(sessionKey: string, message = ''): string {
  return createHmac('sha256', Buffer.from(sessionKey, 'utf8')).update(message, 'utf8').digest('hex')
}
