// <image> as QA sees it through the unmodified miniprogram-automator client: a file of the project
// loads with its real size (bindload {width, height}) and sizes widthFix / heightFix images; a file
// the app wrote shows once bound; a remote URL fails with binderror {errMsg} (the runtime fetches
// no remote images) and keeps WeChat's 320 × 240 default box.
import { useBasicAppOn } from '../test-support/basic-app-session'

jest.setTimeout(60_000)

const session = useBasicAppOn('/pages/layout/index')

const size = async (selector: string): Promise<unknown> => (await session.page.$(selector))!.size()
const images = async (): Promise<string[]> => (await session.page.data('images')) as string[]

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
  const path = (await session.mp.evaluate(() => {
    const file = `${wx.env.USER_DATA_PATH}/picked.svg`
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="80"></svg>'
    wx.getFileSystemManager().writeFileSync(file, svg, 'utf8')
    return file
  })) as string
  await session.page.setData({ picked: path })
  expect((await images()).at(-1)).toBe('picked:load:40x80')
  expect(await size('#picked')).toEqual({ width: 320, height: 640 })
})
