// The wx APIs public mini-programs crashed on ("wx.X is not a function"), called on the runtime's
// `wx` as an app calls them: WeChat's errMsg and shapes, callbacks and the Promise form.
import { BASIC_PROJECT } from '../fixtures'
import { HeadlessRuntime } from './runtime'
import { wxCallsOn } from '../test-support/runtime-wx-calls'
import { NO_OTHER_MINI_PROGRAM } from './wx-device-extras'

let rt: HeadlessRuntime
const { call, sync } = wxCallsOn(() => rt)

beforeAll(async () => {
  rt = new HeadlessRuntime({ projectPath: BASIC_PROJECT })
  await rt.launch()
})

test('launch and enter options name the entry page, scene 1001', () => {
  const expected = { path: 'pages/home/index', query: {}, scene: 1001, referrerInfo: {} }
  expect(sync('getLaunchOptionsSync')).toMatchObject(expected)
  expect(sync('getEnterOptionsSync')).toMatchObject(expected)
})

test('openLocation succeeds and records the place shown', async () => {
  const res = await call('openLocation', { latitude: 23.1, longitude: 113.3, name: '广州塔' })
  expect(res.errMsg).toBe('openLocation:ok')
  expect(rt.device.openedLocations).toEqual([{ latitude: 23.1, longitude: 113.3, name: '广州塔' }])
  await expect(call('openLocation', { latitude: 1 })).rejects.toMatchObject({
    errMsg:
      'openLocation:fail parameter error: parameter.longitude should be Number instead of Undefined',
  })
})

test('scanCode fails with cancel by default and answers the configured code', async () => {
  await expect(call('scanCode')).rejects.toEqual({ errMsg: 'scanCode:fail cancel' })
  rt.device.config = {
    ...rt.device.config,
    scanCode: { result: 'https://shop.example/t/42', scanType: 'QR_CODE', charSet: 'utf-8' },
  }
  const res = await new Promise<Record<string, unknown>>((resolve) =>
    call('scanCode', { success: resolve }),
  )
  expect(res).toEqual({
    errMsg: 'scanCode:ok',
    result: 'https://shop.example/t/42',
    scanType: 'QR_CODE',
    charSet: 'utf-8',
  })
})

test('hideKeyboard succeeds; navigateToMiniProgram fails with the reason', async () => {
  await expect(call('hideKeyboard')).resolves.toEqual({ errMsg: 'hideKeyboard:ok' })
  const failed = await new Promise<unknown>((resolve) =>
    call('navigateToMiniProgram', { appId: 'wx123', complete: resolve }),
  )
  expect(failed).toEqual({ errMsg: `navigateToMiniProgram:fail ${NO_OTHER_MINI_PROGRAM}` })
})

test('arrayBufferToBase64 and base64ToArrayBuffer convert for real', () => {
  const bytes = new Uint8Array([0, 1, 2, 250, 255])
  const base64 = sync('arrayBufferToBase64', bytes.buffer)
  expect(base64).toBe('AAEC+v8=')
  const back = sync('base64ToArrayBuffer', base64) as ArrayBuffer
  expect(back).toBeInstanceOf(ArrayBuffer)
  expect([...new Uint8Array(back)]).toEqual([...bytes])
})

test('an inner audio context plays silently with WeChat events', async () => {
  const audio = sync('createInnerAudioContext') as Record<string, (a?: unknown) => void> & {
    paused: boolean
    src: string
  }
  const heard: string[] = []
  const onPause = (): number => heard.push('pause')
  audio.onPlay(() => heard.push('play'))
  audio.onPause(onPause)
  audio.src = 'https://cdn.example/a.mp3'
  audio.play()
  expect(audio.paused).toBe(false)
  audio.pause()
  audio.offPause(onPause)
  audio.pause()
  await Promise.resolve()
  expect(heard).toEqual(['play'])
  audio.destroy()
})

test('canIUse knows the added APIs', () => {
  for (const api of ['openLocation', 'scanCode', 'createInnerAudioContext', 'getLaunchOptionsSync'])
    expect(sync('canIUse', api)).toBe(true)
})
