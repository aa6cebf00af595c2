// Control routes of the simulated WeChat, registered by the server in simulated mode only:
// mint login and phone codes for test users, build getUserProfile payloads, inject faults and
// move the clock. They stand in for what the WeChat client app would give the mini-program.
// Anyone who can call them can log in as any user, so they answer only a caller on this machine
// (a loopback peer, not relayed by a proxy), or, when a token is configured (SIM_CONTROL_TOKEN),
// only callers sending it in `X-Sim-Token`.
//
//   app.register(simControlRoutes, { sim })            // serves /__sim/...
//   app.register(simControlRoutes, { sim, prefix: '/__sim' }) // same paths (prefix detected)

import { timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { SIM_APIS, SimFaultLimitError, type SimFault, type SimWeChat } from './sim'

export interface SimControlRoutesOptions {
  sim: SimWeChat
  /** Required from every caller in `X-Sim-Token` when set; else only loopback callers. */
  token?: string | null
}

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const

/** The TCP peer is this machine and no proxy relayed the request for someone else. */
function isLocalCaller(req: FastifyRequest): boolean {
  const peer = req.raw.socket.remoteAddress ?? ''
  const loopback = /^(127\.|::ffff:127\.)/.test(peer) || peer === '::1'
  return loopback && FORWARDING_HEADERS.every((h) => req.headers[h] === undefined)
}

function tokenMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export const SIM_CONTROL_PREFIX = '/__sim'

const OpenId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$' })

const LoginCodeBody = Type.Object(
  {
    openid: Type.Optional(OpenId),
    unionid: Type.Optional(OpenId),
  },
  { additionalProperties: false },
)
const LoginCodeReply = Type.Object({ code: Type.String(), openid: Type.String() })

const PhoneCodeBody = Type.Object(
  {
    openid: OpenId,
    phoneNumber: Type.Optional(Type.String({ pattern: '^[0-9]{5,15}$' })),
  },
  { additionalProperties: false },
)
const PhoneCodeReply = Type.Object({ code: Type.String() })

const ProfileBody = Type.Object(
  {
    openid: OpenId,
    nickName: Type.Optional(Type.String({ maxLength: 64 })),
    avatarUrl: Type.Optional(Type.String({ maxLength: 1024 })),
    anonymous: Type.Optional(Type.Boolean()),
    withIds: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
const ProfileReply = Type.Object({
  rawData: Type.String(),
  signature: Type.String(),
  encryptedData: Type.String(),
  iv: Type.String(),
  userInfo: Type.Object({
    nickName: Type.String(),
    gender: Type.Number(),
    language: Type.String(),
    city: Type.String(),
    province: Type.String(),
    country: Type.String(),
    avatarUrl: Type.String(),
    is_demote: Type.Optional(Type.Boolean()),
  }),
})

const FaultApi = Type.Union([...SIM_APIS.map((api) => Type.Literal(api)), Type.Literal('*')])
const FaultBody = Type.Object(
  {
    api: FaultApi,
    errcode: Type.Optional(Type.Integer()),
    errmsg: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
    malformed: Type.Optional(Type.Boolean()),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
    timeout: Type.Optional(Type.Boolean()),
    times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
)
const FaultsReply = Type.Object({ pending: Type.Integer() })

const SubscribeAcceptBody = Type.Object(
  { openid: OpenId, templateId: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
)
const MessagesQuery = Type.Object({ openid: OpenId }, { additionalProperties: false })
const MessagesReply = Type.Object({
  messages: Type.Array(
    Type.Object({
      touser: Type.String(),
      templateId: Type.String(),
      page: Type.Union([Type.String(), Type.Null()]),
      data: Type.Record(Type.String(), Type.String()),
      at: Type.Number(),
    }),
  ),
})

const ClockBody = Type.Object(
  { advanceMs: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
)
const ClockReply = Type.Object({ now: Type.Number() })

const UserParams = Type.Object({ openid: OpenId })
const UserReply = Type.Object({
  openid: Type.String(),
  unionid: Type.Union([Type.String(), Type.Null()]),
  sessionKey: Type.Union([Type.String(), Type.Null()]),
})

const ErrorReply = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
})

export const simControlRoutes: FastifyPluginAsyncTypebox<SimControlRoutesOptions> = async (
  app,
  opts,
) => {
  const { sim } = opts
  const token = opts.token ?? null
  const base = app.prefix.endsWith(SIM_CONTROL_PREFIX) ? '' : SIM_CONTROL_PREFIX
  const tags = ['simulated WeChat']

  // Encapsulated in this plugin: it guards the control routes only.
  app.addHook('onRequest', async (req, reply) => {
    if (token !== null) {
      if (tokenMatches(req.headers['x-sim-token'], token)) return undefined
      return reply.code(401).send({
        error: { code: 'SIM_UNAUTHORIZED', message: 'send the SIM_CONTROL_TOKEN in X-Sim-Token' },
      })
    }
    if (isLocalCaller(req)) return undefined
    return reply.code(403).send({
      error: {
        code: 'SIM_FORBIDDEN',
        message: 'simulator control routes answer loopback callers only (or set SIM_CONTROL_TOKEN)',
      },
    })
  })

  app.post(
    `${base}/login-code`,
    { schema: { tags, body: LoginCodeBody, response: { 200: LoginCodeReply } } },
    async (req) => sim.mintLoginCode(req.body),
  )

  app.post(
    `${base}/phone-code`,
    { schema: { tags, body: PhoneCodeBody, response: { 200: PhoneCodeReply } } },
    async (req) => ({ code: sim.mintPhoneCode(req.body.openid, req.body.phoneNumber) }),
  )

  app.post(
    `${base}/profile-payload`,
    { schema: { tags, body: ProfileBody, response: { 200: ProfileReply, 409: ErrorReply } } },
    async (req, reply) => {
      const { openid, nickName, avatarUrl, anonymous, withIds } = req.body
      const user = sim.getUser(openid)
      if (!user || !user.sessionKey) {
        return reply.code(409).send({
          error: {
            code: 'SIM_NO_SESSION',
            message: 'This test user has no session_key yet; mint a login code first.',
          },
        })
      }
      const userInfo =
        anonymous === true || (nickName === undefined && avatarUrl === undefined)
          ? undefined
          : { nickName: nickName ?? '', avatarUrl: avatarUrl ?? '' }
      return sim.encryptUserProfile(openid, userInfo, { withIds: withIds === true })
    },
  )

  app.post(
    `${base}/faults`,
    { schema: { tags, body: FaultBody, response: { 200: FaultsReply, 409: ErrorReply } } },
    async (req, reply) => {
      const { api, ...fault } = req.body
      try {
        sim.faults.add(api, fault satisfies SimFault)
      } catch (e) {
        if (!(e instanceof SimFaultLimitError)) throw e
        return reply.code(409).send({ error: { code: 'SIM_FAULTS_FULL', message: e.message } })
      }
      return { pending: sim.faults.pending().length }
    },
  )

  app.delete(`${base}/faults`, { schema: { tags, response: { 200: FaultsReply } } }, async () => {
    sim.faults.clear()
    return { pending: 0 }
  })

  // What the WeChat app tells WeChat's back end when the user taps 允许 in the subscription panel:
  // one more subscribe/send of that template to that user is allowed.
  app.post(
    `${base}/subscribe-accept`,
    { schema: { tags, body: SubscribeAcceptBody, response: { 204: Type.Null() } } },
    async (req, reply) => {
      sim.acceptSubscription(req.body.openid, req.body.templateId)
      return reply.code(204).send(null)
    },
  )

  app.get(
    `${base}/messages`,
    { schema: { tags, querystring: MessagesQuery, response: { 200: MessagesReply } } },
    async (req) => ({ messages: sim.deliveredMessages(req.query.openid) }),
  )

  app.post(
    `${base}/clock`,
    { schema: { tags, body: ClockBody, response: { 200: ClockReply } } },
    async (req) => {
      sim.clock.advance(req.body.advanceMs)
      return { now: sim.clock.now() }
    },
  )

  // What WeChat holds for a test user, session_key included: a conformance suite reads it to
  // prove that the back end under test never sends the key to the client.
  app.get(
    `${base}/users/:openid`,
    { schema: { tags, params: UserParams, response: { 200: UserReply, 404: ErrorReply } } },
    async (req, reply) => {
      const user = sim.getUser(req.params.openid)
      if (user === null) {
        return reply
          .code(404)
          .send({ error: { code: 'SIM_NO_USER', message: 'no such simulated user' } })
      }
      return user
    },
  )
}
