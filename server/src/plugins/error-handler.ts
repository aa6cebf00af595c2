// The one place where failures become answers: { error: { code, message } } with a fitting
// status. Messages are ours (never WeChat's errmsg, never a stack); 5xx are logged. The
// protocol's own errors are mapped by the framework-neutral core (core/error-answer.ts), the
// same mapping the Express middleware uses; Fastify's own failures are mapped here.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { protocolErrorAnswer, type ErrorAnswer } from '../core'
import type { ErrorCode } from '../errors'

export type Answer = ErrorAnswer

function isFastifyError(e: unknown): e is FastifyError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string'
}

/** The answer for any failure: the protocol's (ours, WeChat's), or the framework's. */
export function classify(err: unknown): Answer {
  const protocol = protocolErrorAnswer(err)
  if (protocol !== null) return protocol
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

/**
 * The error handler: logs (5xx with their stack, the rest as one line) and answers the envelope.
 * The reference server installs it once for the whole app; the login-protocol plugin installs
 * the same function on its own two routes, so they answer the protocol's envelope in any host.
 */
export function answerError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
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
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(answerError)
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, {
      statusCode: 404,
      code: 'NOT_FOUND',
      message: `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 100)}`,
    }),
  )
}
