import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { badRequest, notFound } from '../errors'
import { requireAuthContext } from '../plugins/auth'
import { AuthHeaders, errorResponses, secured } from '../schemas/common'
import {
  CreateOrderBody,
  IdempotencyHeaders,
  MenuResponse,
  Order,
  OrderList,
  OrderParams,
} from '../schemas/shop'
import type { Services } from '../services'
import { MENU } from '../services/menu'

export const shopRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  /** The options of a route on one of the user's orders (`:id`) that answers that order. */
  const oneOrderRoute = (summary: string) => ({
    schema: {
      tags: ['shop'],
      summary,
      headers: AuthHeaders,
      params: OrderParams,
      response: { 200: Order, ...errorResponses },
      ...secured,
    },
    onRequest: services.auth.requireAuth,
  })

  app.get(
    '/menu',
    {
      schema: {
        tags: ['shop'],
        summary: 'The demo menu (prices in fen)',
        response: { 200: MenuResponse, ...errorResponses },
      },
    },
    async () => ({ currency: 'CNY' as const, categories: MENU }),
  )

  app.post(
    '/orders',
    {
      schema: {
        tags: ['shop'],
        summary: 'Place an order; a repeated Idempotency-Key returns the first order (200)',
        headers: IdempotencyHeaders,
        body: CreateOrderBody,
        response: { 200: Order, 201: Order, ...errorResponses },
        ...secured,
      },
      onRequest: services.auth.requireAuth,
    },
    async (req, reply) => {
      const auth = requireAuthContext(req)
      const key = req.headers['idempotency-key']
      if (typeof key !== 'string' || key === '') {
        throw badRequest('IDEMPOTENCY_KEY_REQUIRED', 'the Idempotency-Key header is required')
      }
      const { order, created } = await services.orders.create(auth.userId, key, req.body)
      return reply.code(created ? 201 : 200).send(order)
    },
  )

  app.get(
    '/orders',
    {
      schema: {
        tags: ['shop'],
        summary: "The user's orders, newest first",
        headers: AuthHeaders,
        response: { 200: OrderList, ...errorResponses },
        ...secured,
      },
      onRequest: services.auth.requireAuth,
    },
    async (req) => ({ orders: await services.orders.list(requireAuthContext(req).userId) }),
  )

  app.get('/orders/:id', oneOrderRoute('One of the user’s orders'), async (req) => {
    const order = await services.orders.get(requireAuthContext(req).userId, req.params.id)
    if (order === undefined) throw notFound('no such order')
    return order
  })

  app.post(
    '/orders/:id/cancel',
    oneOrderRoute(
      'Cancel one of the user’s orders while it is placed (409 otherwise, nothing changes)',
    ),
    async (req) => {
      const userId = requireAuthContext(req).userId
      const { order } = await services.statusChanges.change(
        req.params.id,
        'cancelled',
        'user',
        userId,
      )
      return order
    },
  )
}
