// The server's error vocabulary: every failure leaves as { error: { code, message } }.
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'SESSION_EXPIRED'
  | 'SESSION_REVOKED'
  | 'SESSION_INVALID'
  | 'OPENID_MISMATCH'
  | 'RATE_LIMITED'
  | 'IDEMPOTENCY_KEY_REQUIRED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PROFILE_PAYLOAD_INVALID'
  | 'PROFILE_ANONYMOUS'
  | 'AVATAR_INVALID'
  | 'AVATAR_URL_INVALID'
  | 'ORDER_INVALID'
  | 'ORDER_STATUS_CONFLICT'
  | 'CONSOLE_UNAUTHORIZED'
  | 'CONSOLE_PASSWORD_WRONG'
  | 'INTERNAL'
  | 'LOGIN_CODE_INVALID'
  | 'LOGIN_CODE_USED'
  | 'WECHAT_RISK_BLOCKED'
  | 'WECHAT_UNAVAILABLE'
  | 'PHONE_CODE_INVALID'
  | 'WECHAT_CONFIG_ERROR'
  | 'DATABASE_UNAVAILABLE'
  | 'URI_TOO_LONG'
  | 'HEADERS_TOO_LARGE'
  | 'REQUEST_TIMEOUT'
  | 'SERVICE_UNAVAILABLE'

export class AppError extends Error {
  readonly statusCode: number
  readonly code: ErrorCode
  readonly retryAfterSec: number | undefined
  constructor(statusCode: number, code: ErrorCode, message: string, retryAfterSec?: number) {
    super(message)
    this.name = 'AppError'
    this.statusCode = statusCode
    this.code = code
    this.retryAfterSec = retryAfterSec
  }
}

export const badRequest = (code: ErrorCode, message: string): AppError =>
  new AppError(400, code, message)
export const unauthorized = (
  code: 'SESSION_EXPIRED' | 'SESSION_REVOKED' | 'SESSION_INVALID',
  message: string,
): AppError => new AppError(401, code, message)
export const notFound = (message = 'not found'): AppError => new AppError(404, 'NOT_FOUND', message)
export const rateLimited = (retryAfterSec: number): AppError =>
  new AppError(429, 'RATE_LIMITED', 'too many requests, retry later', retryAfterSec)
