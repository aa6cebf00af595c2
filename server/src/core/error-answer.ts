// The protocol's error mapping, framework-neutral: the server's own errors, WeChat's errcodes
// and transport failures, and decryption failures become { status, code, message } (and
// Retry-After). Frameworks add their own parse and routing errors on top and send
// `errorBody(answer)`.
import { AppError } from '../errors'
import { WeChatDecryptError } from '../wechat/crypto'
import { mapWeChatError } from '../wechat/errors'
import { WeChatTransportError } from '../wechat/transport'
import { WeChatApiError } from '../wechat/types'

export interface ErrorAnswer {
  statusCode: number
  code: string
  message: string
  retryAfterSec?: number
}

export const INTERNAL_ERROR: ErrorAnswer = {
  statusCode: 500,
  code: 'INTERNAL',
  message: 'internal error',
}

/** The answer for an error of the login protocol, or null for anything else. */
export function protocolErrorAnswer(err: unknown): ErrorAnswer | null {
  if (err instanceof AppError) {
    return {
      statusCode: err.statusCode,
      code: err.code,
      message: err.message,
      ...(err.retryAfterSec !== undefined ? { retryAfterSec: err.retryAfterSec } : {}),
    }
  }
  if (err instanceof WeChatApiError) return mapWeChatError(err)
  if (err instanceof WeChatTransportError) {
    return {
      statusCode: 503,
      code: 'WECHAT_UNAVAILABLE',
      message: 'WeChat is unavailable; try again later.',
    }
  }
  if (err instanceof WeChatDecryptError) {
    return {
      statusCode: 400,
      code: 'PROFILE_PAYLOAD_INVALID',
      message: `the encrypted profile could not be verified (${err.reason})`,
    }
  }
  return null
}

/** The body every failure answers: `{ error: { code, message } }`. */
export function errorBody(a: ErrorAnswer): { error: { code: string; message: string } } {
  return { error: { code: a.code, message: a.message } }
}
