// The layout service on the fixture's layout page: what it measures is where the screenshot
// paints it, it follows the app's re-renders, and wx.pageScrollTo / scroll-view positions behave
// as on a phone.
import { BASIC_PROJECT } from '../../fixtures'
import { createRuntimeWx } from '../fake-wx-bridge'
import type { ExparserNode } from '../exparser'
import type { PageRecord } from '../page'
import { HeadlessRuntime } from '../runtime'
import { querySelectorAll } from '../selector'
import { evaluateXPath, XPathError } from '../xpath'
import { NAVIGATION_BAR_HEIGHT } from './compose'
import { layoutOf, nodeFields, viewportFields } from '.'
import { decodePng } from './png'

jest.setTimeout(30_000)

let rt: HeadlessRuntime
let page: PageRecord

const node = (selector: string): ExparserNode => {
  const [n] = querySelectorAll(rt.exparser, page.node, selector)
  if (!n) throw new Error(`no ${selector}`)
  return n
}
const measure = (selector: string) => layoutOf(rt).measureOne(page, node(selector))
const wxCall = (name: string, o: object): Promise<unknown> =>
  (rt.facade.wx[name] as (o: object) => Promise<unknown>)(o)
const setData = (d: Record<string, unknown>): void => page.instance.setData(d)
const RED: [number, number, number] = [255, 0, 0]

beforeAll(async () => {
  const bridge = createRuntimeWx()
  rt = new HeadlessRuntime({ projectPath: BASIC_PROJECT, ...bridge.runtimeOptions })
  await rt.launch()
  await rt.router.navigateTo('/pages/layout/index')
  page = rt.currentPage!
})

afterAll(() => rt.close())

afterEach(async () => {
  if (!page.isUnloaded) await layoutOf(rt).scrollPage(page, 0)
})

test('a measured element is where the screenshot paints it, scrolled or not', async () => {
  const box = await measure('#box')
  // 300rpx × 100rpx with a 20rpx/40rpx margin, at 375 px wide: half the rpx figures.
  expect(box.size).toEqual({ width: 150, height: 50 })
  expect(box.rect).toMatchObject({ left: 20, top: 10 })
  const shot = decodePng(Buffer.from(await layoutOf(rt).screenshot(page), 'base64'))
  const centreY = NAVIGATION_BAR_HEIGHT + box.rect.top + box.rect.height / 2
  expect(shot.pixel(box.rect.left + 75, centreY)).toEqual(RED)
  expect(shot.pixel(box.rect.right + 5, centreY)).not.toEqual(RED)

  await wxCall('pageScrollTo', { scrollTop: 4, duration: 0 })
  const scrolled = await measure('#box')
  // The rect is relative to the viewport (it moved up); the offset is in the document (it did not).
  expect(scrolled.rect.top).toBe(box.rect.top - 4)
  expect(scrolled.offset).toEqual(box.offset)
  const after = decodePng(Buffer.from(await layoutOf(rt).screenshot(page), 'base64'))
  expect(after.pixel(box.rect.left + 75, NAVIGATION_BAR_HEIGHT + scrolled.rect.top + 1)).toEqual(
    RED,
  )
  expect(after.pixel(box.rect.left + 75, NAVIGATION_BAR_HEIGHT + box.rect.bottom - 2)).not.toEqual(
    RED,
  )
  expect(page.instance.data.pageScrollTop).toBe(4)
})

test('measurements follow the app re-rendering (setData)', async () => {
  const layout = layoutOf(rt)
  expect((await measure('#list')).scroll.scrollHeight).toBe(500)
  setData({ rows: ['a', 'b', 'c'] })
  // 3 rows of 50 px no longer overflow the 200 px view.
  expect((await measure('#list')).scroll.scrollHeight).toBe(200)
  setData({ rows: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'] })
  expect((await layout.measureOne(page, node('#list'))).scroll.scrollHeight).toBe(500)
})

test('pageScrollTo to a selector brings the element to the top, plus offsetTop', async () => {
  const list = await measure('#list')
  await wxCall('pageScrollTo', { selector: '#list', offsetTop: -10, duration: 0 })
  expect(layoutOf(rt).pageScrollTop(page)).toBe(list.offset.top - 10)
  await expect(wxCall('pageScrollTo', { selector: '#absent' })).rejects.toEqual({
    errMsg: 'pageScrollTo:fail selector #absent not found',
  })
})

test('a scroll-view stays where it was scrolled until its scroll-top binding changes', async () => {
  const layout = layoutOf(rt)
  setData({ listTop: 100 })
  expect((await measure('#list')).scroll.scrollTop).toBe(100)
  await layout.scrollElement(page, node('#list'), 0, 50)
  setData({ note: 'an unrelated re-render' })
  expect((await measure('#list')).scroll.scrollTop).toBe(50)
  setData({ listTop: 120 })
  expect((await measure('#list')).scroll.scrollTop).toBe(120)
})

test("a movable-view's x binding moves it; moveTo keeps it inside its area", async () => {
  const layout = layoutOf(rt)
  const area = await measure('#area')
  setData({ knobX: 40 })
  expect((await measure('#knob')).offset.left).toBe(area.offset.left + 40)
  expect(await layout.moveElement(page, node('#knob'), -20, 999)).toEqual({ x: 0, y: 150 })
  expect(layout.movablePosition(node('#knob'))).toEqual({ x: 0, y: 150 })
})

test('a page under another one is still laid out (its own webview in WeChat)', async () => {
  await rt.router.navigateTo('/pages/detail/index')
  expect((await measure('#box')).size).toEqual({ width: 150, height: 50 })
  await rt.router.navigateBack()
})

test('SelectorQuery answers: node fields and the viewport', async () => {
  const layout = layoutOf(rt)
  const [box, absent] = await nodeFields(
    layout,
    page,
    [node('#box'), { ...node('#box'), $$: null } as ExparserNode],
    { id: true, rect: true, size: true, computedStyle: ['backgroundColor', 'width'] },
  )
  expect(box).toEqual({
    id: 'box',
    left: 20,
    right: 170,
    top: 10,
    bottom: 60,
    width: '150px', // computedStyle wins over size, as documented
    height: 50,
    backgroundColor: 'rgb(255, 0, 0)',
  })
  expect(absent).toBeNull()
  await layout.scrollPage(page, 25)
  const viewport = await viewportFields(layout, page, { rect: true, scrollOffset: true })
  const metrics = await layout.pageMetrics(page)
  expect(viewport).toEqual({
    left: 0,
    top: 0,
    right: 375,
    bottom: 667 - NAVIGATION_BAR_HEIGHT,
    scrollLeft: 0,
    scrollTop: 25,
    scrollWidth: 375,
    scrollHeight: metrics.scrollHeight,
  })
})

test('XPath works over the composed tree and reports a bad expression', () => {
  expect(evaluateXPath(rt.exparser, page.node, '//x-badge/view/text')).toHaveLength(1)
  const [share] = evaluateXPath(rt.exparser, page.node, '//button[text()="Share"]')
  expect(share).toBe(node('#share'))
  expect(() => evaluateXPath(rt.exparser, page.node, '//view[')).toThrow(XPathError)
})

test('a swiper shows its current item, full size, in the screenshot', async () => {
  const BLUE: [number, number, number] = [0, 0, 255]
  const GREEN: [number, number, number] = [0, 255, 0]
  await wxCall('pageScrollTo', { selector: '#banner', duration: 0 })
  const banner = await measure('#banner')
  expect(banner.size).toEqual({ width: 375, height: 150 })
  const centre = (shot: ReturnType<typeof decodePng>) =>
    shot.pixel(187, NAVIGATION_BAR_HEIGHT + banner.rect.top + 75)
  const first = decodePng(Buffer.from(await layoutOf(rt).screenshot(page), 'base64'))
  expect(centre(first)).toEqual(BLUE)
  setData({ slide: 1 })
  expect((await measure('#slide-two')).rect).toEqual(banner.rect)
  const second = decodePng(Buffer.from(await layoutOf(rt).screenshot(page), 'base64'))
  expect(centre(second)).toEqual(GREEN)
  setData({ slide: 0 })
})
