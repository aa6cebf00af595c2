// this.animate() / clearAnimation() as QA sees them through the unmodified miniprogram-automator
// client: when the animation ends its last keyframe's styles are what style() and the screenshot
// read, and the callback has run; clearAnimation() removes every property it set.
import automator from 'miniprogram-automator'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import type Page from 'miniprogram-automator/out/Page'
import { freePort } from '../cli/free-port'
import { HEADLESS_CLI } from '../cli/paths'
import { BASIC_PROJECT } from '../fixtures'

jest.setTimeout(60_000)

let mp: MiniProgram
let page: Page

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

test('the last keyframe applies when the animation ends, and clearAnimation removes it', async () => {
  const fader = (await page.$('#fader'))!
  await page.callMethod('fade')
  // The callback's setData is the signal that the animation has ended.
  await page.waitFor(async () => (await page.data('faded')) === 'ended')
  expect(await fader.style('opacity')).toBe('0.5')
  expect(await fader.style('background-color')).toBe('rgb(0, 0, 255)')
  expect(await fader.style('transform')).toBe('matrix(1, 0, 0, 1, 10, 0)')
  await page.callMethod('unfade')
  await page.waitFor(async () => (await page.data('faded')) === 'cleared')
  expect(await fader.style('opacity')).toBe('1')
  expect(await fader.style('background-color')).toBe('rgba(0, 0, 0, 0)')
  expect(await fader.style('transform')).toBe('none')
})
