// The one place where failures become answers: { error: { code, message } } with a fitting
// status. Messages are ours (never WeChat's errmsg, never a stack); 5xx are logged.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, type ErrorCode } from '../errors'
import { mapWeChatError } from '../wechat/errors'
import { WeChatDecryptError } from '../wechat/crypto'
import { WeChatTransportError } from '../wechat/transport'
import { WeChatApiError } from '../wechat/types'

export interface Answer {
  statusCode: number
  code: string
  message: string
  retryAfterSec?: number
}

function isFastifyError(e: unknown): e is FastifyError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string'
}

/** The answer for any failure: ours, WeChat's, or the framework's. */
export function classify(err: unknown): Answer {
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
  if (isFastifyError(err)) {
    if (err.validation !== undefined) {
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: err.message.slice(0, 300) }
    }
    const status = err.statusCode ?? 500
    const known: Record<string, [number, ErrorCode, string]> = {
      FST_ERR_BAD_URL: [400, 'VALIDATION_FAILED', 'malformed URL'],
      FST_ERR_MAX_PARAM_LENGTH: [414, 'URI_TOO_LONG', 'a path segment is too long'],
      FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'request body is too large'],
      FST_REQ_FILE_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'file is too large'],
      FST_PARTS_LIMIT: [413, 'PAYLOAD_TOO_LARGE', 'too many multipart parts'],
      FST_FILES_LIMIT: [413, 'PAYLOAD_TOO_LARGE', 'too many files'],
      FST_FIELDS_LIMIT: [413, 'PAYLOAD_TOO_LARGE', 'too many fields'],
      FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported content type'],
      FST_INVALID_MULTIPART_CONTENT_TYPE: [
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'expected multipart/form-data',
      ],
    }
    const k = known[err.code]
    if (k !== undefined) return { statusCode: k[0], code: k[1], message: k[2] }
    if (status >= 400 && status < 500) {
      if (status === 413)
        return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'request is too large' }
      if (status === 415) {
        return {
          statusCode: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: 'unsupported content type',
        }
      }
      // Malformed JSON, bad content-length, broken multipart and other client mistakes.
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'malformed request' }
    }
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'internal error' }
}

export function sendError(reply: FastifyReply, a: Answer): FastifyReply {
  if (a.retryAfterSec !== undefined) reply.header('Retry-After', String(a.retryAfterSec))
  return reply.code(a.statusCode).send({ error: { code: a.code, message: a.message } })
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const a = classify(err)
    if (a.statusCode >= 500) {
      const e = err instanceof Error ? err : new Error(String(err))
      req.log.error(
        { err: { type: e.name, message: e.message, stack: e.stack }, errorCode: a.code },
        'request failed',
      )
    } else {
      req.log.info({ errorCode: a.code, statusCode: a.statusCode }, 'request rejected')
    }
    return sendError(reply, a)
  })
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, {
      statusCode: 404,
      code: 'NOT_FOUND',
      message: `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 100)}`,
    }),
  )
}
