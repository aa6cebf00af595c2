// Every public method of miniprogram-automator 0.12 (Automator, MiniProgram, Page, Native,
// Element and each Element subclass), driven through the unmodified client against the headless
// CLI started by automator.launch({ cliPath }). Each answers as DevTools does, or (only for what
// exists in DevTools alone: plugins, remote debugging, audits, test accounts, tickets) fails with
// an error naming the method. The list of methods is read from the client itself, so a method
// without a row here fails the first test. AUTOMATOR-SUPPORT.md is the same table
// in prose. (Route calls sleep 3 s and launch() 5 s inside the client, by its design.)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import automator from 'miniprogram-automator'
import AutomatorClass from 'miniprogram-automator/out/Automator'
import Element, {
  ContextElement,
  CustomElement,
  InputElement,
  MovableViewElement,
  ScrollViewElement,
  SliderElement,
  SwiperElement,
  SwitchElement,
  TextareaElement,
} from 'miniprogram-automator/out/Element'
import MiniProgram from 'miniprogram-automator/out/MiniProgram'
import Native from 'miniprogram-automator/out/Native'
import Page from 'miniprogram-automator/out/Page'
import { WebSocket } from 'ws'
import { freePort } from '../cli/free-port'
import { HEADLESS_CLI } from '../cli/paths'
import { BASIC_PROJECT } from '../fixtures'

jest.setTimeout(60_000)

/** Methods the client's .d.ts declares private (helpers, not API). */
const PRIVATE = new Set([
  'constructor',
  'send',
  'sendNative',
  'changeRoute',
  'windowProperty',
  'domProperty',
  '_property',
  'getter',
  'callFunction',
])

const CLASSES: Record<string, { prototype: object }> = {
  Automator: AutomatorClass,
  MiniProgram,
  Page,
  Native,
  Element,
  CustomElement,
  InputElement,
  TextareaElement,
  ScrollViewElement,
  SwiperElement,
  MovableViewElement,
  SwitchElement,
  SliderElement,
  ContextElement,
}

function publicMethods(): string[] {
  return Object.entries(CLASSES).flatMap(([name, cls]) =>
    Object.getOwnPropertyNames(cls.prototype)
      .filter((m) => !PRIVATE.has(m))
      .map((m) => `${name}.${m}`),
  )
}

let port: number
let mp: MiniProgram
let closed = false
let page: Page

/** The current page's data at `path`. */
const data = async (p: string): Promise<unknown> => (await mp.currentPage())!.data(p)
const events = async (): Promise<string[]> => (await data('events')) as string[]
async function el<T extends Element = Element>(selector: string): Promise<T> {
  const found = await page.$(selector)
  if (!found) throw new Error(`no element ${selector}`)
  return found as T
}

/**
 * Starts a wx call that opens a system dialog and is settled by a native() answer; resolves with
 * its outcome. (Tool.native itself waits for the dialog to open.)
 */
function outcome(method: string, ...args: unknown[]): Promise<{ ok: unknown } | { fail: string }> {
  return mp.callWxMethod(method, ...args).then(
    (r: unknown) => ({ ok: r }),
    (e: unknown) => ({ fail: e instanceof Error ? e.message : String(e) }),
  )
}

function pngSize(base64: string): { width: number; height: number } {
  const png = Buffer.from(base64, 'base64')
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

/** Resolves once nothing listens on the port any more (the CLI exited). */
async function portClosed(p: number): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${p}`)
      ws.once('open', () => {
        ws.terminate()
        resolve(false)
      })
      ws.once('error', () => resolve(true))
    })
    if (refused) return
    if (Date.now() > deadline) throw new Error(`port ${p} still open`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

type Case = [method: string, run: () => Promise<void>]

const cases: Case[] = [
  // — The Automator itself —
  [
    'Automator.launch',
    async () => {
      // beforeAll launched it through the CLI; the app is on its entry page.
      expect((await mp.currentPage())!.path).toBe('pages/home/index')
    },
  ],
  [
    'Automator.connect',
    async () => {
      const second = await automator.connect({ wsEndpoint: `ws://127.0.0.1:${port}` })
      try {
        expect((await second.currentPage())!.path).toBe('pages/home/index')
      } finally {
        second.disconnect()
      }
    },
  ],
  // — MiniProgram: app-wide —
  ['MiniProgram.checkVersion', async () => expect(await mp.checkVersion()).toBeUndefined()],
  [
    'MiniProgram.systemInfo',
    async () =>
      expect(await mp.systemInfo()).toMatchObject({ windowWidth: 375, SDKVersion: '3.6.0' }),
  ],
  [
    'MiniProgram.callWxMethod',
    async () => {
      await mp.callWxMethod('setStorageSync', 'coverage', { n: 1 })
      expect(await mp.callWxMethod('getStorageSync', 'coverage')).toEqual({ n: 1 })
      await expect(mp.callWxMethod('noSuchApi')).rejects.toThrow('wx.noSuchApi not exists')
      expect(await mp.callWxMethod('getLaunchOptionsSync')).toMatchObject({
        path: expect.stringMatching(/^pages\//),
        scene: 1001,
      })
      await expect(mp.callWxMethod('scanCode')).rejects.toThrow('cancel')
    },
  ],
  [
    'MiniProgram.mockWxMethod',
    async () => {
      await mp.mockWxMethod('getStorageSync', 'mocked')
      expect(await mp.callWxMethod('getStorageSync', 'coverage')).toBe('mocked')
      await mp.mockWxMethod(
        'getStorage',
        function (this: { origin: (o: object) => Promise<{ data: unknown }> }, o: { key: string }) {
          return this.origin({ key: o.key }).then((r) => ({
            errMsg: 'getStorage:ok',
            data: [r.data],
          }))
        },
      )
      expect(await mp.callWxMethod('getStorage', { key: 'coverage' })).toMatchObject({
        data: [{ n: 1 }],
      })
    },
  ],
  [
    'MiniProgram.restoreWxMethod',
    async () => {
      await mp.restoreWxMethod('getStorageSync')
      await mp.restoreWxMethod('getStorage')
      expect(await mp.callWxMethod('getStorageSync', 'coverage')).toEqual({ n: 1 })
      expect(await mp.callWxMethod('getStorage', { key: 'coverage' })).toMatchObject({
        data: { n: 1 },
      })
    },
  ],
  [
    'MiniProgram.evaluate',
    async () =>
      expect(
        await mp.evaluate((a: number) => getCurrentPages().length + a + typeof getApp(), 1),
      ).toBe('2object'),
  ],
  [
    'MiniProgram.exposeFunction',
    async () => {
      const calls: unknown[][] = []
      await mp.exposeFunction('coverageBinding', (...a: unknown[]) => calls.push(a))
      await mp.evaluate(() => {
        ;(globalThis as unknown as { coverageBinding(...a: unknown[]): void }).coverageBinding(
          'from app',
          2,
        )
      })
      await waitUntil(() => calls.length > 0)
      expect(calls).toEqual([['from app', 2]])
    },
  ],
  [
    'MiniProgram.on',
    async () => {
      const logs: unknown[] = []
      mp.on('console', (m: unknown) => logs.push(m))
      await mp.evaluate(() => console.info('coverage log'))
      await waitUntil(() => logs.length > 0)
      expect(logs).toContainEqual({ type: 'info', args: ['coverage log'] })
    },
  ],
  [
    'MiniProgram.pageStack',
    async () => expect((await mp.pageStack()).map((p) => p.path)).toEqual(['pages/home/index']),
  ],
  [
    'MiniProgram.currentPage',
    async () => expect((await mp.currentPage())!.path).toBe('pages/home/index'),
  ],
  [
    'MiniProgram.switchTab',
    async () => expect((await mp.switchTab('/pages/tab2/index'))!.path).toBe('pages/tab2/index'),
  ],
  [
    'MiniProgram.navigateTo',
    async () => {
      const p = (await mp.navigateTo('/pages/detail/index?id=7'))!
      expect([p.path, p.query]).toEqual(['pages/detail/index', { id: '7' }])
      expect((await mp.pageStack()).length).toBe(2)
    },
  ],
  [
    'MiniProgram.redirectTo',
    async () => {
      expect((await mp.redirectTo('/pages/layout/index'))!.path).toBe('pages/layout/index')
      expect((await mp.pageStack()).map((p) => p.path)).toEqual([
        'pages/tab2/index',
        'pages/layout/index',
      ])
    },
  ],
  [
    'MiniProgram.navigateBack',
    async () => expect((await mp.navigateBack())!.path).toBe('pages/tab2/index'),
  ],
  [
    'MiniProgram.reLaunch',
    async () => {
      page = (await mp.reLaunch('/pages/layout/index'))!
      expect((await mp.pageStack()).map((p) => p.path)).toEqual(['pages/layout/index'])
    },
  ],
  [
    'MiniProgram.pageScrollTo',
    async () => {
      await mp.pageScrollTo(300)
      expect(await page.scrollTop()).toBe(300)
      // The page heard it, as onPageScroll does on a phone.
      expect(await page.data('pageScrollTop')).toBe(300)
      // Scrolling past the end stops at the end: the page's height minus its viewport.
      await mp.pageScrollTo(100_000)
      const { height } = await page.size()
      const viewport = (await mp.systemInfo()) as { windowHeight: number }
      // The layout page has a navigation bar (45 px) and no tab bar.
      expect(await page.scrollTop()).toBe(Number(height) - (viewport.windowHeight - 45))
      await mp.pageScrollTo(0)
    },
  ],
  [
    'MiniProgram.screenshot',
    async () => {
      const shot = (await mp.screenshot()) as string
      expect(pngSize(shot)).toEqual({ width: 375, height: 667 })
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-')), 'shot.png')
      await mp.screenshot({ path: file })
      expect(pngSize(fs.readFileSync(file).toString('base64'))).toEqual({
        width: 375,
        height: 667,
      })
      // A scrolled page is painted scrolled.
      await mp.pageScrollTo(200)
      expect(await mp.screenshot()).not.toBe(shot)
      await mp.pageScrollTo(0)
    },
  ],
  [
    'MiniProgram.native',
    async () => {
      expect(mp.native()).toBeInstanceOf(Native)
      expect(mp.native()).toBe(mp.native())
    },
  ],
  // — DevTools-only: a clear error naming the method —
  [
    'MiniProgram.remote',
    async () =>
      expect(mp.remote()).rejects.toThrow(
        /^Tool\.enableRemoteDebug is not supported by the headless runtime: miniProgram\.remote\(\)/,
      ),
  ],
  [
    'MiniProgram.testAccounts',
    async () =>
      expect(mp.testAccounts()).rejects.toThrow(
        /^Tool\.getTestAccounts is not supported by the headless runtime: miniProgram\.testAccounts\(\)/,
      ),
  ],
  [
    'MiniProgram.stopAudits',
    async () =>
      expect(mp.stopAudits()).rejects.toThrow(
        /^Tool\.stopAudits is not supported by the headless runtime: miniProgram\.stopAudits\(\)/,
      ),
  ],
  [
    'MiniProgram.getTicket',
    async () =>
      expect(mp.getTicket()).rejects.toThrow(
        /^Tool\.getTicket is not supported by the headless runtime: miniProgram\.getTicket\(\)/,
      ),
  ],
  [
    'MiniProgram.setTicket',
    async () =>
      expect(mp.setTicket('t')).rejects.toThrow(
        /^Tool\.setTicket is not supported by the headless runtime: miniProgram\.setTicket\(\)/,
      ),
  ],
  [
    'MiniProgram.refreshTicket',
    async () =>
      expect(mp.refreshTicket()).rejects.toThrow(
        /^Tool\.refreshTicket is not supported by the headless runtime: miniProgram\.refreshTicket\(\)/,
      ),
  ],
  [
    'MiniProgram.callPluginWxMethod',
    async () =>
      expect(mp.callPluginWxMethod('wx123', 'getStorageSync', 'k')).rejects.toThrow(
        /^App\.callWxMethod with pluginId is not supported by the headless runtime: miniProgram\.callPluginWxMethod\(\).*plugin/,
      ),
  ],
  [
    'MiniProgram.mockPluginWxMethod',
    async () =>
      expect(mp.mockPluginWxMethod('wx123', 'getStorageSync', 1)).rejects.toThrow(
        /^App\.mockWxMethod with pluginId is not supported by the headless runtime: miniProgram\.mockPluginWxMethod\(\).*plugin/,
      ),
  ],
  [
    'MiniProgram.restorePluginWxMethod',
    async () =>
      expect(mp.restorePluginWxMethod('wx123', 'getStorageSync')).rejects.toThrow(
        /^App\.mockWxMethod with pluginId is not supported by the headless runtime: .*restorePluginWxMethod\(\).*plugin/,
      ),
  ],
  // — Page (the layout fixture page) —
  [
    'Page.waitFor',
    async () => {
      await page.waitFor('#box')
      await page.waitFor(async () => (await page.data('taps')) === 0)
      const before = Date.now()
      await page.waitFor(50)
      expect(Date.now() - before).toBeGreaterThanOrEqual(45)
    },
  ],
  ['Page.$', async () => expect((await page.$('.box'))!.tagName).toBe('view')],
  [
    'Page.$$',
    async () => {
      expect(await page.$$('.row')).toHaveLength(10)
      // 0.12 sends XPath through $ / $$ unchanged: a selector starting with '/' is XPath.
      expect(await page.$$('//view[@class="row"]')).toHaveLength(10)
      expect(await (await page.$('//view[text()="r4"]'))!.text()).toBe('r4')
    },
  ],
  [
    'Page.getElementByXpath',
    async () =>
      expect(await (await page.getElementByXpath('//view[text()="r3"]'))!.text()).toBe('r3'),
  ],
  [
    'Page.getElementsByXpath',
    async () => {
      expect(await page.getElementsByXpath('//scroll-view/view[@class="row"]')).toHaveLength(10)
      // The composed tree: inside custom components too.
      const inner = await page.getElementsByXpath('//x-badge//text')
      expect(await inner[0]!.text()).toBe('0')
    },
  ],
  [
    'Page.xpath',
    async () => {
      expect((await page.xpath('(//view[@class="row"])[2]'))!.tagName).toBe('view')
      expect(await page.xpath('//view[@class="absent"]')).toBeNull()
    },
  ],
  ['Page.data', async () => expect(await page.data('rows[1]')).toBe('r1')],
  [
    'Page.setData',
    async () => {
      await page.setData({ rows: ['x0', 'x1'] })
      expect(await page.$$('.row')).toHaveLength(2)
      await page.setData({ rows: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'] })
    },
  ],
  [
    'Page.size',
    async () => {
      const tall = await el('.tall')
      const bottom = (await tall.offset()) as { top: number }
      const { height } = await tall.size()
      // The document ends with the .tall block (page padding is 0); scrollHeight is whole px.
      const size = await page.size()
      expect(size.width).toBe(375)
      expect(Math.abs(Number(size.height) - (bottom.top + Number(height)))).toBeLessThan(1)
    },
  ],
  ['Page.callMethod', async () => expect(await page.callMethod('sum', 2, 3)).toBe(5)],
  [
    'Page.scrollTop',
    async () => {
      expect(await page.scrollTop()).toBe(0)
      await mp.pageScrollTo(120)
      expect(await page.scrollTop()).toBe(120)
      await mp.pageScrollTo(0)
    },
  ],
  // — Element —
  ['Element.$', async () => expect(await (await (await el('#list')).$('.row'))!.text()).toBe('r0')],
  ['Element.$$', async () => expect(await (await el('#list')).$$('.row')).toHaveLength(10)],
  [
    'Element.size',
    // .box is 300rpx × 100rpx: 150 × 50 px on a 375 px wide screen.
    async () => expect(await (await el('#box')).size()).toEqual({ width: 150, height: 50 }),
  ],
  [
    'Element.offset',
    async () => {
      // margin 20rpx 0 0 40rpx → 10 px down, 20 px in; offsets are in the page's document, so
      // scrolling the page does not change them.
      expect(await (await el('#box')).offset()).toEqual({ left: 20, top: 10 })
      await mp.pageScrollTo(60)
      expect(await (await el('#box')).offset()).toEqual({ left: 20, top: 10 })
      // #list follows box (50), pad (40) and themed (50).
      expect(await (await el('#list')).offset()).toEqual({ left: 0, top: 10 + 50 + 40 + 50 })
      await mp.pageScrollTo(0)
    },
  ],
  ['Element.text', async () => expect(await (await el('#box')).text()).toBe('Box')],
  [
    'Element.attribute',
    async () => expect(await (await el('#box')).attribute('class')).toBe('box'),
  ],
  [
    'Element.value',
    async () => {
      const name = await el<InputElement>('#name')
      await name.input('Ann')
      expect(await name.value()).toBe('Ann')
    },
  ],
  [
    'Element.property',
    async () => {
      expect(await (await el('#toggle')).property('checked')).toBe(false)
      await expect((await el('#box')).property('nope')).rejects.toThrow('view.nope not exists')
    },
  ],
  ['Element.wxml', async () => expect(await (await el('#box')).wxml()).toBe('Box')],
  [
    'Element.outerWxml',
    async () => expect(await (await el('.row')).outerWxml()).toBe('<view class="row">r0</view>'),
  ],
  [
    'Element.style',
    async () => {
      const themed = await el('#themed')
      // Computed, with the CSS variable resolved.
      expect(await themed.style('color')).toBe('rgb(0, 128, 255)')
      expect(await themed.style('--accent')).toBe('rgb(0, 128, 255)')
      expect(await (await el('#box')).style('width')).toBe('150px')
    },
  ],
  [
    'Element.tap',
    async () => {
      await (await el('#box')).tap()
      expect(await page.data('taps')).toBe(1)
    },
  ],
  [
    'Element.longpress',
    async () => {
      await (await el('#box')).longpress()
      expect((await events()).at(-1)).toBe('longpress')
      expect(await page.data('taps')).toBe(1) // a long press is not a tap
    },
  ],
  [
    'Element.trigger',
    async () => {
      await (await el('#deep')).trigger('ping', 'triggered')
      expect((await events()).at(-1)).toBe('ping:triggered')
    },
  ],
  [
    'Element.touchstart',
    async () => {
      await (await el('#pad')).touchstart({ touches: [{ identifier: 0, pageX: 5, pageY: 5 }] })
      expect((await events()).at(-1)).toBe('touchstart:1')
    },
  ],
  [
    'Element.touchmove',
    async () => {
      await (await el('#pad')).touchmove({ touches: [{ identifier: 0, pageX: 9, pageY: 9 }] })
      expect((await events()).at(-1)).toBe('touchmove:1')
    },
  ],
  [
    'Element.touchend',
    async () => {
      await (await el('#pad')).touchend()
      expect((await events()).at(-1)).toBe('touchend:0')
    },
  ],
  [
    'Element.dispatchEvent',
    async () => {
      await (await el('#box')).dispatchEvent({ eventName: 'tap' })
      expect(await page.data('taps')).toBe(2)
    },
  ],
  // — Element subclasses, chosen by the client from the descriptor —
  [
    'CustomElement.setData',
    async () => {
      const badge = await el<CustomElement>('#deep')
      expect(badge).toBeInstanceOf(CustomElement)
      await badge.setData({ hits: 41 })
      expect(await (await el('#deep')).text()).toBe('deep 41')
    },
  ],
  [
    'CustomElement.data',
    async () => expect(await (await el<CustomElement>('#deep')).data('hits')).toBe(41),
  ],
  [
    'CustomElement.callMethod',
    async () => expect(await (await el<CustomElement>('#deep')).callMethod('hits')).toBe(41),
  ],
  [
    'InputElement.input',
    async () => {
      const name = await el<InputElement>('#name')
      expect(name).toBeInstanceOf(InputElement)
      await name.input('Bob')
      expect(await page.data('name')).toBe('Bob')
    },
  ],
  [
    'TextareaElement.input',
    async () => {
      const note = await el<TextareaElement>('#note')
      expect(note).toBeInstanceOf(TextareaElement)
      await note.input('hello')
      expect(await page.data('note')).toBe('hello')
    },
  ],
  [
    'ScrollViewElement.scrollTo',
    async () => {
      const list = await el<ScrollViewElement>('#list')
      expect(list).toBeInstanceOf(ScrollViewElement)
      await list.scrollTo(0, 120)
      expect((await events()).at(-1)).toBe('scroll:120')
      // Past the end it stops at the end: 10 rows of 50 px in a 200 px view.
      await list.scrollTo(0, 10_000)
      expect((await events()).at(-1)).toBe('scroll:300')
    },
  ],
  [
    'ScrollViewElement.property',
    async () => {
      const list = await el<ScrollViewElement>('#list')
      expect(await list.property('scrollTop')).toBe(300)
      expect(await list.property('scrollLeft')).toBe(0)
    },
  ],
  [
    'ScrollViewElement.scrollWidth',
    async () => expect(await (await el<ScrollViewElement>('#list')).scrollWidth()).toBe(375),
  ],
  [
    'ScrollViewElement.scrollHeight',
    async () => expect(await (await el<ScrollViewElement>('#list')).scrollHeight()).toBe(500),
  ],
  [
    'SwiperElement.swipeTo',
    async () => {
      const banner = await el<SwiperElement>('#banner')
      expect(banner).toBeInstanceOf(SwiperElement)
      // WeChat's default swiper: full width × 150 px, items side by side, the current one in view.
      expect(await banner.size()).toEqual({ width: 375, height: 150 })
      const at = await banner.offset()
      const one = await el('#slide-one')
      const two = await el('#slide-two')
      expect(await one.size()).toEqual({ width: 375, height: 150 })
      expect(await one.offset()).toEqual(at)
      expect(await two.offset()).toEqual({ left: at.left + 375, top: at.top })
      await banner.swipeTo(1)
      expect((await events()).at(-1)).toBe('swipe:1,two,touch')
      expect(await page.data('slide')).toBe(1)
      expect(await two.offset()).toEqual(at)
      expect(await one.offset()).toEqual({ left: at.left - 375, top: at.top })
      // A vertical swiper stacks its items: the second (current="1") fills the 100 px swiper.
      const column = await (await el('#column')).offset()
      expect(await (await el('#cell-two')).offset()).toEqual(column)
      expect(await (await el('#cell-one')).offset()).toEqual({
        left: column.left,
        top: column.top - 100,
      })
    },
  ],
  [
    'MovableViewElement.moveTo',
    async () => {
      const knob = await el<MovableViewElement>('#knob')
      expect(knob).toBeInstanceOf(MovableViewElement)
      // A 50 px view in a 200 px area stays inside it: x is held at 150.
      await knob.moveTo(500, 30)
      expect((await events()).at(-1)).toBe('move:150,30')
      const area = (await (await el('#area')).offset()) as { left: number; top: number }
      expect(await knob.offset()).toEqual({ left: area.left + 150, top: area.top + 30 })
    },
  ],
  [
    'MovableViewElement.property',
    async () => {
      const knob = await el<MovableViewElement>('#knob')
      expect([await knob.property('x'), await knob.property('y')]).toEqual([150, 30])
    },
  ],
  [
    'SwitchElement.tap',
    async () => {
      const toggle = await el<SwitchElement>('#toggle')
      expect(toggle).toBeInstanceOf(SwitchElement)
      await toggle.tap()
      expect(await page.data('on')).toBe(true)
    },
  ],
  [
    'SliderElement.slideTo',
    async () => {
      const volume = await el<SliderElement>('#volume')
      expect(volume).toBeInstanceOf(SliderElement)
      await volume.slideTo(40)
      expect(await page.data('volume')).toBe(40)
    },
  ],
  [
    'ContextElement.callContextMethod',
    async () => {
      const clip = await el<ContextElement>('#clip')
      expect(clip).toBeInstanceOf(ContextElement)
      await clip.callContextMethod('play')
      await clip.callContextMethod('seek', 12)
      await clip.callContextMethod('pause')
      expect((await events()).slice(-3)).toEqual([
        'video:play',
        'video:seekcomplete',
        'video:pause',
      ])
      await expect(clip.callContextMethod('fly')).rejects.toThrow('VideoContext.fly not exists')
    },
  ],
  // — Native: the system's own UI —
  [
    'Native.confirmModal',
    async () => {
      const shown = outcome('showModal', { title: 't', content: 'c' })
      await mp.native().confirmModal()
      expect(await shown).toMatchObject({ ok: { confirm: true } })
    },
  ],
  [
    'Native.cancelModal',
    async () => {
      const shown = outcome('showModal', { title: 't', content: 'c' })
      await mp.native().cancelModal()
      expect(await shown).toMatchObject({ ok: { confirm: false, cancel: true } })
    },
  ],
  [
    'Native.authorizeCancel',
    async () => {
      const asked = outcome('authorize', { scope: 'scope.userLocation' })
      await mp.native().authorizeCancel()
      expect(await asked).toEqual({ fail: 'auth deny' })
    },
  ],
  [
    'Native.authorizeAllow',
    async () => {
      const asked = outcome('authorize', { scope: 'scope.record' })
      await mp.native().authorizeAllow()
      expect(await asked).toMatchObject({ ok: { errMsg: 'authorize:ok' } })
    },
  ],
  [
    'Native.closePaymentDialog',
    async () => {
      const paying = outcome('requestPayment', {
        timeStamp: '1',
        nonceStr: 'n',
        package: 'prepay_id=1',
        signType: 'RSA',
        paySign: 's',
      })
      await mp.native().closePaymentDialog()
      expect(await paying).toEqual({ fail: 'cancel' })
    },
  ],
  [
    'Native.shareConfirm',
    async () => {
      await (await el('#share')).tap()
      await mp.native().shareConfirm()
      // The sheet was open (answering it succeeded) and is gone now.
      await expect(mp.native().shareConfirm()).rejects.toThrow('no dialog is open')
    },
  ],
  [
    'Native.shareCancel',
    async () => {
      await (await el('#share')).tap()
      await mp.native().shareCancel()
      await expect(mp.native().shareCancel()).rejects.toThrow('no dialog is open')
    },
  ],
  [
    'Native.switchTab',
    async () => {
      await mp.native().switchTab({ url: '/pages/tab2/index' })
      expect((await mp.currentPage())!.path).toBe('pages/tab2/index')
    },
  ],
  [
    'Native.goHome',
    async () => {
      await mp.native().goHome()
      expect((await mp.pageStack()).map((p) => p.path)).toEqual(['pages/home/index'])
    },
  ],
  [
    'Native.navigateLeft',
    async () => {
      await mp.callWxMethod('navigateTo', { url: '/pages/detail/index' })
      await mp.native().navigateLeft()
      expect((await mp.currentPage())!.path).toBe('pages/home/index')
    },
  ],
  // — Ending the session —
  [
    'MiniProgram.disconnect',
    async () => {
      const second = await automator.connect({ wsEndpoint: `ws://127.0.0.1:${port}` })
      second.disconnect()
      await expect(second.currentPage()).rejects.toThrow()
      // The runtime keeps serving the other client.
      expect((await mp.currentPage())!.path).toBe('pages/home/index')
    },
  ],
  [
    'MiniProgram.close',
    async () => {
      await mp.close()
      closed = true
      await portClosed(port)
    },
  ],
]

/** Polls a condition a pushed event makes true (events arrive after the call that causes them). */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s')
    await new Promise((r) => setTimeout(r, 10))
  }
}

beforeAll(async () => {
  port = await freePort()
  mp = await automator.launch({
    cliPath: HEADLESS_CLI,
    projectPath: BASIC_PROJECT,
    port,
    account: 'o-coverage',
  })
}, 60_000)

afterAll(async () => {
  // If a case failed before MiniProgram.close, stop the runtime anyway.
  if (!closed) await mp.close()
})

test('the table has one row per public method of the client (85 in 0.12)', () => {
  const methods = publicMethods()
  expect(methods).toHaveLength(85)
  expect(cases.map(([m]) => m).sort()).toEqual([...methods].sort())
})

test.each(cases)('%s', async (_method, run) => {
  await run()
})
