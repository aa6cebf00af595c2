// Apps this project did not write the way its own app is written: one on tdesign-miniprogram
// (subpackages, custom tab bar, app-level components) and one on @vant/weapp, both from npm and
// packed by miniprogram-ci as 构建 npm does, driven by the unmodified miniprogram-automator client
// started through automator.launch({ cliPath }), as a QA engineer's script would.
import automator from 'miniprogram-automator'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import type Page from 'miniprogram-automator/out/Page'
import { TDESIGN_INSTALLS, TDESIGN_PROJECT, VANT_INSTALLS, VANT_PROJECT } from '../fixtures'
import { buildFixture, type BuiltFixture } from '../fixtures/build'
import { freePort } from './free-port'
import { HEADLESS_CLI } from './paths'

jest.setTimeout(120_000)

async function launch(built: BuiltFixture): Promise<{ mp: MiniProgram; exceptions: unknown[] }> {
  const mp = await automator.launch({
    cliPath: HEADLESS_CLI,
    projectPath: built.projectPath,
    port: await freePort(),
  })
  const exceptions: unknown[] = []
  mp.on('exception', (e: unknown) => exceptions.push(e))
  return { mp, exceptions }
}

/** Polls (through the protocol) until the page's data at `path` is `value`. */
async function dataBecomes(page: Page, path: string, value: unknown): Promise<void> {
  await page.waitFor(async () => (await page.data(path)) === value)
  expect(await page.data(path)).toBe(value)
}

describe('an app on tdesign-miniprogram', () => {
  let built: BuiltFixture
  let mp: MiniProgram
  let exceptions: unknown[]

  beforeAll(async () => {
    built = await buildFixture(TDESIGN_PROJECT, TDESIGN_INSTALLS)
    ;({ mp, exceptions } = await launch(built))
  })

  afterAll(async () => {
    await mp?.close()
    built?.remove()
  })

  test('renders its npm components and answers taps', async () => {
    const page = (await mp.currentPage())!
    expect(page.path).toBe('pages/home/index')
    expect(await (await page.$('#first-cell'))!.text()).toContain('宫保鸡丁')
    await (await page.$('#save'))!.tap()
    await dataBecomes(page, 'savedText', '已保存')
    expect(await (await page.$('#t-toast'))!.text()).toContain('已保存')
  })

  test('opens a subpackage page, and the pages talk through their EventChannel', async () => {
    const home = (await mp.currentPage())!
    await (await home.$('#open-list'))!.tap()
    await home.waitFor(async () => (await mp.currentPage())!.path === 'packageA/pages/list/index')
    const list = (await mp.currentPage())!
    expect(list.query).toEqual({ category: 'hot' })
    await dataBecomes(list, 'greeting', '来自首页')
    const dishes = await list.$$('.dish')
    expect(dishes).toHaveLength(2)
    // t-cell emits `click` from the view inside it (a virtualHost component has no box of its own).
    await (await dishes[1]!.$('.t-cell'))!.tap()
    await home.waitFor(async () => (await mp.currentPage())!.path === 'pages/home/index')
    await dataBecomes((await mp.currentPage())!, 'reply', '选了麻婆豆腐')
  })

  test('switches tab, and the tab page drives its own custom tab bar', async () => {
    const me = await mp.switchTab('/pages/me/index')
    expect(me?.path).toBe('pages/me/index')
    const selected = await mp.evaluate(() => {
      const pages = getCurrentPages()
      const page = pages[pages.length - 1] as unknown as {
        getTabBar(): { data: { value: string } }
      }
      return page.getTabBar().data.value
    })
    expect(selected).toBe('me')
    expect(exceptions).toEqual([])
  })
})

describe('an app on @vant/weapp', () => {
  let built: BuiltFixture
  let mp: MiniProgram
  let exceptions: unknown[]

  beforeAll(async () => {
    built = await buildFixture(VANT_PROJECT, VANT_INSTALLS)
    ;({ mp, exceptions } = await launch(built))
  })

  afterAll(async () => {
    await mp?.close()
    built?.remove()
  })

  test('a form with a field, a stepper and a confirm dialog', async () => {
    const page = (await mp.currentPage())!
    const input = await (await page.$('#name'))!.$('input')
    await (input as unknown as { input(v: string): Promise<void> }).input('王五')
    await dataBecomes(page, 'name', '王五')
    await (await (await page.$('#count'))!.$('.van-stepper__plus'))!.tap()
    await dataBecomes(page, 'count', 2)
    // van-button emits `click` from the <button> inside it.
    await (await (await page.$('#submit'))!.$('button'))!.tap()
    const dialog = (await page.$('#van-dialog'))!
    await page.waitFor(async () => (await dialog.text()).includes('王五 × 2'))
    const [, confirm] = await dialog.$$('van-button')
    await (await confirm!.$('button'))!.tap()
    await dataBecomes(page, 'result', '已提交 王五 × 2')
    expect(exceptions).toEqual([])
  })
})
