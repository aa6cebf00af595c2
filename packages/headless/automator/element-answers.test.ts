// AUTOMATOR-SUPPORT.md's answers not pinned by the method-by-method coverage: a quick
// touchstart + touchend is a tap, text() collapses white space, every VideoContext method the
// table names, and evaluate() seeing the app's wx, through the unmodified client on the basic
// fixture's layout page.
import type { ContextElement } from 'miniprogram-automator/out/Element'
import { useBasicAppOn } from '../test-support/basic-app-session'

jest.setTimeout(60_000)

const session = useBasicAppOn('/pages/layout/index')
const events = async (): Promise<string[]> => (await session.page.data('events')) as string[]

test('a quick touchstart + touchend is a tap', async () => {
  const box = (await session.page.$('#box'))!
  const before = (await session.page.data('taps')) as number
  const touch = { identifier: 0, pageX: 30, pageY: 20, clientX: 30, clientY: 20 }
  await box.touchstart({ touches: [touch] })
  await box.touchend({ touches: [] })
  expect(await session.page.data('taps')).toBe(before + 1)
})

test('text() is the text content with white space collapsed', async () => {
  // <view class="badge">{{label}} <text class="inner">{{hits}}</text></view>
  expect(await (await session.page.$('#deep'))!.text()).toMatch(/^deep \d+$/)
})

test('VideoContext: every documented method answers, firing the video event it fires in WeChat', async () => {
  const clip = (await session.page.$('#clip')) as ContextElement
  await clip.callContextMethod('play')
  await clip.callContextMethod('stop')
  await clip.callContextMethod('playbackRate', 1.5)
  await clip.callContextMethod('requestFullScreen', { direction: 90 })
  await clip.callContextMethod('exitFullScreen')
  expect((await events()).slice(-5)).toEqual([
    'video:play',
    'video:pause',
    'video:ratechange',
    'video:fullscreenchange',
    'video:fullscreenchange',
  ])
  // Methods with no visible effect headless answer and fire nothing.
  const quiet = [
    'sendDanmu',
    'showStatusBar',
    'hideStatusBar',
    'requestPictureInPicture',
    'exitPictureInPicture',
    'requestBackgroundPlayback',
    'exitBackgroundPlayback',
    'startCasting',
    'exitCasting',
    'reconnectCasting',
    'switchCasting',
  ]
  const count = (await events()).length
  for (const method of quiet) await clip.callContextMethod(method, { text: 'hi', color: '#fff' })
  expect((await events()).length).toBe(count)
})

test("evaluate() runs in the app's context: getApp, getCurrentPages and wx", async () => {
  const seen = await session.mp.evaluate(() => ({
    route: getCurrentPages().at(-1)?.route,
    hasApp: typeof getApp() === 'object',
    sdk: wx.getSystemInfoSync().SDKVersion,
  }))
  expect(seen).toEqual({ route: 'pages/layout/index', hasApp: true, sdk: '3.6.0' })
})
