import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { LoginBody, LoginResponse, OkResponse } from '../schemas/auth'
import { AuthHeaders, errorResponses } from '../schemas/common'
import type { Services } from '../services'
import { toUserJson } from '../services/users'
import { requireAuthContext } from '../plugins/auth'

export const authRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with a wx.login code (code2Session)',
        body: LoginBody,
        response: { 200: LoginResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await services.auth.login(req.body.code, req)
      reply.header('Cache-Control', 'no-store')
      return { token: r.token, expiresIn: r.expiresIn, user: toUserJson(r.user) }
    },
  )

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke this session at once, on every instance',
        headers: AuthHeaders,
        security: [{ bearer: [] }],
        response: { 200: OkResponse, ...errorResponses },
      },
      onRequest: services.auth.requireBearer,
    },
    async (req) => {
      await services.sessions.revoke(requireAuthContext(req).sessionId)
      return { ok: true }
    },
  )
}
