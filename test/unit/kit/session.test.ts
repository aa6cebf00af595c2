import { headerOf } from '../../harness/wx'
import { USER } from '../../support/fake-server'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

const KEY = 'auth/session/v1'

describe('persistence', () => {
  it('stores the session under the versioned key with a relative lifetime', async () => {
    const { auth, fake } = setup()
    await auth.ensureLogin()
    expect(fake.control.rawGetStorage(KEY)).toEqual({
      v: 1,
      t: 'tok-1',
      l: 7_200_000,
      a: 1_700_000_000_000,
      u: USER,
    })
  })

  it('restores synchronously in createAuth: no wx.login, the first call carries the token', async () => {
    const { auth, fake, make, events } = setup()
    await auth.ensureLogin()
    await tick(60_000)
    const again = make()
    expect(again.store.status).toBe('authenticated')
    expect(again.store.user).toEqual(USER)
    await again.request({ url: '/p/me', auth: 'required' })
    expect(fake.control.loginCalls).toBe(1)
    expect(headerOf(fake.control.requests.at(-1)!.header, 'authorization')).toBe('Bearer tok-1')
    expect(events.filter((e) => e.type === 'session:restored')).toEqual([
      { type: 'session:restored', expiresInMs: 7_140_000 },
    ])
  })

  it('persists later user changes with the session', async () => {
    const { auth, make } = setup()
    await auth.ensureLogin()
    await tick(1000)
    auth.store.setUser({ ...USER, nickname: 'Ming' })
    const again = make()
    expect(again.store.user?.nickname).toBe('Ming')
    expect(again.store.status).toBe('authenticated')
  })

  it('uses a custom storage key', async () => {
    const { auth, fake } = setup({ auth: { storageKey: 'app/auth' } })
    await auth.ensureLogin()
    expect(fake.control.storageKeys()).toEqual(['app/auth'])
  })

  it.each([
    ['a non-JSON string', '{corrupt'],
    ['null', null],
    ['a number', 42],
    ['an unknown version', { v: 2, t: 'tok-x', l: 7_200_000, a: 1_700_000_000_000, u: null }],
    ['an empty token', { v: 1, t: '', l: 7_200_000, a: 1_700_000_000_000, u: null }],
    ['a lifetime as text', { v: 1, t: 'tok-x', l: '7200', a: 1_700_000_000_000, u: null }],
    ['a malformed user', { v: 1, t: 'tok-x', l: 7_200_000, a: 1_700_000_000_000, u: { name: 1 } }],
    [
      'a receipt time more than 5 min in the future (clock far behind)',
      { v: 1, t: 'tok-x', l: 7_200_000, a: 1_700_000_000_000 + 300_001, u: null },
    ],
    ['a zero lifetime', { v: 1, t: 'tok-x', l: 0, a: 1_700_000_000_000, u: null }],
    [
      'an expired record',
      { v: 1, t: 'tok-x', l: 7_200_000, a: 1_700_000_000_000 - 7_200_000, u: null },
    ],
  ])('discards %s and logs in afresh', async (_name, record) => {
    const { fake, make } = setup()
    fake.control.rawSetStorage(KEY, record)
    const auth = make()
    expect(auth.store.status).toBe('anonymous')
    expect(fake.control.storageKeys()).toEqual([])
    await auth.request({ url: '/p/me', auth: 'required' })
    expect(headerOf(fake.control.requests[0]!.header, 'x-wx-code')).toBe('code-1')
    expect(
      fake.control.requests.some((r) => headerOf(r.header, 'authorization') === 'Bearer tok-x'),
    ).toBe(false)
  })

  it('restores a record received up to 5 min in the future (the clock moved back a little)', async () => {
    const { fake, make } = setup()
    fake.control.rawSetStorage(KEY, {
      v: 1,
      t: 'tok-x',
      l: 7_200_000,
      a: 1_700_000_000_000 + 300_000,
      u: null,
    })
    const auth = make()
    expect(auth.store.status).toBe('authenticated')
    await auth.request({ url: '/p/me' }).catch(() => undefined)
    expect(headerOf(fake.control.requests[0]!.header, 'authorization')).toBe('Bearer tok-x')
  })

  it('clamps lifetimes to 30 days, from the server and from storage', async () => {
    const DAY = 24 * 3600 * 1000
    const { auth, fake, server, make } = setup()
    server.lifetimeSec = 365 * 24 * 3600
    await auth.ensureLogin()
    expect(fake.control.rawGetStorage(KEY)).toMatchObject({ l: 30 * DAY })
    fake.control.rawSetStorage(KEY, { v: 1, t: 'tok-y', l: 400 * DAY, a: Date.now(), u: null })
    const restored = make()
    expect(restored.store.status).toBe('authenticated')
    await tick(30 * DAY)
    await restored.request({ url: '/p/me', auth: 'required' }).catch(() => undefined)
    // past 30 days the record is not used: a cold login with a fresh code
    expect(headerOf(fake.control.requests.at(-1)!.header, 'x-wx-code')).toBeDefined()
  })

  it('keeps the session in memory when storage writes fail', async () => {
    const { auth, fake, make } = setup()
    fake.control.setStorageBroken('exceed storage max size 10MB')
    await auth.request({ url: '/p/a', auth: 'required' })
    expect(auth.store.status).toBe('authenticated')
    await auth.request({ url: '/p/b', auth: 'required' })
    expect(headerOf(fake.control.requests[1]!.header, 'authorization')).toBe('Bearer tok-1')
    expect(fake.control.loginCalls).toBe(1)
    expect(fake.control.storageKeys()).toEqual([])
    // nothing was persisted: a restart starts anonymous
    expect(make().store.status).toBe('anonymous')
  })

  it('treats a session past its local expiry as gone: a cold login, no doomed request', async () => {
    const { auth, fake, server } = setup()
    server.lifetimeSec = 60
    await auth.request({ url: '/p/a', auth: 'required' })
    await tick(60_000)
    await auth.request({ url: '/p/b', auth: 'required' })
    expect(fake.control.loginCalls).toBe(2)
    expect(fake.control.requests).toHaveLength(2) // no 401 round trip
    expect(headerOf(fake.control.requests[1]!.header, 'x-wx-code')).toBe('code-2')
  })

  it('a session whose lifetime the server omits falls back to 2 h', async () => {
    const { auth, fake } = setup()
    fake.control.setHandler(() => ({ statusCode: 200, data: { token: 'tok-z', user: null } }))
    await auth.ensureLogin()
    expect(fake.control.rawGetStorage(KEY)).toMatchObject({ t: 'tok-z', l: 7_200_000 })
  })
})

describe('restored session that the server no longer accepts', () => {
  it('renews on the first 401 and keeps going', async () => {
    const { auth, server, make, fake } = setup()
    await auth.ensureLogin()
    server.expireAll()
    const again = make()
    const p = outcome(again.request<{ token: string }>({ url: '/p/me' }))
    await tick()
    expect(p.value?.data.token).toBe('tok-2')
    expect(fake.control.rawGetStorage(KEY)).toMatchObject({ t: 'tok-2' })
  })
})
