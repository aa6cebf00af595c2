// <image> as QA sees it through the unmodified miniprogram-automator client: a file of the project
// loads with its real size (bindload {width, height}) and sizes widthFix / heightFix images; a file
// the app wrote shows once bound; a remote URL fails with binderror {errMsg} (the runtime fetches
// no remote images) and keeps WeChat's 320 × 240 default box.
import automator from 'miniprogram-automator'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import type Page from 'miniprogram-automator/out/Page'
import { freePort } from '../cli/free-port'
import { HEADLESS_CLI } from '../cli/paths'
import { BASIC_PROJECT } from '../fixtures'

jest.setTimeout(60_000)

let mp: MiniProgram
let page: Page

const size = async (selector: string): Promise<unknown> => (await page.$(selector))!.size()
const images = async (): Promise<string[]> => (await page.data('images')) as string[]

beforeAll(async () => {
  mp = await automator.launch({
    cliPath: HEADLESS_CLI,
    projectPath: BASIC_PROJECT,
    port: await freePort(),
  })
  page = (await mp.reLaunch('/pages/layout/index'))!
}, 60_000)

afterAll(async () => {
  await mp?.close()
})

test('an image of the project loads with its intrinsic size, and widthFix/heightFix keep its ratio', async () => {
  // photo.svg is 160 × 90: 320 px wide (the default width) makes it 180 high; 45 px high, 80 wide.
  expect(await images()).toContain('photo:load:160x90')
  expect(await size('#photo')).toEqual({ width: 320, height: 180 })
  expect(await size('#strip')).toEqual({ width: 80, height: 45 })
})

test('a remote image fails with binderror and keeps the default box', async () => {
  expect(await images()).toContain(
    'remote:error:GET https://cdn.example.com/banner.png net::ERR_INTERNET_DISCONNECTED (the headless runtime loads no remote images)',
  )
  expect(await size('#remote')).toEqual({ width: 320, height: 240 })
})

test('a file the app wrote to its user data folder loads once an image shows it', async () => {
  const path = (await mp.evaluate(() => {
    const file = `${wx.env.USER_DATA_PATH}/picked.svg`
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="80"></svg>'
    wx.getFileSystemManager().writeFileSync(file, svg, 'utf8')
    return file
  })) as string
  await page.setData({ picked: path })
  expect((await images()).at(-1)).toBe('picked:load:40x80')
  expect(await size('#picked')).toEqual({ width: 320, height: 640 })
})
