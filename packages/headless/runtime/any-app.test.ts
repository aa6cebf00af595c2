// A third-party-style app on tdesign-miniprogram (from npm, packed by miniprogram-ci) as DevTools
// loads it: npm components, subpackages (one independent), preloadRule, a custom tab bar with
// getTabBar(), app-level usingComponents, the EventChannel between pages, and the base library's
// additions to `this` (selectComponent → null, animate).
import { buildFixture, type BuiltFixture } from '../fixtures/build'
import { TDESIGN_INSTALLS, TDESIGN_PROJECT } from '../fixtures'
import type { MethodCaller } from './exparser'
import { HeadlessRuntime } from './runtime'

type RouteFn = (o: Record<string, unknown>) => Promise<Record<string, unknown>>

let built: BuiltFixture
let rt: HeadlessRuntime
const exceptions: string[] = []

const wxCall = (name: string, o: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
  (rt.facade.wx[name] as RouteFn)(o)
const page = (): MethodCaller => rt.currentPage!.instance
const html = (): string => rt.currentPage!.container.innerHTML
/** setData and observers settle on microtasks and timers of 0 ms. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

beforeAll(async () => {
  built = await buildFixture(TDESIGN_PROJECT, TDESIGN_INSTALLS)
  rt = new HeadlessRuntime({ projectPath: built.projectPath })
  rt.on('exception', (e) => exceptions.push(e.stack))
  await rt.launch()
}, 120_000)

afterAll(() => built.remove())

test('tdesign components render from miniprogram_npm, app.json ones included, without errors', () => {
  expect(rt.currentPage!.route).toBe('pages/home/index')
  expect(html()).toContain('宫保鸡丁')
  // <t-button> is declared only in app.json.
  expect(html()).toMatch(/<wx-button[^>]*t-button--t-button--primary/)
  expect(exceptions).toEqual([])
})

test('each tab page has its own custom-tab-bar, reachable through getTabBar()', async () => {
  const homeBar = (page().getTabBar as () => MethodCaller)()
  expect(homeBar.data.value).toBe('home')
  await wxCall('switchTab', { url: '/pages/me/index' })
  const meBar = (page().getTabBar as () => MethodCaller)()
  expect(meBar).not.toBe(homeBar)
  expect(meBar.data.value).toBe('me')
  expect(rt.currentPage!.container.querySelector('.headless-custom-tab-bar')).not.toBeNull()
  await wxCall('switchTab', { url: '/pages/home/index' })
})

test('preloadRule downloads the named subpackage when its page opens', () => {
  expect([...rt.loadedSubpackages]).toEqual(['packageA'])
})

test('wx.loadSubpackage marks a subpackage loaded, by name or root; an unknown one fails', async () => {
  expect(rt.loadedSubpackages.has('packageB')).toBe(false)
  await expect(wxCall('loadSubpackage', { root: 'packageB' })).resolves.toMatchObject({
    errMsg: 'loadSubpackage:ok',
  })
  expect(rt.loadedSubpackages.has('packageB')).toBe(true)
  await expect(wxCall('loadSubpackage', { name: 'shop' })).resolves.toMatchObject({
    errMsg: 'loadSubpackage:ok',
  })
  await expect(wxCall('loadSubpackage', { name: 'nope' })).rejects.toMatchObject({
    errMsg: 'loadSubpackage:fail subpackage nope not found',
  })
})

test('a subpackage page opens with its query, and the EventChannel carries both ways', async () => {
  ;(page().openList as () => void)()
  await settle()
  await settle()
  expect(rt.currentPage!.route).toBe('packageA/pages/list/index')
  expect(page().data.category).toBe('hot')
  expect(page().data.greeting).toBe('来自首页')
  // Not a tab page: no custom tab bar.
  expect((page().getTabBar as () => unknown)()).toBeUndefined()
  ;(page().pick as (e: unknown) => void)({ currentTarget: { dataset: { name: '麻婆豆腐' } } })
  await settle()
  await settle()
  expect(rt.currentPage!.route).toBe('pages/home/index')
  expect(page().data.reply).toBe('选了麻婆豆腐')
})

test('a tdesign Toast() called from a page shows its message', async () => {
  ;(page().onSave as () => void)()
  await settle()
  expect(html()).toContain('已保存')
  expect(rt.currentPage!.container.querySelector('[class*="t-toast__text"]')?.textContent).toBe(
    '已保存',
  )
})

test('selectComponent answers null when nothing matches, the instance otherwise', () => {
  const select = page().selectComponent as (s: string) => unknown
  expect(select('#nothing-here')).toBeNull()
  expect((select('#t-toast') as MethodCaller).data).toBeDefined()
})

test('animate() applies the last keyframe and calls back when the animation ends', async () => {
  const done = new Promise<void>((resolve) =>
    (page().animate as (...a: unknown[]) => void)(
      '#saved',
      [{ opacity: 0 }, { opacity: 0.5, translateX: 10 }],
      0,
      resolve,
    ),
  )
  await done
  // ids live on exparser nodes (not in the DOM): find the view there, then read its element.
  const shadow = rt.currentPage!.node.shadowRoot as unknown as {
    querySelector(s: string): { $$: HTMLElement } | null
  }
  const el = shadow.querySelector('#saved')?.$$
  expect(el?.style.opacity).toBe('0.5')
  expect(el?.style.transform).toBe('translateX(10px)')
})

test('a scroll-driven animate() (a ScrollTimeline for the callback) stays at its first keyframe', async () => {
  const animate = page().animate as (...a: unknown[]) => void
  const timeline = { scrollSource: '#scroller', timeRange: 1000, startScrollOffset: 0 }
  animate('#saved', [{ opacity: 0.25 }, { opacity: 1 }], 0, timeline)
  // A time-driven animation of 0 ms started after it ends after anything the first one scheduled
  // (timers of equal delay run in order), so by then the scroll-driven one would have ended too.
  await new Promise<void>((resolve) => animate('#saved-other', [{}, {}], 0, resolve))
  const shadow = rt.currentPage!.node.shadowRoot as unknown as {
    querySelector(s: string): { $$: HTMLElement } | null
  }
  expect(shadow.querySelector('#saved')?.$$.style.opacity).toBe('0.25')
})

test('an independent subpackage page runs without the main package until one of its pages opens', async () => {
  await wxCall('navigateTo', { url: '/packageB/pages/solo/index' })
  // Opened from the app, the main package is already there.
  expect(page().data.appState).toBe('main loaded')
})

test('the app launched at an independent subpackage page has no App until a main page opens', async () => {
  const solo = new HeadlessRuntime({
    projectPath: built.projectPath,
    entry: 'packageB/pages/solo/index',
  })
  // Same process, same globals: the second runtime is only launched, never mixed with the first.
  await solo.launch()
  expect(solo.currentPage!.instance.data.appState).toBe('alone')
  const getApp = (
    globalThis as unknown as {
      getApp(o?: { allowDefault?: boolean }): { globalData?: unknown } | undefined
    }
  ).getApp
  expect(getApp()).toBeUndefined()
  // allowDefault hands out a default object instead (app.js later fills it in).
  expect(getApp({ allowDefault: true })).toEqual(expect.any(Object))
  await (solo.facade.wx.reLaunch as RouteFn)({ url: '/pages/home/index' })
  expect(getApp()?.globalData).toEqual({ launched: true })
})
