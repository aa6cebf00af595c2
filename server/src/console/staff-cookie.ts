// The console's staff session: a stateless, signed cookie, so every instance of the server
// accepts it. `v1.<expiresAtMs>.<hmac>` where the HMAC key is derived from SESSION_SECRET and the
// console password (changing the password signs every staff member out). It is httpOnly,
// SameSite=Strict (no other site's page can send it, the console's CSRF defence together with
// JSON-only bodies) and scoped to /console, so it never reaches a mini-program route, and those
// routes read only Authorization / X-WX-Code anyway.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

export const STAFF_COOKIE = 'console_session'
export const STAFF_SESSION_MS = 12 * 3600_000

function key(sessionSecret: string, password: string): Buffer {
  return createHash('sha256').update(`console-cookie\0${sessionSecret}\0${password}`).digest()
}

function sign(k: Buffer, expiresAt: number): string {
  return createHmac('sha256', k).update(`v1.${expiresAt}`).digest('base64url')
}

export function issueStaffCookie(sessionSecret: string, password: string, now: number): string {
  const expiresAt = now + STAFF_SESSION_MS
  return `v1.${expiresAt}.${sign(key(sessionSecret, password), expiresAt)}`
}

export function staffCookieValid(
  value: string | undefined,
  sessionSecret: string,
  password: string,
  now: number,
): boolean {
  if (value === undefined) return false
  const m = /^v1\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(value)
  if (m === null) return false
  const expiresAt = Number(m[1])
  if (!(expiresAt > now)) return false
  const expected = Buffer.from(sign(key(sessionSecret, password), expiresAt))
  const given = Buffer.from(m[2]!)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Compares in constant time whatever the lengths (both sides hashed first). */
export function passwordMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** One cookie's value from a Cookie header (the first one of that name). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

export function staffCookieHeader(value: string, secure: boolean): string {
  const attrs = [
    `${STAFF_COOKIE}=${value}`,
    'Path=/console',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(STAFF_SESSION_MS / 1000)}`,
  ]
  if (secure) attrs.push('Secure')
  return attrs.join('; ')
}

export function clearedStaffCookieHeader(secure: boolean): string {
  return `${STAFF_COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`
}
