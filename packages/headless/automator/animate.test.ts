// this.animate() / clearAnimation() as QA sees them through the unmodified miniprogram-automator
// client: when the animation ends its last keyframe's styles are what style() and the screenshot
// read, and the callback has run; clearAnimation() removes every property it set.
import { useBasicAppOn } from '../test-support/basic-app-session'

jest.setTimeout(60_000)

const session = useBasicAppOn('/pages/layout/index')

test('the last keyframe applies when the animation ends, and clearAnimation removes it', async () => {
  const fader = (await session.page.$('#fader'))!
  await session.page.callMethod('fade')
  // The callback's setData is the signal that the animation has ended.
  await session.page.waitFor(async () => (await session.page.data('faded')) === 'ended')
  expect(await fader.style('opacity')).toBe('0.5')
  expect(await fader.style('background-color')).toBe('rgb(0, 0, 255)')
  expect(await fader.style('transform')).toBe('matrix(1, 0, 0, 1, 10, 0)')
  await session.page.callMethod('unfade')
  await session.page.waitFor(async () => (await session.page.data('faded')) === 'cleared')
  expect(await fader.style('opacity')).toBe('1')
  expect(await fader.style('background-color')).toBe('rgba(0, 0, 0, 0)')
  expect(await fader.style('transform')).toBe('none')
})
