// The login protocol as one registrable Fastify plugin over the framework-neutral LoginCore
// (docs/protocol.md): it declares `request.auth`, serves `POST /auth/login` and `POST
// /auth/logout`, and decorates the instance with the two onRequest hooks protected routes use
// (`app.loginProtocol.requireAuth`: a bearer, else an X-WX-Code login, rotated tokens and the
// login's token written back in X-Session-Token; `requireBearer`). The reference server is built
// on it; the Express middleware (express/) is the same adapter for Express.
//
//   const { core } = await createLoginCore<FastifyRequest>({ wechat, sessionSecret, … })
//   await app.register(loginProtocol, { core })
//   app.get('/orders', { onRequest: app.loginProtocol.requireAuth }, (req) => …req.auth!.userId…)
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { protocolErrorAnswer, type LoginCore } from '../core'
import { loginHooks, requireAuthContext } from '../plugins/auth'
import { answerError } from '../plugins/error-handler'
import { LoginBody, LoginResponse, OkResponse } from '../schemas/auth'
import { AuthHeaders, errorResponses } from '../schemas/common'
import { toUserJson } from '../services/users'

export interface LoginProtocolOptions {
  core: LoginCore<FastifyRequest>
  /** Default `/auth/login` (the kit's `loginPath`). */
  loginPath?: string
  /** Default `/auth/logout` (the kit's `logoutPath`). */
  logoutPath?: string
}

type OnRequestHook = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | void>

export interface LoginProtocolDecoration {
  core: LoginCore<FastifyRequest>
  requireAuth: OnRequestHook
  requireBearer: OnRequestHook
}

/**
 * A hook that answers the protocol's own failures itself (401 SESSION_*, an X-WX-Code login's
 * LOGIN_CODE_*, WECHAT_*, RATE_LIMITED with Retry-After), in the protocol's envelope and through
 * the reference server's error handler, whatever error handler the host app has; anything else
 * goes on to the host's handler.
 */
function answeringProtocolErrors(
  hook: (req: FastifyRequest, reply: FastifyReply) => Promise<void>,
): OnRequestHook {
  return async (req, reply) => {
    try {
      await hook(req, reply)
    } catch (err) {
      if (protocolErrorAnswer(err) === null) throw err
      return answerError(err, req, reply)
    }
    return undefined
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    loginProtocol: LoginProtocolDecoration
  }
}

export const loginProtocol = fp<LoginProtocolOptions>(
  async (app, { core, loginPath = '/auth/login', logoutPath = '/auth/logout' }) => {
    const hooks = loginHooks(core)
    // (an app that declared request.auth itself, as the reference server does first thing, keeps it)
    if (!app.hasRequestDecorator('auth')) app.decorateRequest('auth', null)
    app.decorate('loginProtocol', {
      core,
      requireAuth: answeringProtocolErrors(hooks.requireAuth),
      requireBearer: answeringProtocolErrors(hooks.requireBearer),
    })
    // The two routes live in a context of their own whose error handler is the reference
    // server's (the same function): a bare Fastify host gets the protocol's statuses and
    // envelope (400 LOGIN_CODE_INVALID, 401 on logout…), not Fastify's default error body.
    await app.register(async (routes) => {
      routes.setErrorHandler(answerError)
      protocolRoutes(routes, core, hooks.requireBearer, loginPath, logoutPath)
    })
  },
  { name: 'wx-login-protocol', fastify: '5.x' },
)

function protocolRoutes(
  app: FastifyInstance,
  core: LoginCore<FastifyRequest>,
  requireBearer: (req: FastifyRequest) => Promise<void>,
  loginPath: string,
  logoutPath: string,
): void {
  app.post<{ Body: { code: string } }>(
    loginPath,
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with a wx.login code (code2Session)',
        body: LoginBody,
        response: { 200: LoginResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await core.login(req.body.code, req)
      reply.header('Cache-Control', 'no-store')
      return { token: r.token, expiresIn: r.expiresIn, user: toUserJson(r.user) }
    },
  )

  app.post(
    logoutPath,
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke this session at once, on every instance',
        headers: AuthHeaders,
        security: [{ bearer: [] }],
        response: { 200: OkResponse, ...errorResponses },
      },
      onRequest: requireBearer,
    },
    async (req) => {
      await core.logout(requireAuthContext(req))
      return { ok: true }
    },
  )
}
