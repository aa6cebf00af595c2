// Failures Fastify and Node answer on their own, before any route or our error handler runs,
// get the same `{ error: { code, message } }` envelope as every other failure:
// - a bad URL (`/%`) or an over-long path segment (Fastify's `frameworkErrors` option);
// - an over-long URL (our own 414 below Node's header limit);
// - a request Node's HTTP parser refuses: headers too large (431), a request timeout (408) or
//   malformed HTTP (400), written straight to the socket (`clientErrorHandler`);
// - a request arriving while the server closes: 503 with `Connection: close` and Retry-After
//   (instead of Fastify's own `return503OnClosing` body).
import http from 'node:http'
import type { Socket } from 'node:net'
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify'
import type { ErrorCode } from '../errors'
import { classify, sendError } from './error-handler'

/** Longest request target we route; longer ones answer 414 (Node's own limit is 16 KB of headers). */
export const MAX_URL_LENGTH = 8192

type FrameworkErrorOptions = Pick<
  FastifyServerOptions,
  'frameworkErrors' | 'clientErrorHandler' | 'return503OnClosing'
>

function envelope(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } })
}

/** What to write on the socket for an error Node's HTTP parser raised. */
function clientErrorAnswer(err: NodeJS.ErrnoException): [number, ErrorCode, string] {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return [431, 'HEADERS_TOO_LARGE', 'request headers are too large']
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return [408, 'REQUEST_TIMEOUT', 'the request took too long to arrive']
  }
  return [400, 'VALIDATION_FAILED', 'malformed HTTP request']
}

function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket) {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, code, message] = clientErrorAnswer(err)
  this.log.info({ errorCode: code, statusCode: status }, 'request rejected by the HTTP parser')
  if (socket.writable) {
    const body = envelope(code, message)
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    )
  }
  socket.destroy()
}

/** Options for the Fastify constructor. */
export function frameworkErrorOptions(): FrameworkErrorOptions {
  return {
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      void sendError(reply, classify(err))
    },
    clientErrorHandler,
    // Answered by the onRequest guard below, in our envelope.
    return503OnClosing: false,
  }
}

/** onRequest guards that run before every route: the server is closing, the URL is too long. */
export function installRequestGuards(app: FastifyInstance): void {
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onRequest', async (req, reply) => {
    if (closing) {
      reply.header('Connection', 'close')
      return sendError(reply, {
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'the server is shutting down; retry',
        retryAfterSec: 1,
      })
    }
    if (req.url.length > MAX_URL_LENGTH) {
      return sendError(reply, {
        statusCode: 414,
        code: 'URI_TOO_LONG',
        message: `the URL is longer than ${MAX_URL_LENGTH} characters`,
      })
    }
    return undefined
  })
}
