// A close that completes with keep-alive clients. Fastify stops routing and Node's
// server.close() drops the connections idle at that moment, but a connection that was serving a
// request stays open after its answer, idle, until keepAliveTimeout (72 s): the close waited for
// it and the shutdown timer ended the process with status 1. So once closing starts, every
// answer says `Connection: close` (the client opens its next request elsewhere), and connections
// that still turn idle are closed as they do, until the server has none left.
import type { FastifyInstance } from 'fastify'

const SWEEP_EVERY_MS = 50

export function closeKeepAliveConnectionsOnClose(app: FastifyInstance): void {
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
    if (!app.server.listening) return
    const sweeper = setInterval(() => app.server.closeIdleConnections(), SWEEP_EVERY_MS)
    sweeper.unref()
    app.server.once('close', () => clearInterval(sweeper))
  })
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close')
    return payload
  })
}
