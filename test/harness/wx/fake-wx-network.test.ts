// The fake wx tells the truth about the network and the platform (wechat-platform.md §1, §10):
// documented methods only, background suspension, wx.login needing the network, and scriptable
// conditions (offline periods, captive portals, header-stripping proxies, header case, slow links).
import { flushMicrotasks } from './clock'
import type { WxFailResult } from './api'
import { createFakeWx, SUSPEND_AFTER_MS, type FakeResponse } from './index'
import type { FakeRequestSuccess } from './request'

type Outcome = { ok?: FakeRequestSuccess; fail?: WxFailResult }

/** wx.request with its outcome recorded as it arrives. */
function send(wx: ReturnType<typeof createFakeWx>['wx'], o: { url: string; method?: string }) {
  const out: Outcome = {}
  wx.request({ ...o, success: (r) => (out.ok = r), fail: (e) => (out.fail = e) })
  return out
}

const json = (): FakeResponse => ({
  statusCode: 200,
  header: { 'Content-Type': 'application/json', 'X-Session-Token': 'tok-1' },
  data: '{"ok":true}',
})

describe('wx.request methods', () => {
  it.each(['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT'])(
    'accepts %s',
    async (method) => {
      const { wx, control } = createFakeWx({ requestHandler: json })
      const out = send(wx, { url: 'https://s/x', method })
      await flushMicrotasks()
      expect(out.ok?.statusCode).toBe(200)
      expect(control.requests).toHaveLength(1)
    },
  )

  it('refuses PATCH (and any undocumented method) with request:fail method is invalid', async () => {
    let served = 0
    const { wx } = createFakeWx({ requestHandler: () => (served++, json()) })
    const patch = send(wx, { url: 'https://s/me', method: 'PATCH' })
    const made = send(wx, { url: 'https://s/me', method: 'FETCH' })
    await flushMicrotasks()
    expect(patch.fail).toEqual({ errMsg: 'request:fail method is invalid' })
    expect(made.fail).toEqual({ errMsg: 'request:fail method is invalid' })
    expect(served).toBe(0)
  })
})

describe('background', () => {
  it('a request still running 5 s after onHide fails with request:fail interrupted', async () => {
    const { wx, control } = createFakeWx({ requestHandler: () => new Promise(() => undefined) })
    const hides: number[] = []
    wx.onAppHide(() => hides.push(control.clock.now()))
    const out = send(wx, { url: 'https://s/slow' })
    await control.clock.advance(100)
    control.hideApp()
    expect(hides).toHaveLength(1)
    await control.clock.advance(SUSPEND_AFTER_MS - 1)
    expect(out.fail).toBeUndefined()
    await control.clock.advance(1)
    expect(out.fail).toEqual({ errMsg: 'request:fail interrupted' })
    expect(control.appSuspended).toBe(true)
  })

  it('a request that ends within the 5 s succeeds; calls made while suspended fail until onShow', async () => {
    const { wx, control } = createFakeWx({
      requestHandler: async () => {
        await control.delay(1000)
        return json()
      },
    })
    control.hideApp()
    const early = send(wx, { url: 'https://s/a' })
    await control.clock.advance(SUSPEND_AFTER_MS)
    expect(early.ok?.statusCode).toBe(200)
    const late = send(wx, { url: 'https://s/b' })
    await flushMicrotasks()
    expect(late.fail).toEqual({ errMsg: 'request:fail interrupted' })
    await expect(wx.login({})).rejects.toEqual({ errMsg: 'login:fail interrupted' })
    const shows: unknown[] = []
    wx.onAppShow((r) => shows.push(r))
    control.showApp()
    expect(shows).toHaveLength(1)
    const after = send(wx, { url: 'https://s/c' })
    await control.clock.advance(1000)
    expect(after.ok?.statusCode).toBe(200)
  })

  it('suspends timers on the virtual clock until onShow', async () => {
    const { control } = createFakeWx()
    const fired: number[] = []
    control.hideApp()
    await control.clock.advance(SUSPEND_AFTER_MS)
    control.clock.setTimeout(() => fired.push(control.clock.now()), 1000)
    await control.clock.advance(60_000)
    expect(fired).toEqual([])
    control.showApp()
    await control.clock.advance(0)
    expect(fired).toHaveLength(1)
  })

  it('onShow within the 5 s cancels the suspension', async () => {
    const { wx, control } = createFakeWx({ requestHandler: () => new Promise(() => undefined) })
    const out = send(wx, { url: 'https://s/slow' })
    control.hideApp()
    await control.clock.advance(2000)
    control.showApp()
    await control.clock.advance(10_000)
    expect(out.fail).toBeUndefined()
    expect(control.appSuspended).toBe(false)
  })
})

describe('wx.login and the network', () => {
  it('fails offline with login:fail -2:net::ERR_INTERNET_DISCONNECTED, and works once back', async () => {
    const { wx, control } = createFakeWx()
    control.setOffline(true)
    await expect(wx.login({})).rejects.toEqual({
      errMsg: 'login:fail -2:net::ERR_INTERNET_DISCONNECTED',
    })
    control.setOffline(false)
    await expect(wx.login({})).resolves.toMatchObject({ code: 'code-1' })
  })

  it('honours its timeout when the answer never comes', async () => {
    const { wx, control } = createFakeWx()
    control.hangLogin()
    const seen: string[] = []
    wx.login({ timeout: 10_000, fail: (e) => seen.push(e.errMsg) })
    await control.clock.advance(9_999)
    expect(seen).toEqual([])
    expect(control.pendingLogins).toBe(1)
    await control.clock.advance(1)
    expect(seen).toEqual(['login:fail timeout'])
    expect(control.pendingLogins).toBe(0)
  })

  it('without a timeout, a hung wx.login never answers', async () => {
    const { wx, control } = createFakeWx()
    control.setLoginHanging(true)
    const seen: string[] = []
    wx.login({ complete: (r) => seen.push(r.errMsg) })
    await control.clock.advance(10 * 60_000)
    expect(seen).toEqual([])
    control.setLoginHanging(false)
    await expect(wx.login({})).resolves.toMatchObject({ code: 'code-1' })
  })

  it('a slow link delays wx.login; going offline cuts a login in flight', async () => {
    const { wx, control } = createFakeWx()
    control.setLinkLatency(3000)
    const seen: string[] = []
    wx.login({ success: (r) => seen.push(r.code), fail: (e) => seen.push(e.errMsg) })
    await control.clock.advance(2999)
    expect(seen).toEqual([])
    await control.clock.advance(1)
    expect(seen).toEqual(['code-1'])
    wx.login({ success: (r) => seen.push(r.code), fail: (e) => seen.push(e.errMsg) })
    await control.clock.advance(1000)
    control.setOffline(true)
    await flushMicrotasks()
    expect(seen).toEqual(['code-1', 'login:fail -2:net::ERR_INTERNET_DISCONNECTED'])
  })
})

describe('network conditions', () => {
  it('an offline period: requests fail, those in flight are cut, and the network comes back', async () => {
    const { wx, control } = createFakeWx({
      requestHandler: async () => {
        await control.delay(500)
        return json()
      },
    })
    const inFlight = send(wx, { url: 'https://s/a' })
    await control.clock.advance(100)
    control.goOffline(60_000)
    await flushMicrotasks()
    expect(inFlight.fail).toEqual({ errMsg: 'request:fail -2:net::ERR_INTERNET_DISCONNECTED' })
    const during = send(wx, { url: 'https://s/b' })
    await control.clock.advance(59_000)
    expect(during.fail?.errMsg).toBe('request:fail -2:net::ERR_INTERNET_DISCONNECTED')
    await control.clock.advance(1000)
    expect(control.offline).toBe(false)
    const after = send(wx, { url: 'https://s/c' })
    await control.clock.advance(500)
    expect(after.ok?.data).toEqual({ ok: true })
  })

  it('a captive portal answers every request 200 text/html, optionally after a redirect', async () => {
    let served = 0
    const { wx, control } = createFakeWx({ requestHandler: () => (served++, json()) })
    control.setCaptivePortal({ redirectTo: 'http://portal.hotel/login' })
    const a = send(wx, { url: 'https://s/menu' })
    const b = send(wx, { url: 'https://s/orders', method: 'POST' })
    await flushMicrotasks()
    for (const out of [a, b]) {
      expect(out.ok?.statusCode).toBe(200)
      expect(out.ok?.header).toEqual({ 'Content-Type': 'text/html; charset=utf-8' })
      expect(typeof out.ok?.data).toBe('string') // dataType json could not parse it
      expect(out.ok?.data).toMatch(/^<!DOCTYPE html>/)
    }
    expect(served).toBe(0)
    expect(control.requests[0]).toMatchObject({
      byPortal: true,
      redirectedTo: 'http://portal.hotel/login',
    })
    // wx.login goes through WeChat's own channel unless the portal blocks it too
    await expect(wx.login({})).resolves.toMatchObject({ code: 'code-1' })
    control.setCaptivePortal({ blocksLogin: true })
    await expect(wx.login({})).rejects.toMatchObject({
      errMsg: expect.stringMatching(/^login:fail/),
    })
    control.setCaptivePortal(null)
    const c = send(wx, { url: 'https://s/menu' })
    await flushMicrotasks()
    expect(c.ok?.data).toEqual({ ok: true })
  })

  it('a proxy strips unknown response headers', async () => {
    const { wx, control } = createFakeWx({
      requestHandler: () => ({
        statusCode: 200,
        header: { 'Content-Type': 'application/json', 'X-Session-Token': 't', 'Retry-After': '3' },
        data: '{}',
      }),
    })
    control.setHeaderStripping(true)
    const out = send(wx, { url: 'https://s/a' })
    await flushMicrotasks()
    expect(out.ok?.header).toEqual({ 'Content-Type': 'application/json', 'Retry-After': '3' })
  })

  it.each([
    ['as-sent', { 'Content-Type': 'application/json', 'X-Session-Token': 'tok-1' }],
    ['lower', { 'content-type': 'application/json', 'x-session-token': 'tok-1' }],
    ['upper', { 'CONTENT-TYPE': 'application/json', 'X-SESSION-TOKEN': 'tok-1' }],
  ] as const)('delivers header names %s', async (mode, expected) => {
    const { wx, control } = createFakeWx({ requestHandler: json })
    control.setHeaderCase(mode)
    const out = send(wx, { url: 'https://s/a' })
    await flushMicrotasks()
    expect(out.ok?.header).toEqual(expected)
  })

  it('a slow link adds its latency to every request', async () => {
    const { wx, control } = createFakeWx({ requestHandler: json })
    control.setLinkLatency(2000)
    const out = send(wx, { url: 'https://s/a' })
    await control.clock.advance(1999)
    expect(out.ok).toBeUndefined()
    await control.clock.advance(1)
    expect(out.ok?.statusCode).toBe(200)
  })
})
