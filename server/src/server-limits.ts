// How long a client may take, as Fastify and Node's HTTP server options. Fastify leaves Node's
// requestTimeout off (0) by default, so a client that sends its headers and then trickles or
// withholds the body held the connection forever. Every connection is now bounded:
// - headers must arrive within `headersTimeoutMs` (Node's headersTimeout),
// - the whole request, body included, within `requestTimeoutMs` (Node answers 408 and closes),
// - and a socket with no traffic at all is closed after `connectionTimeout`.
// Node checks the first two on a timer (connectionsCheckingInterval, 30 s by default); a finer
// interval makes the limits hold to within a second.
import type { ServerOptions } from 'node:http'

export interface ServerLimits {
  connectionTimeout: number
  requestTimeout: number
  keepAliveTimeout: number
  http: ServerOptions
}

/** Idle keep-alive connections: longer than common load balancers' 60 s idle timeout. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000

export function serverLimits(requestTimeoutMs: number): ServerLimits {
  const headersTimeoutMs = Math.min(requestTimeoutMs, 10_000)
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // Inactivity of any kind; above keepAliveTimeout so it never cuts an idle keep-alive short.
    connectionTimeout: Math.max(requestTimeoutMs, KEEP_ALIVE_TIMEOUT_MS) + 1_000,
    http: {
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(headersTimeoutMs / 4))),
    },
  }
}
