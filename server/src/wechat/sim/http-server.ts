// The simulated WeChat on its own HTTP port (npm run sim): api.weixin.qq.com's real paths plus
// the /__sim control routes, so any back end (Java, Go, Python, Node) can point its WeChat API
// base URL here and test its login against it. Failures of the control routes answer the same
// { error: { code, message } } envelope as the reference server; WeChat's own paths answer
// WeChat's { errcode, errmsg } (the sim produces those itself).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { installErrorHandling } from '../../plugins/error-handler'
import { simControlRoutes } from './control-routes'
import type { SimWeChat } from './sim'
import { simWeChatRoutes } from './wechat-routes'

export interface SimHttpServerOptions {
  sim: SimWeChat
  log?: Logger
  /** Required in `X-Sim-Token` by the control routes when set; else they answer loopback only. */
  controlToken?: string | null
}

export async function buildSimHttpServer(opts: SimHttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.log ? { loggerInstance: opts.log as FastifyBaseLogger } : { logger: false }),
    bodyLimit: 64 * 1024,
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  })
  installErrorHandling(app)
  await app.register(simWeChatRoutes, { sim: opts.sim })
  await app.register(simControlRoutes, { sim: opts.sim, token: opts.controlToken ?? null })
  app.get('/healthz', async () => ({ status: 'ok' }))
  return app
}
