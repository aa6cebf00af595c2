import type { User } from './types'

/** In memory: token, local expiry (ms on this device's clock), user. */
export interface Session {
  t: string
  e: number
  u: User | null
}

/**
 * Stored record (versioned by the storage key): token, the lifetime the server gave (relative,
 * so the server's clock is never compared with the device's), when it was received, and user.
 * A record whose receipt time lies in the future (clock moved back) cannot be aged: discarded.
 */
interface Rec {
  v: 1
  t: string
  l: number
  a: number
  u: User | null
}

const num = (x: unknown): x is number => typeof x == 'number' && x == x

export const loadSession = (key: string): Session | null => {
  try {
    const r = wx.getStorageSync(key) as Partial<Rec> | null
    const u = r && r.u
    const age = Date.now() - r!.a!
    if (
      r!.v === 1 &&
      typeof r!.t == 'string' &&
      r!.t &&
      num(r!.l) &&
      num(r!.a) &&
      age >= 0 &&
      age < r!.l &&
      (u === null || (typeof u == 'object' && typeof u.id == 'string'))
    )
      return { t: r!.t, e: r!.a + r!.l, u }
  } catch {
    // unreadable: treated like a corrupt record
  }
  clearSession(key)
  return null
}

/** A failed write (quota, I/O) keeps the session in memory only. */
export const saveSession = (key: string, t: string, lifetimeMs: number, u: User | null) => {
  const a = Date.now()
  try {
    wx.setStorageSync(key, { v: 1, t, l: lifetimeMs, a, u } satisfies Rec)
  } catch {
    // memory only
  }
  return { t, e: a + lifetimeMs, u }
}

export const clearSession = (key: string) => {
  try {
    wx.removeStorageSync(key)
  } catch {
    // nothing to do
  }
}
