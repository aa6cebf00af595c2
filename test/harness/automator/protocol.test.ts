// Every protocol method the runtime answers, table-driven over the method list, on the fixture
// project with the fake wx; then the same server over a real WebSocket with the unmodified
// miniprogram-automator client (envelope, events, element classes).
import automator from 'miniprogram-automator'
import { BASIC_PROJECT } from '../fixtures'
import { createRuntimeWx } from '../runtime/fake-wx-bridge'
import { HeadlessRuntime } from '../runtime/runtime'
import { AutomatorServer } from './server'

let rt: HeadlessRuntime
let server: AutomatorServer
let bridge: ReturnType<typeof createRuntimeWx>
let pageId: number

type Answer = Awaited<ReturnType<AutomatorServer['handle']>>

async function ok(
  method: string,
  params: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const a: Answer = await server.handle(method, params)
  if ('error' in a) throw new Error(`${method}: ${a.error.message}`)
  return a.result as Record<string, unknown>
}

async function fails(method: string, params: Record<string, unknown> = {}): Promise<string> {
  const a: Answer = await server.handle(method, params)
  if (!('error' in a)) throw new Error(`${method} should have failed`)
  return a.error.message
}

async function el(selector: string): Promise<Record<string, unknown>> {
  const d = await ok('Page.getElement', { pageId, selector })
  return { pageId, elementId: d.elementId }
}

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  bridge = createRuntimeWx()
  rt = new HeadlessRuntime({ projectPath: BASIC_PROJECT, ...bridge.runtimeOptions })
  await rt.launch()
  server = await AutomatorServer.listen({
    runtime: rt,
    dialogs: bridge.dialogs,
    beforeAnswer: bridge.beforeAnswer,
    port: 0,
    screenshot: () => Promise.resolve('iVBORw0KGgo='),
  })
  pageId = rt.currentPage!.pageId
})

afterAll(async () => {
  await server.close()
  await rt.close()
})

type Case = [method: string, run: () => Promise<void>]

const cases: Case[] = [
  ['Tool.getInfo', async () => expect(await ok('Tool.getInfo')).toEqual({ SDKVersion: '3.6.0' })],
  [
    'App.getPageStack',
    async () =>
      expect(await ok('App.getPageStack')).toEqual({
        pageStack: [{ pageId, path: 'pages/home/index', query: {} }],
      }),
  ],
  [
    'App.getCurrentPage',
    async () =>
      expect(await ok('App.getCurrentPage')).toEqual({
        pageId,
        path: 'pages/home/index',
        query: {},
      }),
  ],
  [
    'App.callWxMethod',
    async () => {
      await ok('App.callWxMethod', { method: 'setStorageSync', args: ['k', { v: 1 }] })
      expect(await ok('App.callWxMethod', { method: 'getStorageSync', args: ['k'] })).toEqual({
        result: { v: 1 },
      })
      expect(
        await ok('App.callWxMethod', { method: 'getStorage', args: [{ key: 'k' }] }),
      ).toMatchObject({
        result: { data: { v: 1 }, errMsg: 'getStorage:ok' },
      })
      expect(
        await fails('App.callWxMethod', { method: 'getStorage', args: [{ key: 'missing' }] }),
      ).toMatch(/^data not found/)
      expect(await fails('App.callWxMethod', { method: 'noSuchApi', args: [] })).toBe(
        'wx.noSuchApi not exists',
      )
    },
  ],
  [
    'App.mockWxMethod',
    async () => {
      await ok('App.mockWxMethod', { method: 'getStorageSync', result: 'canned' })
      expect(await ok('App.callWxMethod', { method: 'getStorageSync', args: ['k'] })).toEqual({
        result: 'canned',
      })
      await ok('App.mockWxMethod', {
        method: 'getStorage',
        functionDeclaration:
          'function (o, suffix) { return this.origin({ key: o.key }).then((r) => ({ errMsg: "getStorage:ok", data: [r.data, suffix] })) }',
        args: ['!'],
      })
      expect(
        await ok('App.callWxMethod', { method: 'getStorage', args: [{ key: 'k' }] }),
      ).toMatchObject({
        result: { data: [{ v: 1 }, '!'] },
      })
      await ok('App.mockWxMethod', {
        method: 'getLocation',
        functionDeclaration: '() => ({ errMsg: "getLocation:fail auth deny" })',
        args: [],
      })
      expect(await fails('App.callWxMethod', { method: 'getLocation', args: [{}] })).toBe(
        'auth deny',
      )
      for (const method of ['getStorageSync', 'getStorage', 'getLocation'])
        await ok('App.mockWxMethod', { method })
      expect(await ok('App.callWxMethod', { method: 'getStorageSync', args: ['k'] })).toEqual({
        result: { v: 1 },
      })
      expect(await fails('App.mockWxMethod', { method: 'onAppShow', result: 1 })).toBe(
        "You can't mock wx.on*/off*",
      )
    },
  ],
  [
    'App.callFunction',
    async () => {
      expect(
        await ok('App.callFunction', {
          functionDeclaration:
            '(a, b) => getCurrentPages().length + a + b + typeof getApp().globalData',
          args: [1, 2],
        }),
      ).toEqual({ result: '4object' })
      expect(
        await fails('App.callFunction', {
          functionDeclaration: '() => { throw new Error("nope") }',
          args: [],
        }),
      ).toBe('nope')
    },
  ],
  ['App.enableLog', async () => expect(await ok('App.enableLog')).toEqual({})],
  [
    'App.addBinding',
    async () => {
      await ok('App.addBinding', { name: 'reportBack' })
      expect(typeof (globalThis as unknown as Record<string, unknown>).reportBack).toBe('function')
    },
  ],
  [
    'App.captureScreenshot',
    async () => expect(await ok('App.captureScreenshot')).toEqual({ data: 'iVBORw0KGgo=' }),
  ],
  ['App.exit', async () => expect(await ok('App.exit')).toEqual({})],
  [
    'Page.getElement',
    async () => {
      expect(await ok('Page.getElement', { pageId, selector: '#title' })).toMatchObject({
        tagName: 'text',
      })
      expect(await ok('Page.getElement', { pageId, selector: 'x-badge' })).toMatchObject({
        tagName: 'x-badge',
        nodeId: expect.any(String),
      })
      expect(await fails('Page.getElement', { pageId, selector: '.nothing' })).toBe(
        'no such element',
      )
      expect(await fails('Page.getElement', { pageId: 999, selector: 'view' })).toBe(
        'page destroyed',
      )
    },
  ],
  [
    'Page.getElements',
    async () => {
      const count = async (selector: string): Promise<number> =>
        ((await ok('Page.getElements', { pageId, selector })).elements as unknown[]).length
      expect(await count('button')).toBe(6)
      expect(await count('[data-step]')).toBe(1)
      expect(await count('button[open-type=getPhoneNumber]')).toBe(1)
      expect(await count('form > button')).toBe(1)
      expect(await count('.page .item')).toBe(2)
      expect(await count('view.item, #title')).toBe(3)
      // the inside of a custom component is not part of the page's scope
      expect(await count('.inner')).toBe(0)
    },
  ],
  [
    'Page.getData / Page.setData',
    async () => {
      await ok('Page.setData', { pageId, data: { label: 'set' } })
      expect(await ok('Page.getData', { pageId, path: 'label' })).toEqual({ data: 'set' })
      expect(await ok('Page.getData', { pageId, path: 'items[1]' })).toEqual({ data: 'b' })
    },
  ],
  [
    'Page.callMethod',
    async () =>
      expect(await ok('Page.callMethod', { pageId, method: 'add', args: [2, 3] })).toEqual({
        result: 5,
      }),
  ],
  [
    'Page.getWindowProperties',
    async () =>
      expect(
        await ok('Page.getWindowProperties', {
          pageId,
          names: ['document.documentElement.scrollWidth'],
        }),
      ).toEqual({ properties: [375] }),
  ],
  [
    'Element.getElement(s)',
    async () => {
      const badge = await el('x-badge')
      expect(await ok('Element.getElement', { ...badge, selector: '.inner' })).toMatchObject({
        tagName: 'text',
      })
      expect(
        ((await ok('Element.getElements', { ...badge, selector: 'view' })).elements as unknown[])
          .length,
      ).toBe(1)
    },
  ],
  [
    'Element.getDOMProperties',
    async () =>
      expect(
        await ok('Element.getDOMProperties', { ...(await el('#inc')), names: ['innerText'] }),
      ).toEqual({
        properties: ['Inc'],
      }),
  ],
  [
    'Element.getAttributes',
    async () =>
      expect(
        await ok('Element.getAttributes', {
          ...(await el('#inc')),
          names: ['class', 'data-step', 'nope'],
        }),
      ).toEqual({ attributes: ['btn primary', '1', null] }),
  ],
  [
    'Element.getProperties',
    async () => {
      const r = await ok('Element.getProperties', {
        ...(await el('#name')),
        names: ['__propPublic', 'value'],
      })
      expect((r.properties as unknown[])[0]).toMatchObject({ value: true, placeholder: true })
    },
  ],
  [
    'Element.getStyles',
    async () =>
      expect(await ok('Element.getStyles', { ...(await el('#inc')), names: ['display'] })).toEqual({
        styles: ['block'],
      }),
  ],
  [
    'Element.getOffset',
    async () => {
      const inc = (await ok('Element.getOffset', await el('#inc'))) as { left: number; top: number }
      const go = (await ok('Element.getOffset', await el('#go'))) as { left: number; top: number }
      const [height] = (
        await ok('Element.getDOMProperties', { ...(await el('#inc')), names: ['offsetHeight'] })
      ).properties as number[]
      // Inside .page's 20rpx (10 px) padding; buttons are stacked with WeChat's 8 px margins.
      expect(inc.left).toBe(10)
      expect(go.top).toBe(inc.top + height! + 8)
    },
  ],
  [
    'Element.getWXML',
    async () =>
      expect(await ok('Element.getWXML', { ...(await el('.item')), type: 'outer' })).toEqual({
        wxml: '<view class="item" data-idx="0">a</view>',
      }),
  ],
  [
    'Element.tap',
    async () => {
      const before = (await ok('Page.getData', { pageId, path: 'count' })).data as number
      await ok('Element.tap', await el('#inc'))
      await tick()
      expect(await ok('Page.getData', { pageId, path: 'count' })).toEqual({ data: before + 1 })
    },
  ],
  [
    'Element.touchstart / touchend',
    async () => {
      const inc = await el('#inc')
      const before = (await ok('Page.getData', { pageId, path: 'count' })).data as number
      await ok('Element.touchstart', {
        ...inc,
        touches: [{ x: 1, y: 1 }],
        changedTouches: [{ x: 1, y: 1 }],
      })
      await ok('Element.touchmove', { ...inc, touches: [{ x: 2, y: 2 }] })
      await ok('Element.touchstart', inc)
      await ok('Element.touchend', inc)
      await tick()
      expect(await ok('Page.getData', { pageId, path: 'count' })).toEqual({ data: before + 1 })
    },
  ],
  [
    'Element.triggerEvent',
    async () => {
      await ok('Element.triggerEvent', {
        ...(await el('x-badge')),
        type: 'ping',
        detail: 'triggered',
      })
      expect(await ok('Page.getData', { pageId, path: 'label' })).toEqual({ data: 'triggered' })
    },
  ],
  [
    'Element.dispatchEvent',
    async () => {
      await ok('Element.dispatchEvent', { ...(await el('#inc')), eventName: 'tap' })
      await ok('Element.dispatchEvent', {
        ...(await el('x-badge')),
        eventName: 'ping',
        detail: 'dispatched',
      })
      expect(await ok('Page.getData', { pageId, path: 'label' })).toEqual({ data: 'dispatched' })
    },
  ],
  [
    'Element.callFunction',
    async () => {
      const input = await el('#name')
      await ok('Element.callFunction', { ...input, functionName: 'input.input', args: ['Ann'] })
      expect(await ok('Page.getData', { pageId, path: 'nickname' })).toEqual({ data: 'Ann' })
      expect(await ok('Element.getProperties', { ...input, names: ['value'] })).toEqual({
        properties: ['Ann'],
      })
      await ok('Element.tap', await el('#submit'))
      expect(await ok('Page.getData', { pageId, path: 'submitted' })).toEqual({
        data: { nickname: 'Ann' },
      })
      expect(
        await fails('Element.callFunction', { ...input, functionName: 'video.play', args: [] }),
      ).toBe('Element.callFunction video.play is not supported by the headless runtime')
    },
  ],
  [
    'Element.getData / setData / callMethod',
    async () => {
      const badge = await el('x-badge')
      await ok('Element.setData', { ...badge, data: { hits: 41 } })
      expect(await ok('Element.getData', { ...badge, path: 'hits' })).toEqual({ data: 41 })
      expect(await ok('Element.callMethod', { ...badge, method: 'hits', args: [] })).toEqual({
        result: 41,
      })
      expect(await fails('Element.getData', await el('#inc'))).toBe(
        'element is not a custom component',
      )
    },
  ],
  [
    'unsupported methods',
    async () => {
      for (const m of [
        'Tool.enableRemoteDebug',
        'Tool.stopAudits',
        'Tool.getTestAccounts',
        'Nope.nope',
      ]) {
        expect(await fails(m)).toMatch(new RegExp(`^${m} is not supported by the headless runtime`))
      }
    },
  ],
]

test.each(cases)('%s', async (_name, run) => {
  await run()
})

describe('open-type buttons and system dialogs', () => {
  test('getPhoneNumber waits for authorizeAllow, then fires getphonenumber with a code', async () => {
    await ok('Element.tap', await el('#phone'))
    await tick()
    expect(bridge.dialogs.pending().map((d) => d.kind)).toEqual(['phone'])
    await ok('Tool.native', { method: 'authorizeAllow' })
    await tick()
    const events = (await ok('Page.getData', { pageId, path: 'events' })).data as string[]
    expect(events.at(-1)).toMatch(/^phone:\{"code":"phone-code-\d+","errMsg":"getPhoneNumber:ok"/)
  })

  test('authorizeCancel refuses: getphonenumber carries the deny errMsg', async () => {
    await ok('Element.tap', await el('#phone'))
    await ok('Tool.native', { method: 'authorizeCancel' })
    await tick()
    const events = (await ok('Page.getData', { pageId, path: 'events' })).data as string[]
    expect(events.at(-1)).toBe('phone:{"errMsg":"getPhoneNumber:fail user deny"}')
  })

  test('a policy answers dialogs at once; chooseAvatar fires chooseavatar with a temp file', async () => {
    bridge.dialogs.policy = 'confirm'
    try {
      await ok('Element.tap', await el('#avatar'))
      await tick()
      const events = (await ok('Page.getData', { pageId, path: 'events' })).data as string[]
      expect(events.at(-1)).toMatch(/^avatar:\{"avatarUrl":"wxfile:\/\/tmp_\d+\.jpg"\}$/)
    } finally {
      bridge.dialogs.policy = 'wait'
    }
  })

  test('openSetting: authorizeAllow on the settings page switches refused scopes on', async () => {
    bridge.fake.control.setScope('scope.userLocation', false)
    await ok('Element.tap', await el('#settings'))
    await tick()
    expect(bridge.dialogs.pending().map((d) => d.kind)).toEqual(['settings'])
    await ok('Tool.native', { method: 'authorizeAllow' })
    await tick()
    const events = (await ok('Page.getData', { pageId, path: 'events' })).data as string[]
    expect(JSON.parse(events.at(-1)!.replace(/^setting:/, ''))).toMatchObject({
      errMsg: 'openSetting:ok',
      authSetting: { 'scope.userLocation': true },
    })
  })

  test('showModal waits for confirmModal / cancelModal', async () => {
    const shown = ok('App.callWxMethod', {
      method: 'showModal',
      args: [{ title: 't', content: 'c' }],
    })
    await ok('Tool.native', { method: 'confirmModal' })
    expect((await shown).result).toMatchObject({ confirm: true })
    const again = ok('App.callWxMethod', {
      method: 'showModal',
      args: [{ title: 't', content: 'c' }],
    })
    await ok('Tool.native', { method: 'cancelModal' })
    expect((await again).result).toMatchObject({ confirm: false, cancel: true })
  })

  test('native() with no dialog open fails clearly', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
    try {
      const p = server.handle('Tool.native', { method: 'confirmModal' })
      await jest.advanceTimersByTimeAsync(4000)
      expect(await p).toEqual({ error: { message: 'Tool.native confirmModal: no dialog is open' } })
    } finally {
      jest.useRealTimers()
    }
  })
})

test('the unmodified automator client over the WebSocket', async () => {
  const mp = await automator.connect({ wsEndpoint: server.wsEndpoint })
  try {
    const logs: unknown[] = []
    const exceptions: unknown[] = []
    const bound: unknown[] = []
    mp.on('console', (m) => logs.push(m))
    mp.on('exception', (e) => exceptions.push(e))
    await mp.exposeFunction('fromApp', (...a: unknown[]) => bound.push(a))
    const page = (await mp.currentPage())!
    expect(page.path).toBe('pages/home/index')
    const input = await page.$('#name')
    expect(input?.constructor.name).toBe('InputElement')
    const badge = await page.$('x-badge')
    expect(badge?.constructor.name).toBe('CustomElement')
    expect(await (await page.$('#inc'))?.text()).toBe('Inc')
    await mp.evaluate(() => {
      console.log('hello', { n: 1 })
      ;(globalThis as unknown as { fromApp(...a: unknown[]): void }).fromApp(1, 'two')
    })
    rt.reportError(new Error('app blew up'))
    await tick(50)
    expect(logs).toContainEqual({ type: 'log', args: ['hello', { n: 1 }] })
    expect(bound).toEqual([[1, 'two']])
    expect(exceptions).toContainEqual(expect.objectContaining({ message: 'app blew up' }))
    await expect(mp.callWxMethod('navigateBack')).rejects.toThrow(
      'cannot navigate back at first page.',
    )
  } finally {
    mp.disconnect()
  }
})
