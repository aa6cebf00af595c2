// POST /me/subscriptions: the app reports each requestSubscribeMessage result; each 'accept' of
// the order-status template lets the server send the user one message.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireAuthContext } from '../plugins/auth'
import { AuthHeaders, errorResponses, secured } from '../schemas/common'
import { SubscriptionCredits, SubscriptionResultsBody } from '../schemas/subscriptions'
import type { Services } from '../services'

export const subscriptionRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.post(
    '/me/subscriptions',
    {
      schema: {
        tags: ['me'],
        summary: 'Record requestSubscribeMessage results; each accept is one send credit',
        headers: AuthHeaders,
        body: SubscriptionResultsBody,
        response: { 200: SubscriptionCredits, ...errorResponses },
        ...secured,
      },
      onRequest: services.auth.requireAuth,
    },
    async (req) => services.subscriptions.record(requireAuthContext(req).userId, req.body.results),
  )

  app.get(
    '/me/subscriptions',
    {
      schema: {
        tags: ['me'],
        summary: 'Order-status messages the server may still send the user',
        headers: AuthHeaders,
        response: { 200: SubscriptionCredits, ...errorResponses },
        ...secured,
      },
      onRequest: services.auth.requireAuth,
    },
    async (req) => ({
      credits: await services.subscriptions.unusedCredits(requireAuthContext(req).userId),
    }),
  )
}
