// Orders move: placed → accepted → ready → completed, and cancelled (the user while placed, the
// merchant before completion). Each change is recorded with its time; an illegal change is a 409
// that changes nothing, also when two changes race.
import { canChange, ORDER_STATUSES } from '../src/services/order-status'
import { authHeader } from './helpers'
import { useTestApp } from './support/test-app'

let clockMs = Date.UTC(2026, 0, 15, 4, 0)
const t = useTestApp({ now: () => clockMs, outbox: { autoStart: false } })

async function placeOrder(token: string) {
  const res = await t.inject({
    method: 'POST',
    url: '/orders',
    headers: { ...authHeader(token), 'idempotency-key': `k-${Math.random()}` },
    payload: { items: [{ itemId: 'beef-noodles', quantity: 1 }] },
  })
  expect(res.statusCode).toBe(201)
  return res.json<{ id: string }>()
}

async function readOrder(token: string, id: string) {
  const res = await t.inject({ method: 'GET', url: `/orders/${id}`, headers: authHeader(token) })
  expect(res.statusCode).toBe(200)
  return res.json<{
    status: string
    cancellable: boolean
    updatedAt: string
    timeline: { status: string; at: string }[]
  }>()
}

const cancel = (token: string, id: string) =>
  t.inject({ method: 'POST', url: `/orders/${id}/cancel`, headers: authHeader(token) })

test('the rules: the merchant moves forward one step or cancels before completion; the user only cancels while placed', () => {
  const allowed: string[] = []
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      if (canChange(from, to, 'merchant')) allowed.push(`merchant ${from}→${to}`)
      if (canChange(from, to, 'user')) allowed.push(`user ${from}→${to}`)
    }
  }
  expect(allowed.sort()).toEqual(
    [
      'merchant placed→accepted',
      'merchant accepted→ready',
      'merchant ready→completed',
      'merchant placed→cancelled',
      'merchant accepted→cancelled',
      'merchant ready→cancelled',
      'user placed→cancelled',
    ].sort(),
  )
})

test('each change is recorded with its time, in order, and read back in the timeline', async () => {
  const { token } = await t.login()
  const o = await placeOrder(token)
  const placedAt = new Date(clockMs).toISOString()
  for (const status of ['accepted', 'ready', 'completed'] as const) {
    clockMs += 60_000
    await t.services.statusChanges.change(o.id, status, 'merchant')
  }
  const read = await readOrder(token, o.id)
  expect(read.status).toBe('completed')
  expect(read.cancellable).toBe(false)
  expect(read.updatedAt).toBe(new Date(clockMs).toISOString())
  expect(read.timeline).toEqual([
    { status: 'placed', at: placedAt },
    { status: 'accepted', at: new Date(clockMs - 120_000).toISOString() },
    { status: 'ready', at: new Date(clockMs - 60_000).toISOString() },
    { status: 'completed', at: new Date(clockMs).toISOString() },
  ])
  const list = await t.inject({ method: 'GET', url: '/orders', headers: authHeader(token) })
  expect(list.json().orders[0].timeline).toHaveLength(4)
})

describe('POST /orders/:id/cancel', () => {
  test('cancels a placed order; a second cancel is 409 and changes nothing', async () => {
    const { token } = await t.login()
    const o = await placeOrder(token)
    expect((await readOrder(token, o.id)).cancellable).toBe(true)
    const first = await cancel(token, o.id)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({ id: o.id, status: 'cancelled', cancellable: false })
    const second = await cancel(token, o.id)
    expect(second.statusCode).toBe(409)
    expect(second.json().error.code).toBe('ORDER_STATUS_CONFLICT')
    expect((await readOrder(token, o.id)).timeline.map((e) => e.status)).toEqual([
      'placed',
      'cancelled',
    ])
  })

  test('refuses once the merchant accepted (409), leaving status and timeline as they were', async () => {
    const { token } = await t.login()
    const o = await placeOrder(token)
    await t.services.statusChanges.change(o.id, 'accepted', 'merchant')
    const before = await readOrder(token, o.id)
    const res = await cancel(token, o.id)
    expect(res.statusCode).toBe(409)
    expect(res.json()).toEqual({
      error: { code: 'ORDER_STATUS_CONFLICT', message: expect.stringMatching(/accepted/) },
    })
    expect(await readOrder(token, o.id)).toEqual(before)
  })

  test("another user's order is 404 and stays placed; no session is 401", async () => {
    const owner = await t.login()
    const other = await t.login()
    const o = await placeOrder(owner.token)
    expect((await cancel(other.token, o.id)).statusCode).toBe(404)
    expect((await readOrder(owner.token, o.id)).status).toBe('placed')
    const anonymous = await t.inject({ method: 'POST', url: `/orders/${o.id}/cancel` })
    expect(anonymous.statusCode).toBe(401)
    expect((await cancel(owner.token, 'o-does-not-exist')).statusCode).toBe(404)
  })

  test('the user cancelling and the merchant accepting at once: exactly one wins', async () => {
    for (let round = 0; round < 10; round++) {
      const { token } = await t.login()
      const o = await placeOrder(token)
      const [userSide, merchantSide] = await Promise.allSettled([
        cancel(token, o.id),
        t.services.statusChanges.change(o.id, 'accepted', 'merchant'),
      ])
      const userWon = userSide.status === 'fulfilled' && userSide.value.statusCode === 200
      const merchantWon = merchantSide.status === 'fulfilled'
      expect(userWon !== merchantWon).toBe(true)
      const read = await readOrder(token, o.id)
      expect(read.status).toBe(userWon ? 'cancelled' : 'accepted')
      expect(read.timeline).toHaveLength(2)
    }
  })
})

test('ten concurrent identical moves: one succeeds, nine are 409, one event recorded', async () => {
  const { token } = await t.login()
  const o = await placeOrder(token)
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, () => t.services.statusChanges.change(o.id, 'accepted', 'merchant')),
  )
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
  for (const r of results) {
    if (r.status === 'rejected') expect(r.reason).toMatchObject({ statusCode: 409 })
  }
  expect((await readOrder(token, o.id)).timeline.map((e) => e.status)).toEqual([
    'placed',
    'accepted',
  ])
})
