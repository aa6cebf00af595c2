// Patterns met in public mini-programs this project did not write, reproduced in our own fixture
// (fixtures/classic) and driven as a QA script drives them: the unmodified miniprogram-automator
// client through automator.launch({ cliPath }). Each test names the runtime defect it guards.
import automator from 'miniprogram-automator'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import type Element from 'miniprogram-automator/out/Element'
import type { InputElement, ScrollViewElement } from 'miniprogram-automator/out/Element'
import type Page from 'miniprogram-automator/out/Page'
import { CLASSIC_PROJECT } from '../fixtures'
import { freePort } from './free-port'
import { HEADLESS_CLI } from './paths'

jest.setTimeout(60_000)

interface AppState {
  appName: string
  lazyName: string
  rejections: string[]
}

let mp: MiniProgram
const exceptions: string[] = []

beforeAll(async () => {
  mp = await automator.launch({
    cliPath: HEADLESS_CLI,
    projectPath: CLASSIC_PROJECT,
    port: await freePort(),
  })
  mp.on('exception', (e: { message: string }) => exceptions.push(e.message))
})

afterAll(async () => {
  await mp?.close()
})

async function home(): Promise<Page> {
  return (await mp.reLaunch('/pages/index/index'))!
}

const appState = (): Promise<AppState> =>
  mp.evaluate(() => (getApp() as unknown as { globalData: AppState }).globalData)

test('launch survives wx.cloud.init, and require.async loads a module after onLaunch', async () => {
  const page = await home()
  await page.waitFor(async () => (await appState()).lazyName !== '')
  expect(await appState()).toMatchObject({ appName: '经典', lazyName: 'lazy module' })
})

test('templates imported by a root-absolute path render, with {{...spread}} data', async () => {
  const page = await home()
  const cards = (await page.$$('.card')) as Element[]
  expect(await Promise.all(cards.map((card) => card.text()))).toEqual([
    '苹果 ¥3.50',
    '香蕉 ¥1.20',
    '橙子 ¥5.00',
  ])
  expect(await (await page.$('.footer'))!.text()).toBe('共 2 件')
})

test('capture-bind and bindtap on one element both run, in capture then bubble order', async () => {
  const page = await home()
  await (await page.$('#inner'))!.tap()
  await page.waitFor(async () => ((await page.data('taps')) as string[]).length === 3)
  expect(await page.data('taps')).toEqual(['outer capture', 'inner', 'outer bubble'])
})

test('require through app.json resolveAlias, and non-function Page fields stay on the page', async () => {
  const page = await home()
  expect(await page.data('goods[0].price')).toBe('¥3.50')
  const pageSize = await mp.evaluate(() => {
    const pages = getCurrentPages()
    return (pages[pages.length - 1] as unknown as { pageSize: number }).pageSize
  })
  expect(pageSize).toBe(20)
})

test('wx.request to an unreachable host and wx.cloud calls fail with a reason, not a crash', async () => {
  const page = await home()
  await (await page.$('#request'))!.tap()
  await (await page.$('#cloud'))!.tap()
  await page.waitFor(async () => (await page.data('cloudResult')) !== '')
  await page.waitFor(async () => (await page.data('requestResult')) !== '')
  expect(await page.data('requestResult')).toMatch(
    /^request:fail https:\/\/api\.example\.com\/goods is not reachable: .*WX_SIM_SERVER/,
  )
  expect(await page.data('cloudResult')).toBe(
    'cloud.callFunction:fail cloud development (wx.cloud) is not supported by the headless runtime',
  )
})

test('an unhandled wx rejection reaches App.onUnhandledRejection and the client with its errMsg', async () => {
  const page = await home()
  exceptions.length = 0
  await (await page.$('#back'))!.tap()
  await page.waitFor(async () => (await appState()).rejections.length > 0)
  expect((await appState()).rejections).toEqual([
    'navigateBack:fail cannot navigate back at first page.',
  ])
  await page.waitFor(() => exceptions.length > 0)
  expect(exceptions).toEqual([
    'Unhandled promise rejection: navigateBack:fail cannot navigate back at first page.',
  ])
})

test('navigationStyle custom: the page has no native navigation bar above it', async () => {
  // A tab page's viewport is the screen (667) minus the tab bar (51), and minus the 45 px
  // navigation bar unless the page draws its own.
  const plain = (await mp.switchTab('/pages/plain/plain'))!
  expect((await plain.size()).height).toBe(667 - 51)
  const index = (await mp.switchTab('/pages/index/index'))!
  expect((await index.size()).height).toBe(667 - 51 - 45)
})

describe('a form of choice controls, as a user fills it in', () => {
  let page: Page

  beforeAll(async () => {
    page = (await mp.reLaunch('/pages/form/form'))!
  })

  test('a switch toggles and reports its state', async () => {
    await (await page.$('#agree'))!.tap()
    await page.waitFor(async () => (await page.data('agreed')) === true)
    await (await page.$('#agree'))!.tap()
    await page.waitFor(async () => (await page.data('agreed')) === false)
    await (await page.$('#agree'))!.tap()
    await page.waitFor(async () => (await page.data('agreed')) === true)
  })

  test('a tap on a label selects its radio; the radio-group reports the value', async () => {
    await (await page.$('#small'))!.tap()
    await page.waitFor(async () => (await page.data('size')) === 'small')
  })

  test('checkboxes toggle through their label, by `for`, and report the checked values', async () => {
    await (await page.$('#extras label'))!.tap()
    await page.waitFor(async () => ((await page.data('extras')) as string[]).length === 1)
    await (await page.$('#sugar-label'))!.tap()
    await page.waitFor(async () => ((await page.data('extras')) as string[]).length === 2)
    expect(await page.data('extras')).toEqual(['ice', 'sugar'])
  })

  test('the form submits what the user chose (formType written in camelCase)', async () => {
    await (await page.$('#submit'))!.tap()
    await page.waitFor(async () => (await page.data('submitted')) !== null)
    expect(await page.data('submitted')).toEqual({
      agree: true,
      size: 'small',
      extras: ['ice', 'sugar'],
      amount: 3,
    })
  })
})

describe('<navigator>', () => {
  test('a relative url with a query opens the page; navigateBack returns', async () => {
    const form = (await mp.reLaunch('/pages/form/form'))!
    await (await form.$('#to-detail'))!.tap()
    await form.waitFor(async () => (await mp.currentPage())!.path === 'pkg/pages/detail/detail')
    const detail = (await mp.currentPage())!
    expect(detail.query).toEqual({ from: 'form' })
    expect(await (await detail.$('#from'))!.text()).toBe('form')
    await (await detail.$('#detail-back'))!.tap()
    await detail.waitFor(async () => (await mp.currentPage())!.path === 'pages/form/form')
  })

  /** Opens the detail page on top of index → form, and waits until it is on top. */
  async function detailOverIndexAndForm(): Promise<Page> {
    const index = await home()
    await mp.callWxMethod('navigateTo', { url: '/pages/form/form' })
    await mp.callWxMethod('navigateTo', { url: '/pkg/pages/detail/detail?from=stack' })
    await index.waitFor(async () => (await mp.currentPage())!.path === 'pkg/pages/detail/detail')
    return (await mp.currentPage())!
  }
  const stack = async (): Promise<string[]> => (await mp.pageStack()).map((p) => p.path)

  test('open-type navigateBack with delta, redirect and reLaunch route as their APIs', async () => {
    let detail = await detailOverIndexAndForm()
    await (await detail.$('#back-two'))!.tap()
    await detail.waitFor(async () => (await stack()).join() === 'pages/index/index')

    detail = await detailOverIndexAndForm()
    await (await detail.$('#redirect-form'))!.tap()
    await detail.waitFor(
      async () => (await stack()).join() === 'pages/index/index,pages/form/form,pages/form/form',
    )

    detail = await detailOverIndexAndForm()
    await (await detail.$('#relaunch-feed'))!.tap()
    await detail.waitFor(async () => (await stack()).join() === 'pages/feed/feed')
  })

  test('a navigator whose route fails is reported to the client with the errMsg', async () => {
    const detail = await detailOverIndexAndForm()
    exceptions.length = 0
    await (await detail.$('#to-nowhere'))!.tap()
    await detail.waitFor(() => exceptions.length > 0)
    expect(exceptions[0]).toContain('navigateTo:fail page "pages/nowhere/nowhere" is not found')
    expect((await mp.currentPage())!.path).toBe('pkg/pages/detail/detail')
  })

  test('openType="switchTab" switches tab', async () => {
    const form = (await mp.reLaunch('/pages/form/form'))!
    await (await form.$('#to-plain'))!.tap()
    await form.waitFor(async () => (await mp.currentPage())!.path === 'pages/plain/plain')
  })
})

test('a component hears its page shown once per show (pageLifetimes)', async () => {
  const plain = (await mp.reLaunch('/pages/plain/plain'))!
  const visits = (await plain.$('#visits'))!
  expect(await visits.text()).toBe('1')
  await mp.switchTab('/pages/index/index')
  await mp.switchTab('/pages/plain/plain')
  expect(await visits.text()).toBe('2')
})

test('hidden="{{true}}" and hidden="false" hide the element; hidden="{{false}}" does not; a class display wins', async () => {
  const plain = (await mp.reLaunch('/pages/plain/plain'))!
  expect(await (await plain.$('#secret'))!.style('display')).toBe('none')
  expect(await (await plain.$('#secret'))!.size()).toEqual({ width: 0, height: 0 })
  expect(await (await plain.$('#shown'))!.style('display')).toBe('block')
  // hidden="false" is a non-empty string: hidden, as in WeChat.
  expect(await (await plain.$('#literal-false'))!.style('display')).toBe('none')
  // A class that sets display wins over hidden, as on the platform.
  expect(await (await plain.$('#flexed'))!.style('display')).toBe('flex')
})

test('WXSS @import: relative from app.wxss, root-absolute and without ";" from a page', async () => {
  const page = await home()
  expect(await (await page.$('#featured'))!.style('color')).toBe('rgb(7, 193, 96)')
  expect(await (await page.$('.card'))!.style('color')).toBe('rgb(51, 51, 51)')
})

test('wx.onAppRoute registered at launch hears every route', async () => {
  await mp.reLaunch('/pages/form/form')
  await mp.navigateTo('/pkg/pages/detail/detail?from=route')
  const routes = (await mp.evaluate(
    () => (getApp() as unknown as { globalData: { routes: string[] } }).globalData.routes,
  )) as string[]
  expect(routes.slice(-2)).toEqual([
    'reLaunch pages/form/form',
    'navigateTo pkg/pages/detail/detail',
  ])
})

test('wx.setNavigationBarTitle retitles the native bar; a missing title is a parameter error', async () => {
  const detail = (await mp.reLaunch('/pkg/pages/detail/detail?from=title'))!
  const title = await mp.evaluate(
    () =>
      new Promise<string>((resolve) => {
        wx.setNavigationBarTitle({
          title: undefined as unknown as string,
          fail: (e) => resolve(e.errMsg),
        })
      }),
  )
  expect(title).toBe(
    'setNavigationBarTitle:fail parameter error: parameter.title should be String instead of Undefined',
  )
  // The bar is painted above the page, so the page's viewport is the screen minus its 45 px.
  expect((await detail.size()).height).toBe(667 - 45)
})

describe('an infinite feed, as shop and feed apps write it', () => {
  let page: Page

  beforeEach(async () => {
    page = (await mp.reLaunch('/pages/feed/feed'))!
  })

  test('a bindinput handler echoing into data, then clearing it on confirm, empties the field', async () => {
    const keyword = (await page.$('#keyword')) as InputElement
    await keyword.input('手机')
    expect(await page.data('keyword')).toBe('手机')
    await keyword.trigger('confirm', { value: '手机' })
    await page.waitFor(async () => ((await page.data('searches')) as string[]).length === 1)
    expect(await page.data('keyword')).toBe('')
    expect(await keyword.value()).toBe('')
  })

  test('wx.getUserInfo in onLoad answers the anonymous user without a dialog', async () => {
    await page.waitFor(async () => (await page.data('nickName')) !== '')
    expect(await page.data('nickName')).toBe('微信用户')
  })

  test('an <icon> is `size` px square (default 23, rpx allowed)', async () => {
    expect(await (await page.$('#search-icon'))!.size()).toEqual({ width: 14, height: 14 })
    expect(await (await page.$('#clear-icon'))!.size()).toEqual({ width: 23, height: 23 })
    expect(await (await page.$('#big-icon'))!.size()).toEqual({ width: 30, height: 30 })
  })

  test('a size="mini" button is an inline 13 px button, not a full-width one', async () => {
    const pay = await (await page.$('#pay'))!.size()
    // 13 px × line-height 2.3 plus its 1 px borders; as wide as its text and 1.34em padding.
    expect(pay.height).toBe(32)
    expect(pay.width).toBeLessThan(100)
  })

  test('scroll-view fires scrolltolower and scrolltoupper once as the scroll enters each edge', async () => {
    const comments = (await page.$('#comments')) as ScrollViewElement
    // 10 comments of 50 px in a 200 px view: the bottom is at 300, the zones are 50 px deep.
    await comments.scrollTo(0, 400)
    await comments.scrollTo(0, 280)
    await comments.scrollTo(0, 0)
    await page.waitFor(async () => ((await page.data('edges')) as string[]).length === 2)
    expect(await page.data('edges')).toEqual(['lower bottom', 'upper top'])
  })

  test('scroll-into-view scrolls the scroll-view to the child with that id', async () => {
    const catalog = (await page.$('#catalog')) as ScrollViewElement
    expect(await catalog.property('scrollTop')).toBe(0)
    await (await page.$('#to-c3'))!.tap()
    await page.waitFor(async () => (await page.data('anchor')) === 'c-3')
    // Children are 50 px tall: c-3 starts at 100.
    expect(await catalog.property('scrollTop')).toBe(100)
  })

  test('scrolling the page to its bottom runs onReachBottom once per arrival', async () => {
    await mp.pageScrollTo(100)
    expect(await page.data('pages')).toBe(1)
    await mp.pageScrollTo(100_000)
    await page.waitFor(async () => (await page.data('pages')) === 2)
    expect(((await page.data('posts')) as number[]).length).toBe(40)
  })

  test('wx.startPullDownRefresh runs the page onPullDownRefresh where pull-down is enabled', async () => {
    await mp.pageScrollTo(100_000)
    await page.waitFor(async () => (await page.data('pages')) === 2)
    await mp.callWxMethod('startPullDownRefresh')
    await page.waitFor(async () => (await page.data('refreshed')) === 1)
    expect(((await page.data('posts')) as number[]).length).toBe(20)
  })
})
