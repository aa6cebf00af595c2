import type { AuthErrorCode } from './types'

/** Every rejection of the kit. `code` is the closed union documented in README. */
export class AuthKitError extends Error {
  code: AuthErrorCode
  // `declare`: no emitted field initialisers, so the bundle stays small.
  declare statusCode?: number
  declare serverCode?: string
  declare retryAfterMs?: number
  declare cause?: unknown
  constructor(code: AuthErrorCode, message: string, extra?: Partial<AuthKitError>) {
    super(message)
    this.name = 'AuthKitError'
    this.code = code
    Object.assign(this, extra)
  }
}
