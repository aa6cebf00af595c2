// Subscription messages end to end on the server: POST /me/subscriptions gives credits, a status
// change spends one on one queued message, the outbox sends it through the WeChat client to the
// simulated WeChat, which applies the platform's rules (43101, 40037, 47003, 41030, 40001).
// The outbox runs on an injected clock, driven by hand: no sleeps.
import { DEFAULT_ORDER_STATUS_TEMPLATE_ID } from '../src/config'
import { createSimWeChat, type SimWeChat } from '../src/wechat'
import { MessageOutbox } from '../src/services/outbox'
import { WeChatApiError, type SubscribeMessage } from '../src/wechat/types'
import {
  authHeader,
  createTestApp,
  useLeakCheck,
  type TestApp,
  type TestAppOptions,
} from './helpers'
import { sharedStorage, useSharedStorageCleanup, type SharedStorage } from './support/storage'
import { sampleOrderStatusMessage } from './support/subscribe-message'
import { withTestApp } from './support/test-app'

useLeakCheck()
useSharedStorageCleanup()

const TEMPLATE = DEFAULT_ORDER_STATUS_TEMPLATE_ID
const T0 = Date.UTC(2026, 0, 15, 4, 30) // 12:30 in China

let clockMs = T0
const now = (): number => clockMs
/** An app on the test clock whose outbox the test drains by hand. */
function manualOptions(o: { sim?: SimWeChat; shared?: SharedStorage } = {}): TestAppOptions {
  return {
    now,
    outbox: { autoStart: false, baseBackoffMs: 1000, leaseMs: 60_000 },
    ...(o.sim ? { sim: o.sim } : {}),
    ...(o.shared ?? {}),
  }
}

function manualApp(o: { sim?: SimWeChat; shared?: SharedStorage } = {}): Promise<TestApp> {
  return createTestApp(manualOptions(o))
}

async function placeOrder(t: TestApp, token: string, key = `k-${Math.random()}`) {
  const res = await t.inject({
    method: 'POST',
    url: '/orders',
    headers: { ...authHeader(token), 'idempotency-key': key },
    payload: { items: [{ itemId: 'beef-noodles', quantity: 1 }] },
  })
  expect(res.statusCode).toBe(201)
  return res.json<{ id: string; total: number }>()
}

async function subscribe(t: TestApp, token: string, answer = 'accept', templateId = TEMPLATE) {
  const res = await t.inject({
    method: 'POST',
    url: '/me/subscriptions',
    headers: authHeader(token),
    payload: { results: { [templateId]: answer } },
  })
  expect(res.statusCode).toBe(200)
  return res.json<{ credits: number }>()
}

/** The user accepted in WeChat (the sim learns it) and the app reported it (a server credit). */
async function acceptBothSides(t: TestApp, token: string, openid: string) {
  t.sim.acceptSubscription(openid, TEMPLATE)
  return subscribe(t, token)
}

async function outboxRows(t: TestApp) {
  return t.services.db.kysely
    .selectFrom('message_outbox')
    .selectAll()
    .orderBy('created_at')
    .execute()
}

async function userReady(t: TestApp) {
  const user = await t.login()
  const order = await placeOrder(t, user.token)
  return { ...user, order }
}

/** A user whose order the merchant accepted after the user subscribed: one message queued. */
async function messageQueued(t: TestApp) {
  const u = await userReady(t)
  await acceptBothSides(t, u.token, u.openid)
  await t.services.statusChanges.change(u.order.id, 'accepted', 'merchant')
  return u
}

/** The outbox row of the order's message. */
async function outboxRowOf(t: TestApp, orderId: string) {
  return (await outboxRows(t)).find((r) => r.order_id === orderId)
}

describe('POST /me/subscriptions', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await manualApp()
  })
  afterAll(() => t.close())

  test('each accept of the order-status template is one credit; other answers give none', async () => {
    const { token } = await t.login()
    expect(await subscribe(t, token, 'reject')).toEqual({ credits: 0 })
    expect(await subscribe(t, token, 'ban')).toEqual({ credits: 0 })
    expect(await subscribe(t, token, 'filter')).toEqual({ credits: 0 })
    expect(await subscribe(t, token, 'accept', 'SOME_OTHER_TEMPLATE')).toEqual({ credits: 0 })
    expect(await subscribe(t, token)).toEqual({ credits: 1 })
    expect(await subscribe(t, token)).toEqual({ credits: 2 })
    const read = await t.inject({
      method: 'GET',
      url: '/me/subscriptions',
      headers: authHeader(token),
    })
    expect(read.json()).toEqual({ credits: 2 })
  })

  test('refuses an unknown answer, more than 5 templates, and a caller without a session', async () => {
    const { token } = await t.login()
    const bad = await t.inject({
      method: 'POST',
      url: '/me/subscriptions',
      headers: authHeader(token),
      payload: { results: { [TEMPLATE]: 'yes' } },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('VALIDATION_FAILED')
    const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`T${i}`, 'accept']))
    const tooMany = await t.inject({
      method: 'POST',
      url: '/me/subscriptions',
      headers: authHeader(token),
      payload: { results: many },
    })
    expect(tooMany.statusCode).toBe(400)
    const anonymous = await t.inject({
      method: 'POST',
      url: '/me/subscriptions',
      payload: { results: { [TEMPLATE]: 'accept' } },
    })
    expect(anonymous.statusCode).toBe(401)
  })
})

describe('a status change sends one message per credit', () => {
  let t: TestApp
  beforeAll(async () => {
    clockMs = T0
    t = await manualApp()
  })
  afterAll(() => t.close())

  test('the message opens the order, carries its data, and spends the credit', async () => {
    const u = await userReady(t)
    await acceptBothSides(t, u.token, u.openid)
    const changed = await t.services.statusChanges.change(u.order.id, 'accepted', 'merchant')
    expect(changed.messageQueued).toBe(true)
    expect(await t.services.subscriptions.unusedCredits(u.userId)).toBe(0)
    expect(t.sim.deliveredMessages(u.openid)).toEqual([]) // queued, not yet sent
    expect(await t.services.outbox.drainOnce()).toBe(1)
    const [message, ...others] = t.sim.deliveredMessages(u.openid)
    expect(others).toEqual([])
    expect(message).toMatchObject({
      templateId: TEMPLATE,
      page: `pages/order-detail/index?id=${u.order.id}`,
      data: {
        character_string1: u.order.id,
        phrase2: '已接单',
        amount3: `${(u.order.total / 100).toFixed(2)}元`,
        time4: '2026-01-15 12:30',
      },
    })
    expect((await outboxRows(t)).map((r) => r.state)).toEqual(['sent'])

    // A second change with no new accept queues and sends nothing.
    const again = await t.services.statusChanges.change(u.order.id, 'ready', 'merchant')
    expect(again.messageQueued).toBe(false)
    expect(await t.services.outbox.drainOnce()).toBe(0)
    expect(t.sim.deliveredMessages(u.openid)).toHaveLength(1)
  })

  test('two accepts pay for two changes, and the user cancelling spends one too', async () => {
    const u = await userReady(t)
    await acceptBothSides(t, u.token, u.openid)
    await acceptBothSides(t, u.token, u.openid)
    const cancel = await t.inject({
      method: 'POST',
      url: `/orders/${u.order.id}/cancel`,
      headers: authHeader(u.token),
    })
    expect(cancel.statusCode).toBe(200)
    await t.services.outbox.drainOnce()
    expect(t.sim.deliveredMessages(u.openid).map((m) => m.data.phrase2)).toEqual(['已取消'])
    expect(await t.services.subscriptions.unusedCredits(u.userId)).toBe(1)
  })

  test('43101 (the user accepted nothing in WeChat): the credit is dropped, never retried', async () => {
    const u = await userReady(t)
    await subscribe(t, u.token) // a credit on our side only
    await t.services.statusChanges.change(u.order.id, 'accepted', 'merchant')
    const before = t.sim.stats.calls.subscribe_send
    await t.services.outbox.drainOnce()
    expect(t.sim.stats.calls.subscribe_send).toBe(before + 1)
    const row = (await outboxRowOf(t, u.order.id))!
    expect(row.state).toBe('dropped')
    expect(row.last_error).toMatch(/^43101/)
    clockMs += 24 * 3600_000
    expect(await t.services.outbox.drainOnce()).toBe(0)
    expect(t.sim.stats.calls.subscribe_send).toBe(before + 1)
  })

  test.each([
    ['an HTTP 502', { status: 502 }],
    ['errcode -1 (system busy)', { errcode: -1 }],
  ])('%s is retried with backoff, then sent once', async (_name, fault) => {
    const u = await messageQueued(t)
    t.sim.faults.add('subscribe_send', { ...fault, times: 2 })
    await t.services.outbox.drainOnce()
    let row = (await outboxRowOf(t, u.order.id))!
    expect(row).toMatchObject({ state: 'pending', attempts: 1, due_at: clockMs + 1000 })
    expect(await t.services.outbox.drainOnce()).toBe(0) // not due yet
    clockMs += 1000
    await t.services.outbox.drainOnce()
    row = (await outboxRowOf(t, u.order.id))!
    expect(row).toMatchObject({ state: 'pending', attempts: 2, due_at: clockMs + 2000 })
    clockMs += 2000
    await t.services.outbox.drainOnce()
    row = (await outboxRowOf(t, u.order.id))!
    expect(row).toMatchObject({ state: 'sent', attempts: 3 })
    expect(t.sim.deliveredMessages(u.openid)).toHaveLength(1)
  })

  test('a send that times out is retried with backoff, then sent once', async () => {
    const sim = createSimWeChat({ virtualTimers: true })
    await withTestApp(manualOptions({ sim }), async (other) => {
      const u = await messageQueued(other)
      await other.services.wechat.getAccessToken()
      sim.faults.add('subscribe_send', { timeout: true })
      const draining = other.services.outbox.drainOnce()
      // The client's 5 s request timeout runs on the simulator's virtual clock.
      await waitFor(async () => sim.stats.calls.subscribe_send === 1)
      sim.clock.advance(5000)
      await draining
      expect((await outboxRows(other))[0]).toMatchObject({
        state: 'pending',
        attempts: 1,
        due_at: clockMs + 1000,
      })
      expect((await outboxRows(other))[0]!.last_error).toMatch(/^-1 request timed out/)
      clockMs += 1000
      await other.services.outbox.drainOnce()
      expect((await outboxRows(other))[0]).toMatchObject({ state: 'sent', attempts: 2 })
      expect(sim.deliveredMessages(u.openid)).toHaveLength(1)
    })
  })

  test('an answer lost after WeChat delivered (malformed): the retry gets 43101, one message', async () => {
    const u = await messageQueued(t)
    t.sim.faults.add('subscribe_send', { malformed: true })
    await t.services.outbox.drainOnce()
    expect(await outboxRowOf(t, u.order.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
    })
    clockMs += 1000
    await t.services.outbox.drainOnce()
    expect(await outboxRowOf(t, u.order.id)).toMatchObject({
      state: 'dropped',
      attempts: 2,
    })
    expect(t.sim.deliveredMessages(u.openid)).toHaveLength(1)
  })

  test('40001: the client refreshes the access_token and replays once; one message', async () => {
    const u = await userReady(t)
    await acceptBothSides(t, u.token, u.openid)
    await t.services.wechat.getAccessToken() // cached
    t.sim.rotateStableToken() // the cached token now answers 40001
    const tokensBefore = t.sim.stats.calls.stable_token
    const sendsBefore = t.sim.stats.calls.subscribe_send
    await t.services.statusChanges.change(u.order.id, 'accepted', 'merchant')
    await t.services.outbox.drainOnce()
    expect(t.sim.stats.calls.stable_token).toBe(tokensBefore + 1)
    expect(t.sim.stats.calls.subscribe_send).toBe(sendsBefore + 2)
    expect(t.sim.deliveredMessages(u.openid)).toHaveLength(1)
    expect((await outboxRowOf(t, u.order.id))!.state).toBe('sent')
  })
})

describe('the simulated WeChat refuses sends by the platform rules', () => {
  const message = (over: Partial<SubscribeMessage> = {}): SubscribeMessage =>
    sampleOrderStatusMessage('o-user-1', over)

  async function errcodeOf(t: TestApp, m: SubscribeMessage): Promise<number> {
    try {
      await t.services.wechat.sendSubscribeMessage(m)
      return 0
    } catch (e) {
      if (!(e instanceof WeChatApiError)) throw e
      return e.errcode
    }
  }

  let t: TestApp
  beforeAll(async () => {
    t = await manualApp()
  })
  afterAll(() => t.close())

  test('43101 without an accept, 0 once with one, 43101 again after it is used', async () => {
    expect(await errcodeOf(t, message())).toBe(43101)
    t.sim.acceptSubscription('o-user-1', TEMPLATE)
    expect(await errcodeOf(t, message())).toBe(0)
    expect(await errcodeOf(t, message())).toBe(43101)
  })

  test('an accept for another user or template does not count', async () => {
    t.sim.acceptSubscription('o-user-2', TEMPLATE)
    expect(await errcodeOf(t, message())).toBe(43101)
  })

  test('40037 unknown template, 47003 data not matching, 41030 unknown page', async () => {
    t.sim.acceptSubscription('o-user-1', TEMPLATE)
    expect(await errcodeOf(t, message({ template_id: 'NOPE' }))).toBe(40037)
    expect(await errcodeOf(t, message({ page: 'pages/nope/index?id=1' }))).toBe(41030)
    const { phrase2: _dropped, ...missing } = message().data
    expect(await errcodeOf(t, message({ data: missing }))).toBe(47003)
    const tooLong = { ...message().data, phrase2: { value: '已经接单了哦' } }
    expect(await errcodeOf(t, message({ data: tooLong }))).toBe(47003)
    const extra = { ...message().data, thing9: { value: 'x' } }
    expect(await errcodeOf(t, message({ data: extra }))).toBe(47003)
    // None of those spent the accept.
    expect(await errcodeOf(t, message())).toBe(0)
  })

  test('the control routes: an accept learned over HTTP allows one delivery, listed by openid', async () => {
    const accept = await t.inject({
      method: 'POST',
      url: '/__sim/subscribe-accept',
      payload: { openid: 'o-http-user', templateId: TEMPLATE },
    })
    expect(accept.statusCode).toBe(204)
    expect(await errcodeOf(t, message({ touser: 'o-http-user' }))).toBe(0)
    expect(await errcodeOf(t, message({ touser: 'o-http-user' }))).toBe(43101)
    const listed = await t.inject({ method: 'GET', url: '/__sim/messages?openid=o-http-user' })
    expect(listed.statusCode).toBe(200)
    expect(listed.json()).toEqual({
      messages: [
        {
          touser: 'o-http-user',
          templateId: TEMPLATE,
          page: 'pages/order-detail/index?id=o1',
          data: {
            character_string1: 'o1',
            phrase2: '已接单',
            amount3: '28.00元',
            time4: '2026-01-15 12:30',
          },
          at: expect.any(Number),
        },
      ],
    })
    const remote = await t.inject({
      method: 'POST',
      url: '/__sim/subscribe-accept',
      payload: { openid: 'o-http-user', templateId: TEMPLATE },
      remoteAddress: '203.0.113.9',
    })
    expect(remote.statusCode).toBe(403)
  })

  test('a permanent refusal (47003, 40037, 41030) fails the outbox row without a retry', async () => {
    const sim = createSimWeChat({
      templates: { [TEMPLATE]: { title: '订单', fields: ['thing1'] } },
    })
    await withTestApp(manualOptions({ sim }), async (other) => {
      await messageQueued(other)
      await other.services.outbox.drainOnce()
      const [row] = await outboxRows(other)
      expect(row).toMatchObject({ state: 'failed', attempts: 1 })
      expect(row!.last_error).toMatch(/^47003/)
      clockMs += 3600_000
      expect(await other.services.outbox.drainOnce()).toBe(0)
    })
  })
})

/**
 * Instance A, on storage that later instances share (same database, same simulated WeChat),
 * with one message queued: the start of every "an instance dies" story. The file's leak check
 * closes A if this throws half way.
 */
async function instanceWithQueuedMessage() {
  clockMs = T0
  const sim = createSimWeChat()
  const shared = await sharedStorage()
  const a = await manualApp({ sim, shared })
  const u = await messageQueued(a)
  return { sim, shared, a, u }
}

describe('two instances and restarts', () => {
  test('two instances draining one outbox send each message exactly once', async () => {
    clockMs = T0
    const sim = createSimWeChat()
    const shared = await sharedStorage()
    const a = await manualApp({ sim, shared })
    const b = await manualApp({ sim, shared })
    try {
      const users = []
      for (let i = 0; i < 12; i++) {
        const u = await messageQueued(a)
        users.push(u)
      }
      const before = sim.stats.calls.subscribe_send
      const [na, nb] = await Promise.all([
        a.services.outbox.drainOnce(),
        b.services.outbox.drainOnce(),
      ])
      expect(na + nb).toBe(12)
      expect(sim.stats.calls.subscribe_send).toBe(before + 12)
      for (const u of users) expect(sim.deliveredMessages(u.openid)).toHaveLength(1)
      expect((await outboxRows(a)).every((r) => r.state === 'sent')).toBe(true)
    } finally {
      await a.close()
      await b.close()
    }
  })

  test('an instance that dies mid-send: the row is sent by another after the lease, once', async () => {
    const { sim, shared, a, u } = await instanceWithQueuedMessage()
    try {
      // Instance A claims the row and never comes back from the send (it died).
      const died = new MessageOutbox(a.services.db, () => new Promise<void>(() => undefined), {
        now,
        leaseMs: 60_000,
      })
      void died.drainOnce()
      await waitFor(async () => (await outboxRows(a))[0]!.attempts === 1)
      await a.close()

      const b = await manualApp({ sim, shared })
      try {
        expect(await b.services.outbox.drainOnce()).toBe(0) // leased: not yet
        expect(sim.deliveredMessages(u.openid)).toEqual([])
        clockMs += 60_000
        expect(await b.services.outbox.drainOnce()).toBe(1)
        expect(sim.deliveredMessages(u.openid)).toHaveLength(1)
        expect((await outboxRows(b))[0]).toMatchObject({ state: 'sent', attempts: 2 })
      } finally {
        await b.close()
      }
    } finally {
      await a.close()
    }
  })

  test('an instance that dies after WeChat delivered: the replay gets 43101, still one message', async () => {
    const { sim, shared, a, u } = await instanceWithQueuedMessage()
    try {
      const wechat = a.services.wechat
      const died = new MessageOutbox(
        a.services.db,
        async (m) => {
          await wechat.sendSubscribeMessage(m)
          await new Promise<void>(() => undefined) // delivered, then the process died
        },
        { now, leaseMs: 60_000 },
      )
      void died.drainOnce()
      await waitFor(async () => sim.deliveredMessages(u.openid).length === 1)
      const b = await manualApp({ sim, shared })
      try {
        clockMs += 60_000
        await b.services.outbox.drainOnce()
        expect(sim.deliveredMessages(u.openid)).toHaveLength(1)
        expect((await outboxRows(b))[0]).toMatchObject({ state: 'dropped', attempts: 2 })
      } finally {
        await b.close()
      }
    } finally {
      await a.close()
    }
  })

  test('a running worker sends a queued message without a manual drain', async () => {
    await withTestApp({ outbox: { pollMs: 50 } }, async (t) => {
      const u = await messageQueued(t)
      await waitFor(async () => t.sim.deliveredMessages(u.openid).length === 1)
      expect((await outboxRows(t))[0]!.state).toBe('sent')
    })
  })
})

/** Polls `check` until it holds, for at most 5 s. */
async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s')
    await new Promise((r) => setTimeout(r, 10))
  }
}
