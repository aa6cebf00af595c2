// Expectations that fail a check with a message saying what the contract wanted and what came.
import { isObject, type Answer } from './http'
import { CheckFailure } from './suite'

const ERROR_CODE_RE = /^[A-Z][A-Z0-9_]*$/

export function fail(message: string): never {
  throw new CheckFailure(message)
}

export function expectTrue(cond: boolean, message: string): asserts cond {
  if (!cond) fail(message)
}

function brief(a: Answer): string {
  return `${a.status} ${a.text.slice(0, 160)}`
}

export function expectStatus(a: Answer, status: number, what: string): void {
  if (a.status !== status) fail(`${what}: expected status ${status}, got ${brief(a)}`)
}

/** The answer is the error envelope `{error:{code,message}}` with this status and code. */
export function expectError(a: Answer, status: number, code: string, what: string): void {
  const e = isObject(a.json) ? a.json.error : undefined
  if (!isObject(e) || typeof e.code !== 'string' || typeof e.message !== 'string') {
    fail(`${what}: expected {"error":{"code","message"}}, got ${brief(a)}`)
  }
  if (!ERROR_CODE_RE.test(e.code))
    fail(`${what}: error.code ${JSON.stringify(e.code)} is not UPPER_SNAKE`)
  if (a.status !== status || e.code !== code) {
    fail(`${what}: expected ${status} ${code}, got ${a.status} ${e.code}`)
  }
}

/** A positive integer number of seconds, as `expiresIn` and X-Session-Expires-In must be. */
export function expectSeconds(v: unknown, what: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    fail(`${what}: expected a positive integer of seconds, got ${JSON.stringify(v)}`)
  }
  return n
}

/** The user object: `{id, nickname, avatarUrl, phone}`, with no WeChat identifiers. */
export function expectUser(v: unknown, what: string): { id: string } {
  if (!isObject(v) || typeof v.id !== 'string' || v.id === '') {
    fail(`${what}: expected a user with a string id, got ${JSON.stringify(v)?.slice(0, 160)}`)
  }
  for (const key of ['nickname', 'avatarUrl', 'phone']) {
    if (!(key in v)) fail(`${what}: the user has no ${key} field`)
  }
  for (const key of ['openid', 'unionid', 'session_key', 'sessionKey']) {
    if (key in v) fail(`${what}: the user carries ${key}`)
  }
  return { id: v.id }
}
