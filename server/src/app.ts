// Builds the Fastify application: storage, WeChat client (real or simulated), sessions, routes,
// OpenAPI and the central error handler. Tests inject a sim, a database and a log stream.
import multipart from '@fastify/multipart'
import swagger from '@fastify/swagger'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { DestinationStream, Logger } from 'pino'
import { fastifyTrustProxy, type Config } from './config'
import { createDb, type Db } from './db'
import { closeKeepAliveConnectionsOnClose } from './graceful-close'
import { createLogger } from './logger'
import { AuthService } from './plugins/auth'
import { installErrorHandling } from './plugins/error-handler'
import { frameworkErrorOptions, installRequestGuards } from './plugins/framework-errors'
import { RateLimits } from './plugins/rate-limits'
import { DEFAULT_ORDER_STATUS_TEMPLATE_ID } from './config'
import { loginProtocol } from './fastify'
import { consoleRoutes } from './routes/console'
import { healthRoutes } from './routes/health'
import { meRoutes } from './routes/me'
import { shopRoutes } from './routes/shop'
import { subscriptionRoutes } from './routes/subscriptions'
import { serverLimits } from './server-limits'
import type { Services } from './services'
import { AvatarService } from './services/avatars'
import { OrderFeed } from './services/order-feed'
import { OrderService } from './services/orders'
import { MessageOutbox, type OutboxOptions } from './services/outbox'
import { AtRestCipher } from './services/secrets'
import { SessionService } from './services/sessions'
import { StatusChangeService } from './services/status-changes'
import { SubscriptionService } from './services/subscriptions'
import { UserService } from './services/users'
import {
  createWeChatClient,
  createSimWeChat,
  httpTransport,
  simControlRoutes,
  type SimWeChat,
} from './wechat'
import type { WeChatClient } from './wechat/types'

export interface AppDeps {
  /** The simulated WeChat to use in simulated mode (default: a new one). */
  sim?: SimWeChat
  /** A WeChat client to use instead of building one. */
  wechat?: WeChatClient
  /** A database to use (not closed with the app); default: opened from the config. */
  db?: Db
  logger?: Logger
  logStream?: DestinationStream
  now?: () => number
  /** The outbox worker: its options, and whether it polls on its own (default true). */
  outbox?: OutboxOptions & { autoStart?: boolean }
}

export interface App {
  app: FastifyInstance
  services: Services
  sim: SimWeChat | null
}

export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  return (await buildAppWithServices(config, deps)).app
}

export async function buildAppWithServices(config: Config, deps: AppDeps = {}): Promise<App> {
  const log = deps.logger ?? createLogger(config.logLevel, deps.logStream)
  const now = deps.now ?? Date.now
  const ownDb = deps.db === undefined
  const db =
    deps.db ??
    (await createDb({
      databaseUrl: config.databaseUrl,
      pgSchema: config.pgSchema,
      sqlitePath: config.sqlitePath,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      log: log.child({ component: 'db' }),
    }))

  let sim: SimWeChat | null = null
  let wechat: WeChatClient
  if (deps.wechat !== undefined) {
    wechat = deps.wechat
    sim = deps.sim ?? null
  } else if (config.wechat.mode === 'simulated' && config.wechat.apiBaseUrl !== null) {
    // The simulated WeChat on its own port (npm run sim): reached over HTTP like the real one,
    // so this server serves no /__sim control routes (the simulator does).
    wechat = createWeChatClient({
      appid: config.wechat.appid,
      secret: config.wechat.secret,
      transport: httpTransport(config.wechat.apiBaseUrl),
      log: log.child({ component: 'wechat' }),
    })
  } else if (config.wechat.mode === 'simulated') {
    sim =
      deps.sim ??
      createSimWeChat({
        appid: config.wechat.appid,
        secret: config.wechat.secret,
        log: log.child({ component: 'sim-wechat' }),
        devFallback: config.nodeEnv === 'development',
      })
    wechat = createWeChatClient({
      appid: sim.appid,
      secret: sim.secret,
      transport: sim.transport,
      log: log.child({ component: 'wechat' }),
    })
  } else {
    wechat = createWeChatClient({
      appid: config.wechat.appid,
      secret: config.wechat.secret,
      transport: httpTransport(config.wechat.apiBaseUrl ?? undefined),
      log: log.child({ component: 'wechat' }),
    })
  }

  const cipher = new AtRestCipher(config.sessionSecret)
  const sessions = new SessionService(db, {
    ttlSec: config.sessionTtlSec,
    now,
    log,
    sliding: config.sessionRotation.enabled,
    rotationGraceSec: config.sessionRotation.graceSec,
  })
  await sessions.start()
  const users = new UserService(db, cipher, now)
  const limits = new RateLimits(config, log.child({ component: 'rate-limits' }))
  const auth = new AuthService({
    wechat,
    users,
    sessions,
    limits,
    log,
  })
  const orderFeed = new OrderFeed()
  const templateId = config.orderStatusTemplateId ?? DEFAULT_ORDER_STATUS_TEMPLATE_ID
  const outbox = new MessageOutbox(db, (message) => wechat.sendSubscribeMessage(message), {
    now,
    log: log.child({ component: 'outbox' }),
    ...deps.outbox,
  })
  const statusChanges = new StatusChangeService(db, {
    now,
    templateId,
    feed: orderFeed,
    // A queued message leaves at once (the poll is only the safety net) unless tests drive it.
    ...(deps.outbox?.autoStart === false ? {} : { onQueued: () => void outbox.kick() }),
  })
  const services: Services = {
    config,
    db,
    wechat,
    sessions,
    users,
    orders: new OrderService(db, now, orderFeed),
    statusChanges,
    subscriptions: new SubscriptionService(db, templateId, now),
    outbox,
    orderFeed,
    avatars: new AvatarService(db, now, config.avatarQuota),
    auth,
    limits,
  }

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    bodyLimit: 64 * 1024,
    ...serverLimits(config.requestTimeoutMs),
    forceCloseConnections: 'idle',
    // Framework-level failures (bad URL, 414, 431, 503 while closing) in our error envelope.
    ...frameworkErrorOptions(),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorateRequest('auth', null)
  closeKeepAliveConnectionsOnClose(app)
  installErrorHandling(app)
  installRequestGuards(app)
  // wx.request sends `content-type: application/json` on a POST without data (the kit's
  // logout does): an empty body is no body, not a JSON syntax error.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  // Bodies are JSON (docs/protocol.md) or, for the avatar, multipart: Fastify's built-in
  // text/plain parser would hand a route a bare string, which then failed validation as a 400
  // instead of the 415 UNSUPPORTED_MEDIA_TYPE any other type gets.
  app.removeContentTypeParser('text/plain')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text === '') done(null, undefined)
    else parseJson(req, text, done)
  })
  app.addHook('onClose', async () => {
    await outbox.stop()
    await sessions.stop()
    if (ownDb) await db.destroy()
  })

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'wx-login-kit reference server',
        description:
          'Login with WeChat (code2Session), own session tokens, profile, phone and demo orders. ' +
          'Protected routes accept `Authorization: Bearer <token>` or a fresh `X-WX-Code`.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          wxCode: { type: 'apiKey', in: 'header', name: 'X-WX-Code' },
        },
      },
    },
  })
  await app.register(multipart, {
    limits: {
      fileSize: config.avatarMaxBytes,
      files: 1,
      fields: 10,
      parts: 12,
      fieldNameSize: 100,
      fieldSize: 4096,
      headerPairs: 50,
    },
  })

  await limits.install(app)
  await app.register(healthRoutes)
  await app.register(loginProtocol, { core: auth.core })
  await app.register(meRoutes, { services })
  await app.register(shopRoutes, { services })
  await app.register(subscriptionRoutes, { services })
  await app.register(consoleRoutes, { services })
  if (sim !== null) {
    await app.register(simControlRoutes, { sim, token: config.simControlToken ?? null })
  }
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger())
  if (deps.outbox?.autoStart !== false) app.addHook('onReady', async () => outbox.start())

  return { app, services, sim }
}
