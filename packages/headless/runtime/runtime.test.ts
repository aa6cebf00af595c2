// The runtime core on the fixture project: loading (TS on the fly, one shared mobx instance,
// Page() and Component() pages, global usingComponents) and the router's lifecycle order.
import { BASIC_PROJECT } from '../fixtures'
import { HeadlessRuntime } from './runtime'

type Log = { lifecycleLog(): string[]; clearLog(): void }
type RouteFn = (o: Record<string, unknown>) => Promise<{ errMsg: string }>

let rt: HeadlessRuntime
let log: Log

const wxCall = (name: string, o: Record<string, unknown> = {}): Promise<{ errMsg: string }> =>
  (rt.facade.wx[name] as RouteFn)(o)

const take = (): string[] => {
  const l = log.lifecycleLog()
  log.clearLog()
  return l
}

beforeAll(async () => {
  rt = new HeadlessRuntime({ projectPath: BASIC_PROJECT })
  await rt.launch()
  log = rt.loader.require(rt.loader.resolveFromRoot('log')) as Log
})

test('launch runs App onLaunch → onShow, then the entry page onLoad → onShow → onReady', () => {
  expect(take()).toEqual([
    'app:onLaunch {"path":"pages/home/index","query":{},"scene":1001,"referrerInfo":{}}',
    'app:onShow',
    'home:onLoad {}',
    'home:onShow',
    'home:onReady',
  ])
  const g = globalThis as unknown as {
    getApp(): { globalData: unknown }
    getCurrentPages(): unknown[]
  }
  expect(g.getApp().globalData).toEqual({ launched: true })
  expect(g.getCurrentPages()).toHaveLength(1)
})

test('TypeScript pages render with global usingComponents and mobx bindings', async () => {
  const page = rt.currentPage!
  expect(page.route).toBe('pages/home/index')
  expect(page.container.innerHTML).toContain('x-badge')
  expect(page.instance.data.count).toBe(0)
  // The store module the page bound is the loader's single instance of it.
  const store = rt.loader.require(rt.loader.resolveFromRoot('stores/counter')) as {
    counter: { inc(): void }
  }
  store.counter.inc()
  await new Promise((r) => setTimeout(r, 10))
  expect(page.instance.data.count).toBe(1)
  expect(page.instance.data.double).toBe(2)
  const mobx1 = rt.loader.require(rt.loader.resolve('mobx-miniprogram', rt.project.root))
  const mobx2 = rt.loader.require(
    rt.loader.resolve('mobx-miniprogram', `${rt.project.root}/pages/home`),
  )
  expect(mobx1).toBe(mobx2)
})

test('navigateTo hides the current page and loads the new one with its query (Page() page)', async () => {
  await wxCall('navigateTo', { url: '/pages/detail/index?id=7&q=a%20b' })
  expect(take()).toEqual([
    'home:onHide',
    'detail:onLoad {"id":"7","q":"a%20b"}',
    'detail:onShow',
    'detail:onReady',
  ])
  expect(rt.router.pageStack.map((p) => p.route)).toEqual([
    'pages/home/index',
    'pages/detail/index',
  ])
  expect(rt.currentPage!.instance.data.id).toBe('7')
})

test('navigateBack unloads the top page and shows the one below', async () => {
  await wxCall('navigateBack')
  expect(take()).toEqual(['detail:onUnload', 'home:onShow'])
  await expect(wxCall('navigateBack')).rejects.toEqual({
    errMsg: 'navigateBack:fail cannot navigate back at first page.',
  })
})

test('redirectTo unloads the current page first', async () => {
  await wxCall('navigateTo', { url: '/pages/detail/index?id=1' })
  take()
  // A relative URL resolves against the current page's directory.
  await expect(wxCall('redirectTo', { url: 'detail/index?id=2' })).rejects.toEqual({
    errMsg: 'redirectTo:fail page "pages/detail/detail/index" is not found',
  })
  expect(take()).toEqual([])
  await wxCall('redirectTo', { url: '/pages/detail/index?id=2' })
  expect(take()).toEqual([
    'detail:onUnload',
    'detail:onLoad {"id":"2"}',
    'detail:onShow',
    'detail:onReady',
  ])
  await wxCall('navigateBack')
  take()
})

test('switchTab keeps tab pages alive and closes non-tab pages', async () => {
  await wxCall('navigateTo', { url: '/pages/detail/index' })
  take()
  await wxCall('switchTab', { url: '/pages/tab2/index' })
  expect(take()).toEqual(['detail:onUnload', 'tab2:onLoad', 'tab2:onShow', 'tab2:onReady'])
  await wxCall('switchTab', { url: '/pages/home/index' })
  expect(take()).toEqual(['tab2:onHide', 'home:onShow'])
  await wxCall('switchTab', { url: '/pages/tab2/index' })
  expect(take()).toEqual(['home:onHide', 'tab2:onShow'])
  expect(rt.router.pageStack.map((p) => p.route)).toEqual(['pages/tab2/index'])
})

test('reLaunch closes every page, tab pages included', async () => {
  await wxCall('reLaunch', { url: '/pages/home/index?from=relaunch' })
  expect(take().sort()).toEqual(
    [
      'home:onUnload',
      'tab2:onUnload',
      'home:onLoad {"from":"relaunch"}',
      'home:onShow',
      'home:onReady',
    ].sort(),
  )
  expect(rt.router.pageStack).toHaveLength(1)
})

test('route failures use WeChat errMsgs', async () => {
  await expect(wxCall('navigateTo', { url: '/pages/tab2/index' })).rejects.toEqual({
    errMsg: 'navigateTo:fail can not navigateTo a tabbar page',
  })
  await expect(wxCall('switchTab', { url: '/pages/detail/index' })).rejects.toEqual({
    errMsg: 'switchTab:fail can not switch to no-tabBar page',
  })
  await expect(wxCall('navigateTo', { url: '/pages/nope/index' })).rejects.toEqual({
    errMsg: 'navigateTo:fail page "pages/nope/index" is not found',
  })
})

test('a throwing lifecycle is reported, not fatal to the navigation', async () => {
  const errors: string[] = []
  rt.on('exception', (e) => errors.push(e.message))
  const page = rt.currentPage!
  ;(page.instance as Record<string, unknown>).onHide = () => {
    throw new Error('boom in onHide')
  }
  await wxCall('navigateTo', { url: '/pages/detail/index' })
  expect(errors).toEqual(['boom in onHide'])
  expect(rt.currentPage!.route).toBe('pages/detail/index')
  await wxCall('navigateBack')
})

test('the screenshot document has the page, its title, the WXSS and the tab bar', async () => {
  await wxCall('reLaunch', { url: '/pages/home/index' })
  const { pageHtml } = await import('./screenshot')
  const html = pageHtml(rt)
  expect(html).toContain('<div class="headless-nav">Home</div>')
  expect(html).toContain('pages-home-index--title')
  // rpx is converted for a 375 px wide screen (36rpx → 18px), and wx-* built-ins get a base style.
  expect(html).toMatch(/font-size:18px/)
  expect(html).toContain('wx-button')
  expect(html).toContain('>Tab2</div>')
})

test('wx.setNavigationBarTitle retitles the current page in the screenshot document', async () => {
  await wxCall('reLaunch', { url: '/pages/home/index' })
  await wxCall('setNavigationBarTitle', { title: '新标题' })
  const { pageHtml } = await import('./screenshot')
  expect(pageHtml(rt)).toContain('<div class="headless-nav">新标题</div>')
  await wxCall('reLaunch', { url: '/pages/home/index' })
  expect(pageHtml(rt)).toContain('<div class="headless-nav">Home</div>')
})
