import { flushMicrotasks } from './clock'
import { createFakeWx, headerOf, type FakeResponse } from './index'
import type { WxFailResult } from './api'

/** A deferred answer a test releases by hand, to control ordering. */
function gate() {
  let open!: (r: FakeResponse) => void
  const p = new Promise<FakeResponse>((r) => (open = r))
  return { p, open }
}

describe('fake wx.login / checkSession', () => {
  it('gives a fresh code per call, promise style, with login:ok', async () => {
    const { wx, control } = createFakeWx()
    const a = await wx.login({})
    const b = await wx.login({})
    expect(a).toEqual({ errMsg: 'login:ok', code: 'code-1' })
    expect(b!.code).toBe('code-2')
    expect(control.loginCalls).toBe(2)
    expect(control.codes).toEqual(['code-1', 'code-2'])
  })

  it('uses callbacks (and returns undefined) when one is given', async () => {
    const { wx } = createFakeWx({ codeSource: async () => 'from-server' })
    const seen: string[] = []
    const ret = wx.login({
      success: (r) => seen.push(`success ${r.code}`),
      complete: () => seen.push('complete'),
    })
    expect(ret).toBeUndefined()
    await flushMicrotasks()
    expect(seen).toEqual(['success from-server', 'complete'])
  })

  it('fails scripted calls with login:fail <reason> and then recovers', async () => {
    const { wx, control } = createFakeWx()
    control.failLogin('system error')
    await expect(wx.login({})).rejects.toEqual({ errMsg: 'login:fail system error' })
    const fails: WxFailResult[] = []
    control.failLogin('timeout')
    wx.login({ fail: (e) => fails.push(e) })
    await flushMicrotasks()
    expect(fails).toEqual([{ errMsg: 'login:fail timeout' }])
    await expect(wx.login({})).resolves.toMatchObject({ code: 'code-1' })
    expect(control.loginCalls).toBe(3)
  })

  it('answers after the scripted latency, or fails with login:fail timeout past its timeout', async () => {
    const { wx, control } = createFakeWx()
    control.setLoginLatency(500)
    const slow = wx.login({ timeout: 200 })!
    const ok = wx.login({})!
    const seen: string[] = []
    slow.catch((e: WxFailResult) => seen.push(e.errMsg))
    void ok.then((r) => seen.push(r.code))
    await control.clock.advance(200)
    expect(seen).toEqual(['login:fail timeout'])
    await control.clock.advance(300)
    expect(seen).toEqual(['login:fail timeout', 'code-1'])
  })

  it('checkSession follows the scripted validity; a new login makes it valid again', async () => {
    const { wx, control } = createFakeWx()
    await expect(wx.checkSession({})).resolves.toEqual({ errMsg: 'checkSession:ok' })
    control.setSessionValid(false)
    await expect(wx.checkSession({})).rejects.toEqual({
      errMsg: 'checkSession:fail session time out, need relogin',
    })
    await wx.login({})
    await expect(wx.checkSession({})).resolves.toBeDefined()
    expect(control.checkSessionCalls).toBe(3)
  })
})

describe('fake wx.request', () => {
  it('succeeds on non-2xx answers and parses JSON text', async () => {
    const { wx } = createFakeWx({
      requestHandler: () => ({
        statusCode: 500,
        header: { 'X-A': '1' },
        data: '{"error":{"code":"X"}}',
      }),
    })
    const res = await new Promise((resolve) => wx.request({ url: 'http://s/x', success: resolve }))
    expect(res).toEqual({
      statusCode: 500,
      header: { 'X-A': '1' },
      data: { error: { code: 'X' } },
      cookies: [],
      errMsg: 'request:ok',
    })
  })

  it('fails with request:fail <reason> on a network error, after returning the task', async () => {
    const { wx } = createFakeWx({
      requestHandler: () => {
        throw new Error('net::ERR_CONNECTION_REFUSED')
      },
    })
    const seen: string[] = []
    const task = wx.request({
      url: 'http://s/x',
      fail: (e) => seen.push(e.errMsg),
      complete: () => seen.push('complete'),
    })
    expect(typeof task.abort).toBe('function')
    expect(seen).toEqual([]) // never synchronous
    await flushMicrotasks()
    expect(seen).toEqual(['request:fail net::ERR_CONNECTION_REFUSED', 'complete'])
  })

  it('times out after 60 s by default, or the given timeout, on the clock', async () => {
    const { wx, control } = createFakeWx({ requestHandler: () => new Promise(() => undefined) })
    const errs: string[] = []
    wx.request({ url: 'http://s/a', fail: (e) => errs.push(`a ${e.errMsg}`) })
    wx.request({ url: 'http://s/b', timeout: 1000, fail: (e) => errs.push(`b ${e.errMsg}`) })
    await control.clock.advance(999)
    expect(errs).toEqual([])
    await control.clock.advance(1)
    expect(errs).toEqual(['b request:fail timeout'])
    await control.clock.advance(59_000)
    expect(errs).toEqual(['b request:fail timeout', 'a request:fail timeout'])
  })

  it('abort() fails the call with request:fail abort and ignores the late answer', async () => {
    const g = gate()
    const { wx, control } = createFakeWx({ requestHandler: () => g.p })
    const seen: string[] = []
    const task = wx.request({
      url: 'http://s/x',
      success: () => seen.push('success'),
      fail: (e) => seen.push(e.errMsg),
    })
    await flushMicrotasks()
    task.abort()
    g.open({ statusCode: 200, data: {} })
    await flushMicrotasks()
    expect(seen).toEqual(['request:fail abort'])
    expect(control.requests[0]!.outcome).toBe('fail')
    expect(control.inFlight).toBe(0)
  })

  it('turns GET data into a query string and serialises a POST body as JSON', async () => {
    const { wx, control } = createFakeWx({ requestHandler: () => ({ statusCode: 204 }) })
    wx.request({ url: 'http://s/menu', data: { q: 'a b', n: 2 } })
    wx.request({
      url: 'http://s/orders',
      method: 'POST',
      data: { items: [1] },
      header: { Authorization: 'Bearer t' },
    })
    await flushMicrotasks()
    const [get, post] = control.requests
    expect(get!.url).toBe('http://s/menu?q=a%20b&n=2')
    expect(get!.data).toBeUndefined()
    expect(post!.body).toBe('{"items":[1]}')
    expect(post!.data).toEqual({ items: [1] })
    expect(headerOf(post!.header, 'authorization')).toBe('Bearer t')
    expect(headerOf(post!.header, 'Content-Type')).toBe('application/json')
  })

  it('runs at most 10 at once: the rest queue (platform doc §10) and the excess is visible', async () => {
    const gates: Array<ReturnType<typeof gate>> = []
    const { wx, control } = createFakeWx({
      requestHandler: () => {
        const g = gate()
        gates.push(g)
        return g.p
      },
    })
    const done: number[] = []
    for (let i = 0; i < 12; i++) wx.request({ url: `http://s/${i}`, success: () => done.push(i) })
    await flushMicrotasks()
    expect(gates).toHaveLength(10) // the handler saw 10
    expect(control.maxConcurrentSeen).toBe(12)
    expect(control.overLimitSeen).toBe(2)
    gates[0]!.open({ statusCode: 200 })
    await flushMicrotasks()
    expect(done).toEqual([0])
    expect(gates).toHaveLength(11) // the 11th started when a slot freed
  })

  it("with requestOverLimit 'fail', the 11th concurrent call fails like old base libraries", async () => {
    const { wx } = createFakeWx({
      requestOverLimit: 'fail',
      requestHandler: () => new Promise(() => undefined),
    })
    const errs: string[] = []
    for (let i = 0; i < 11; i++) wx.request({ url: 'http://s/', fail: (e) => errs.push(e.errMsg) })
    await flushMicrotasks()
    expect(errs).toEqual(['request:fail exceed max task count'])
  })

  it('controls latency and ordering with control.delay on the clock', async () => {
    const { wx, control } = createFakeWx({
      requestHandler: async (req) => {
        await control.delay(req.url.endsWith('slow') ? 300 : 100)
        return { statusCode: 200, data: req.url }
      },
    })
    const order: unknown[] = []
    wx.request({ url: 'http://s/slow', success: (r) => order.push(r.data) })
    wx.request({ url: 'http://s/fast', success: (r) => order.push(r.data) })
    await control.clock.advance(100)
    expect(order).toEqual(['http://s/fast'])
    await control.clock.advance(200)
    expect(order).toEqual(['http://s/fast', 'http://s/slow'])
    expect(control.requests.map((r) => r.endedAt! - r.startedAt)).toEqual([300, 100])
  })
})

describe('fake wx storage', () => {
  it('reads a missing key as "" synchronously and fails getStorage with data not found', async () => {
    const { wx } = createFakeWx()
    expect(wx.getStorageSync('nope')).toBe('')
    await expect(wx.getStorage({ key: 'nope' })).rejects.toEqual({
      errMsg: 'getStorage:fail data not found',
    })
  })

  it('stores copies, sync and async, callback and promise', async () => {
    const { wx } = createFakeWx()
    const v = { a: [1] }
    wx.setStorageSync('k', v)
    v.a.push(2)
    expect(wx.getStorageSync('k')).toEqual({ a: [1] })
    await expect(wx.setStorage({ key: 'j', data: 'x' })).resolves.toEqual({
      errMsg: 'setStorage:ok',
    })
    const got = await new Promise((resolve) => wx.getStorage({ key: 'j', success: resolve }))
    expect(got).toEqual({ errMsg: 'getStorage:ok', data: 'x' })
    wx.removeStorageSync('k')
    expect(wx.getStorageSync('k')).toBe('')
    wx.clearStorageSync()
    expect(wx.getStorageInfoSync().keys).toEqual([])
  })

  it('enforces 1 MB per key and 10 MB in total with WeChat errMsgs', async () => {
    const { wx, control } = createFakeWx()
    const big = 'x'.repeat(1024 * 1024)
    expect(() => wx.setStorageSync('big', big)).toThrow(
      'setStorageSync:fail exceed storage item max size 1MB',
    )
    const chunk = 'y'.repeat(1000 * 1000)
    for (let i = 0; i < 10; i++) wx.setStorageSync(`c${i}`, chunk)
    await expect(wx.setStorage({ key: 'one-more', data: chunk })).rejects.toEqual({
      errMsg: 'setStorage:fail exceed storage max size 10MB',
    })
    // overwriting a key within the quota is fine
    wx.setStorageSync('c0', 'small')
    expect(control.storageKeys()).toHaveLength(10)
  })

  it('fails injected writes and keeps the old value', () => {
    const { wx, control } = createFakeWx()
    wx.setStorageSync('k', 1)
    control.failStorageWrites('write storage fail')
    expect(() => wx.setStorageSync('k', 2)).toThrow('setStorageSync:fail write storage fail')
    expect(wx.getStorageSync('k')).toBe(1)
    wx.setStorageSync('k', 3)
    expect(wx.getStorageSync('k')).toBe(3)
  })

  it('lets tests plant raw records', () => {
    const { wx, control } = createFakeWx()
    control.rawSetStorage('auth/session/v1', '{corrupt')
    expect(wx.getStorageSync('auth/session/v1')).toBe('{corrupt')
  })
})
