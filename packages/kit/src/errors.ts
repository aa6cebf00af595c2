import type { AuthErrorCode } from './types'

/** Every rejection of the kit. `code` is the closed union documented in README. */
export class AuthKitError extends Error {
  code: AuthErrorCode
  // Optional fields without initialisers (target ES2020): nothing is emitted for them, and
  // DevTools' TypeScript step rejects `declare` fields.
  statusCode?: number
  serverCode?: string
  retryAfterMs?: number
  cause?: unknown
  constructor(code: AuthErrorCode, message: string, extra?: Partial<AuthKitError>) {
    super(message)
    this.name = 'AuthKitError'
    this.code = code
    Object.assign(this, extra)
  }
}
