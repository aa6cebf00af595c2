import { autorun } from 'mobx-miniprogram'
import { headerOf } from '../../harness/wx'
import { outcome, setup, tick } from './setup'

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }))
afterEach(() => jest.useRealTimers())

describe('logout', () => {
  it('aborts in-flight and queued calls, revokes, clears storage, resets the store in one action', async () => {
    const { auth, fake, server, events } = setup()
    await auth.ensureLogin()
    auth.store.setScope('scope.userLocation', 'granted')
    server.latency = 1000
    const calls = Array.from({ length: 12 }, (_, i) => outcome(auth.request({ url: `/p/${i}` })))
    await tick(10)
    expect(fake.control.inFlight).toBe(8) // 4 more wait in the kit's queue

    const snapshots: string[] = []
    const dispose = autorun(() => {
      const s = auth.store
      snapshots.push(
        `${s.status}|${s.user?.id ?? '-'}|${Object.keys(s.scopes).length}|${s.isLoggedIn}`,
      )
    })
    const out = outcome(auth.logout())
    await tick(0)
    dispose()
    // one reaction: the whole store changed in one action
    expect(snapshots).toEqual(['authenticated|u1|1|true', 'anonymous|-|0|false'])
    expect(calls.map((c) => (c.error as { code?: string } | undefined)?.code)).toEqual(
      Array(12).fill('aborted'),
    )
    expect(fake.control.requests.slice(1, 9).every((r) => r.errMsg === 'request:fail abort')).toBe(
      true,
    )
    expect(fake.control.storageKeys()).toEqual([])
    expect(events.at(-1)).toEqual({ type: 'logout' })
    await tick(1000)
    expect(out.settled).toBe(1)
    const revoke = fake.control.requests.at(-1)!
    expect(revoke.url).toBe('https://api.test/auth/logout')
    expect(headerOf(revoke.header, 'authorization')).toBe('Bearer tok-1')
    expect(server.tokens.get('tok-1')).toBe('revoked')
    // 12 app calls reached the wire at most 8 at a time; the 4 queued never did
    expect(fake.control.requests.filter((r) => /\/p\/\d+$/.test(r.url))).toHaveLength(8)
  })

  it('is best effort: a failing revoke still logs out', async () => {
    const { auth, fake } = setup()
    await auth.ensureLogin()
    fake.control.setHandler(() => {
      throw new Error('net::ERR_INTERNET_DISCONNECTED')
    })
    await expect(auth.logout()).resolves.toBeUndefined()
    expect(auth.store.status).toBe('anonymous')
  })

  it('a login in flight at logout never installs its session', async () => {
    const { auth, fake, server, events } = setup()
    fake.control.setLoginLatency(100)
    const waiters = [
      outcome(auth.request({ url: '/p/a', auth: 'required' })),
      outcome(auth.request({ url: '/p/b', auth: 'required' })),
      outcome(auth.ensureLogin()),
    ]
    await tick(50)
    expect(auth.store.status).toBe('logging-in')
    await auth.logout()
    await tick(200)
    expect(waiters.map((w) => (w.error as { code?: string } | undefined)?.code)).toEqual([
      'aborted',
      'aborted',
      'aborted',
    ])
    expect(auth.store.status).toBe('anonymous')
    // every rejection is recorded, the aborts included
    expect(auth.store.lastError?.code).toBe('aborted')
    expect(server.exchanges).toBe(0)
    expect(fake.control.requests).toHaveLength(0) // no code was sent after the logout
    // the dead login reports nothing: logout closed it
    expect(events.map((e) => e.type)).toEqual(['login:start', 'logout'])
    // and the kit works again afterwards
    fake.control.setLoginLatency(0)
    await expect(auth.request({ url: '/p/c', auth: 'required' })).resolves.toBeDefined()
  })

  it('aborts a call waiting in backoff', async () => {
    const { auth, fake, server } = setup()
    server.script.push('network')
    const p = outcome(auth.request({ url: '/open/a' }))
    await tick(100)
    await auth.logout()
    await tick(1000)
    expect(p.error).toMatchObject({ code: 'aborted' })
    expect(fake.control.requests).toHaveLength(1)
  })
})
