import type { User } from './types'

/** In memory: token, local expiry (ms on this device's clock), user. */
export interface Session {
  token: string
  expiresAt: number
  user: User | null
}

/**
 * Stored record (versioned by the storage key): token, the lifetime the server gave (relative,
 * so the server's clock is never compared with the device's), when it was received, and user.
 */
interface StoredRecord {
  v: 1
  t: string
  l: number
  a: number
  u: User | null
}

/** No session lives longer than this, whatever the server or a stored record says. */
export const MAX_LIFETIME_MS = 30 * 24 * 3600 * 1000
/** A record received up to this far in the future (the clock moved back a little) is kept. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000
/** WeChat's customary 2 h when the server gives no usable lifetime; a 401 corrects it. */
const DEFAULT_LIFETIME_MS = 7200 * 1000

/** A lifetime in ms from the server's seconds, when positive (saveSession caps it at 30 days). */
export const lifetimeFromSeconds = (seconds: unknown) => {
  const ms = Number(seconds) * 1000
  return ms > 0 ? ms : DEFAULT_LIFETIME_MS
}

/** The stored session, or null; a corrupt, unknown, expired or far-future record is removed. */
export const loadSession = (key: string): Session | null => {
  try {
    const record = wx.getStorageSync(key) as Partial<StoredRecord> | null
    if (
      record &&
      record.v === 1 &&
      typeof record.t === 'string' &&
      record.t &&
      typeof record.l === 'number' &&
      record.l > 0 &&
      typeof record.a === 'number' &&
      (record.u === null || typeof record.u?.id === 'string')
    ) {
      const now = Date.now()
      const age = now - record.a
      const lifetime = Math.min(record.l, MAX_LIFETIME_MS)
      // a receipt time slightly in the future is read as "just now"
      if (age >= -FUTURE_TOLERANCE_MS && age < lifetime)
        return { token: record.t, expiresAt: Math.min(record.a, now) + lifetime, user: record.u }
    }
  } catch {
    // unreadable: treated like a corrupt record
  }
  clearSession(key)
  return null
}

/** Caps the lifetime at 30 days. A failed write (quota, I/O) keeps the session in memory only. */
export const saveSession = (key: string, token: string, lifetimeMs: number, user: User | null) => {
  const receivedAt = Date.now()
  const lifetime = Math.min(lifetimeMs, MAX_LIFETIME_MS)
  try {
    wx.setStorageSync(key, {
      v: 1,
      t: token,
      l: lifetime,
      a: receivedAt,
      u: user,
    } satisfies StoredRecord)
  } catch {
    // memory only
  }
  return { token, expiresAt: receivedAt + lifetime, user }
}

export const clearSession = (key: string) => {
  try {
    wx.removeStorageSync(key)
  } catch {
    // nothing to do
  }
}
