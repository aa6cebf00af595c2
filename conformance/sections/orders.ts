// Idempotent orders, for back ends that have the demo shop (docs/protocol.md "Retries,
// Retry-After and idempotency"). Optional: skipped with a note when GET /menu is not served.
import crypto from 'node:crypto'
import { expectError, expectStatus, expectTrue } from '../expect'
import { isObject } from '../http'
import { bearer, login } from '../steps'
import type { Context, Section } from '../suite'

/** The first item on the menu that can be ordered. */
async function orderableItem(ctx: Context): Promise<string> {
  const menu = await ctx.api.request('/menu')
  const categories =
    isObject(menu.json) && Array.isArray(menu.json.categories) ? menu.json.categories : []
  for (const c of categories) {
    const items = isObject(c) && Array.isArray(c.items) ? c.items : []
    for (const item of items) {
      if (isObject(item) && typeof item.id === 'string' && item.soldOut !== true) return item.id
    }
  }
  throw new Error('GET /menu lists no item that can be ordered')
}

function orderId(v: unknown): string {
  expectTrue(
    isObject(v) && typeof v.id === 'string',
    `expected an order with an id, got ${JSON.stringify(v)?.slice(0, 160)}`,
  )
  return v.id
}

export const idempotentOrders: Section = {
  name: 'idempotent orders (optional)',
  skipReason: async (ctx) => {
    const menu = await ctx.api.request('/menu')
    return menu.status === 200
      ? null
      : `GET /menu answered ${menu.status}: this back end has no demo shop`
  },
  checks: [
    {
      name: 'POST /orders without Idempotency-Key is 400 IDEMPOTENCY_KEY_REQUIRED',
      run: async (ctx) => {
        const s = await login(ctx)
        const itemId = await orderableItem(ctx)
        const res = await ctx.api.request('/orders', {
          method: 'POST',
          headers: bearer(s.token),
          body: { items: [{ itemId, quantity: 1 }] },
        })
        expectError(res, 400, 'IDEMPOTENCY_KEY_REQUIRED', 'POST /orders without a key')
      },
    },
    {
      name: 'a key places one order: 201, the retry 200 with the same order, another body 409',
      run: async (ctx) => {
        const s = await login(ctx)
        const itemId = await orderableItem(ctx)
        const key = crypto.randomUUID()
        const place = (quantity: number) =>
          ctx.api.request('/orders', {
            method: 'POST',
            headers: { ...bearer(s.token), 'idempotency-key': key },
            body: { items: [{ itemId, quantity }] },
          })
        const first = await place(1)
        expectStatus(first, 201, 'the first POST /orders')
        const retry = await place(1)
        expectStatus(retry, 200, 'the retry with the same key and body')
        expectTrue(orderId(retry.json) === orderId(first.json), 'the retry answered another order')
        expectError(await place(2), 409, 'IDEMPOTENCY_KEY_REUSED', 'the same key with another body')
        const list = await ctx.api.request('/orders', { headers: bearer(s.token) })
        expectStatus(list, 200, 'GET /orders')
        const orders =
          isObject(list.json) && Array.isArray(list.json.orders) ? list.json.orders : []
        expectTrue(orders.length === 1, `GET /orders lists ${orders.length} orders, not 1`)
      },
    },
  ],
}
