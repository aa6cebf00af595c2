import { authHeader } from './helpers'
import { useTestApp } from './support/test-app'

const t = useTestApp()

const order = {
  items: [
    { itemId: 'beef-noodles', quantity: 2 },
    { itemId: 'milk-tea', quantity: 1 },
  ],
}

async function countOrders(userId: string): Promise<number> {
  const r = await t.services.db.kysely
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

describe('GET /menu', () => {
  test('answers the demo menu without a session, prices in fen', async () => {
    const res = await t.inject({ method: 'GET', url: '/menu' })
    expect(res.statusCode).toBe(200)
    const menu = res.json()
    expect(menu.currency).toBe('CNY')
    expect(menu.categories.length).toBeGreaterThanOrEqual(2)
    for (const c of menu.categories) {
      expect(c.name).toMatch(/[\u4e00-\u9fff]/)
      for (const i of c.items) expect(Number.isInteger(i.price)).toBe(true)
    }
  })
})

describe('POST /orders', () => {
  test('creates an order (201) and a repeat with the same key returns it (200)', async () => {
    const { token, userId } = await t.login()
    const headers = { ...authHeader(token), 'idempotency-key': 'k-1' }
    const first = await t.inject({ method: 'POST', url: '/orders', headers, payload: order })
    expect(first.statusCode).toBe(201)
    const o = first.json()
    expect(o).toEqual({
      id: expect.any(String),
      items: [
        { itemId: 'beef-noodles', name: '红烧牛肉面', price: 2800, quantity: 2 },
        { itemId: 'milk-tea', name: '珍珠奶茶', price: 1200, quantity: 1 },
      ],
      total: 6800,
      status: 'placed',
      remark: null,
      address: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      timeline: [{ status: 'placed', at: expect.any(String) }],
      cancellable: true,
    })
    const again = await t.inject({ method: 'POST', url: '/orders', headers, payload: order })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual(o)
    expect(await countOrders(userId)).toBe(1)
  })

  test('keeps the delivery address; an address with control characters is refused', async () => {
    const { token, userId } = await t.login()
    const headers = { ...authHeader(token), 'idempotency-key': 'addr-1' }
    const address = '上海市徐汇区漕溪北路 88 号 3 楼'
    const r = await t.inject({
      method: 'POST',
      url: '/orders',
      headers,
      payload: { ...order, address },
    })
    expect(r.statusCode).toBe(201)
    expect(r.json()).toMatchObject({ address })
    const read = await t.inject({
      method: 'GET',
      url: `/orders/${r.json<{ id: string }>().id}`,
      headers,
    })
    expect(read.json()).toMatchObject({ address })
    const bad = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...headers, 'idempotency-key': 'addr-2' },
      payload: { ...order, address: 'a\u0000b' },
    })
    expect(bad.statusCode).toBe(400)
    expect(await countOrders(userId)).toBe(1)
  })

  test('20 concurrent repeats create exactly one order', async () => {
    const { token, userId } = await t.login()
    const headers = { ...authHeader(token), 'idempotency-key': 'concurrent-1' }
    const rs = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.inject({ method: 'POST', url: '/orders', headers, payload: order }),
      ),
    )
    const statuses = rs.map((r) => r.statusCode).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 200)).toHaveLength(19)
    expect(new Set(rs.map((r) => r.json().id)).size).toBe(1)
    expect(await countOrders(userId)).toBe(1)
  })

  test('the same key from another user is another order', async () => {
    const a = await t.login()
    const b = await t.login()
    const ra = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...authHeader(a.token), 'idempotency-key': 'shared' },
      payload: order,
    })
    const rb = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...authHeader(b.token), 'idempotency-key': 'shared' },
      payload: order,
    })
    expect(ra.statusCode).toBe(201)
    expect(rb.statusCode).toBe(201)
    expect(ra.json().id).not.toBe(rb.json().id)
  })

  test('a reused key with a different order answers 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const { token, userId } = await t.login()
    const headers = { ...authHeader(token), 'idempotency-key': 'k-2' }
    await t.inject({ method: 'POST', url: '/orders', headers, payload: order })
    const res = await t.inject({
      method: 'POST',
      url: '/orders',
      headers,
      payload: { items: [{ itemId: 'soy-milk', quantity: 1 }] },
    })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED')
    expect(await countOrders(userId)).toBe(1)
  })

  test('without Idempotency-Key answers 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    const { token, userId } = await t.login()
    const res = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: authHeader(token),
      payload: order,
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED')
    expect(await countOrders(userId)).toBe(0)
  })

  test.each([
    [{ items: [] }, 'VALIDATION_FAILED'],
    [{ items: [{ itemId: 'beef-noodles', quantity: 0 }] }, 'VALIDATION_FAILED'],
    [{ items: [{ itemId: 'beef-noodles', quantity: 1.5 }] }, 'VALIDATION_FAILED'],
    [{ items: [{ itemId: 'beef-noodles', quantity: '2' }] }, 'VALIDATION_FAILED'],
    [{ items: [{ itemId: 'nope', quantity: 1 }] }, 'ORDER_INVALID'],
    [{ items: [{ itemId: 'beef-noodles', quantity: 1 }], total: 1 }, 'VALIDATION_FAILED'],
  ])('%j answers 400 %s', async (payload, code) => {
    const { token, userId } = await t.login()
    const res = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...authHeader(token), 'idempotency-key': 'x' },
      payload,
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe(code)
    expect(await countOrders(userId)).toBe(0)
  })

  test('needs a session; X-WX-Code works too', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'idempotency-key': 'a' },
      payload: order,
    })
    expect(res.statusCode).toBe(401)
    const { code } = t.mintCode()
    const viaCode = await t.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'x-wx-code': code, 'idempotency-key': 'a' },
      payload: order,
    })
    expect(viaCode.statusCode).toBe(201)
    expect(viaCode.headers['x-session-token']).toEqual(expect.any(String))
  })
})

describe('GET /orders, GET /orders/:id', () => {
  test('lists the user’s own orders, newest first, and reads one', async () => {
    const a = await t.login()
    const b = await t.login()
    const ids: string[] = []
    for (const k of ['o1', 'o2']) {
      const r = await t.inject({
        method: 'POST',
        url: '/orders',
        headers: { ...authHeader(a.token), 'idempotency-key': k },
        payload: order,
      })
      ids.push(r.json().id)
    }
    await t.inject({
      method: 'POST',
      url: '/orders',
      headers: { ...authHeader(b.token), 'idempotency-key': 'o1' },
      payload: order,
    })
    const list = await t.inject({ method: 'GET', url: '/orders', headers: authHeader(a.token) })
    expect(list.statusCode).toBe(200)
    expect(
      list
        .json()
        .orders.map((o: { id: string }) => o.id)
        .sort(),
    ).toEqual([...ids].sort())
    const one = await t.inject({
      method: 'GET',
      url: `/orders/${ids[0]}`,
      headers: authHeader(a.token),
    })
    expect(one.statusCode).toBe(200)
    expect(one.json().id).toBe(ids[0])
    const notMine = await t.inject({
      method: 'GET',
      url: `/orders/${ids[0]}`,
      headers: authHeader(b.token),
    })
    expect(notMine.statusCode).toBe(404)
    expect(notMine.json().error.code).toBe('NOT_FOUND')
    const missing = await t.inject({
      method: 'GET',
      url: '/orders/nope',
      headers: authHeader(a.token),
    })
    expect(missing.statusCode).toBe(404)
    expect((await t.inject({ method: 'GET', url: '/orders' })).statusCode).toBe(401)
  })
})
