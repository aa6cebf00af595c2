// The README's "The `wx` the app sees" section, answer by answer, on the runtime's `wx` as an app
// calls it with nothing configured: the default phone and menu button, the default device
// answers, the calls that succeed and do nothing, the log managers, wx.cloud's failures, canIUse
// for the empty-shell built-ins, and the app event listeners.
import { BASIC_PROJECT } from '../fixtures'
import { HeadlessRuntime } from './runtime'
import { wxCallsOn } from '../test-support/runtime-wx-calls'

let rt: HeadlessRuntime
const { call, sync } = wxCallsOn(() => rt)

beforeAll(async () => {
  // The basic fixture is never packed: its npm fallback warnings are expected, not shown.
  rt = new HeadlessRuntime({ projectPath: BASIC_PROJECT, onWarning: () => undefined })
  await rt.launch()
})

test('every system-info API answers the default iPhone 6/7/8: 375 × 667, pixel ratio 2, SDK 3.6.0', async () => {
  const phone = { windowWidth: 375, windowHeight: 667, pixelRatio: 2 }
  expect(sync('getSystemInfoSync')).toMatchObject({
    ...phone,
    model: 'iPhone 6/7/8',
    screenWidth: 375,
    screenHeight: 667,
    SDKVersion: '3.6.0',
  })
  expect(await call('getSystemInfo')).toMatchObject({ ...phone, SDKVersion: '3.6.0' })
  const asyncInfo = await new Promise<Record<string, unknown>>((resolve) =>
    call('getSystemInfoAsync', { success: resolve }),
  )
  expect(asyncInfo).toMatchObject({ ...phone, SDKVersion: '3.6.0' })
  expect(sync('getWindowInfo')).toMatchObject(phone)
  expect(sync('getDeviceInfo')).toMatchObject({ model: 'iPhone 6/7/8', pixelRatio: 2 })
  expect(sync('getAppBaseInfo')).toMatchObject({ SDKVersion: '3.6.0' })
  expect(typeof sync('getSystemSetting')).toBe('object')
})

test('the menu button is 87 × 32 at top 24, left 281 by default', () => {
  expect(sync('getMenuButtonBoundingClientRect')).toEqual({
    width: 87,
    height: 32,
    top: 24,
    left: 281,
    right: 368,
    bottom: 56,
  })
})

test('default device answers: wifi, no update, a sample address, payments ok and recorded', async () => {
  expect(await call('getNetworkType')).toMatchObject({ networkType: 'wifi' })
  const checked = await new Promise<unknown>((resolve) =>
    (
      sync('getUpdateManager') as { onCheckForUpdate(cb: (r: unknown) => void): void }
    ).onCheckForUpdate(resolve),
  )
  expect(checked).toEqual({ hasUpdate: false })
  expect(await call('chooseAddress')).toMatchObject({
    errMsg: 'chooseAddress:ok',
    userName: expect.any(String),
    cityName: expect.any(String),
  })
  const order = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=9', paySign: 's' }
  expect(await call('requestPayment', order)).toEqual({ errMsg: 'requestPayment:ok' })
  expect(rt.device.payments).toHaveLength(1)
  await call('vibrateLong')
  expect(rt.device.vibrations).toContain('long')
})

test('navigation bar colours, tab bar badges, pull-down stop, share menu, keep-screen-on and analytics succeed', async () => {
  const calls: [string, Record<string, unknown>][] = [
    ['setNavigationBarColor', { frontColor: '#ffffff', backgroundColor: '#000000' }],
    ['setTabBarBadge', { index: 0, text: '1' }],
    ['removeTabBarBadge', { index: 0 }],
    ['stopPullDownRefresh', {}],
    ['showShareMenu', { withShareTicket: true }],
    ['hideShareMenu', {}],
    ['setKeepScreenOn', { keepScreenOn: true }],
  ]
  for (const [name, options] of calls)
    expect(await call(name, options)).toMatchObject({ errMsg: `${name}:ok` })
  // Analytics calls answer nothing an app reads; they must simply not throw.
  expect(() => sync('reportAnalytics', 'purchase', { price: 1 })).not.toThrow()
  expect(() => sync('reportEvent', 'purchase', { price: 1 })).not.toThrow()
})

test('getLogManager() and getRealtimeLogManager() write to the console', () => {
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined)
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
  try {
    ;(sync('getLogManager') as { info(...a: unknown[]): void }).info('from the log manager', 1)
    ;(sync('getRealtimeLogManager') as { warn(...a: unknown[]): void }).warn('from realtime')
    expect(info).toHaveBeenCalledWith('from the log manager', 1)
    expect(warn).toHaveBeenCalledWith('from realtime')
  } finally {
    info.mockRestore()
    warn.mockRestore()
  }
})

describe('wx.cloud', () => {
  const reason = 'cloud development (wx.cloud) is not supported by the headless runtime'
  const cloud = (): Record<string, (o?: Record<string, unknown>) => unknown> =>
    rt.facade.wx.cloud as Record<string, (o?: Record<string, unknown>) => unknown>

  test('init does nothing and succeeds, as an app calls it in onLaunch', () => {
    expect(() => cloud().init!({ env: 'prod-1' })).not.toThrow()
  })

  test.each([
    'callFunction',
    'callContainer',
    'uploadFile',
    'downloadFile',
    'getTempFileURL',
    'deleteFile',
  ])('cloud.%s fails with the reason, as a Promise and through fail', async (api) => {
    const errMsg = `cloud.${api}:fail ${reason}`
    await expect(cloud()[api]!({ name: 'x' }) as Promise<unknown>).rejects.toEqual({ errMsg })
    const failed = await new Promise<unknown>((resolve) => cloud()[api]!({ fail: resolve }))
    expect(failed).toEqual({ errMsg })
  })

  test('database() throws the reason', () => {
    expect(() => cloud().database!()).toThrow(reason)
  })
})

test('canIUse answers false for the built-ins that render as empty shells', () => {
  for (const builtin of [
    'map',
    'video',
    'camera',
    'canvas',
    'live-player',
    'live-pusher',
    'web-view',
    'ad',
    'editor',
    'official-account',
    'open-data',
  ])
    expect({ builtin, canIUse: sync('canIUse', builtin) }).toEqual({ builtin, canIUse: false })
})

describe('app event listeners', () => {
  test('onAppRoute hears every route with { path, query, openType, webviewId }; offAppRoute stops it', async () => {
    const routes: unknown[] = []
    const listener = (r: unknown): number => routes.push(r)
    sync('onAppRoute', listener)
    await call('navigateTo', { url: '/pages/detail/index?id=3' })
    await call('navigateBack')
    sync('offAppRoute', listener)
    await call('navigateTo', { url: '/pages/detail/index' })
    await call('navigateBack')
    expect(routes).toEqual([
      {
        path: 'pages/detail/index',
        query: { id: '3' },
        openType: 'navigateTo',
        webviewId: expect.any(Number),
      },
      {
        path: 'pages/home/index',
        query: {},
        openType: 'navigateBack',
        webviewId: expect.any(Number),
      },
    ])
  })

  test('onAppHide and onAppShow fire as the user leaves and returns; the off twins stop them', () => {
    const heard: string[] = []
    const hide = (): number => heard.push('hide')
    const show = (): number => heard.push('show')
    sync('onAppHide', hide)
    sync('onAppShow', show)
    rt.hideApp()
    rt.showApp()
    sync('offAppHide', hide)
    sync('offAppShow', show)
    rt.hideApp()
    rt.showApp()
    expect(heard).toEqual(['hide', 'show'])
  })

  test('onError hears script errors and onUnhandledRejection unhandled rejections', () => {
    const errors: unknown[] = []
    const rejections: unknown[] = []
    const onError = (e: unknown): number => errors.push(e)
    const onRejection = (r: unknown): number => rejections.push(r)
    sync('onError', onError)
    sync('onUnhandledRejection', onRejection)
    rt.reportError(new Error('boom in a handler'))
    const reason = { errMsg: 'navigateBack:fail cannot navigate back at first page.' }
    rt.reportUnhandledRejection(reason)
    sync('offError', onError)
    sync('offUnhandledRejection', onRejection)
    rt.reportError(new Error('not heard'))
    expect(errors).toEqual([expect.stringContaining('boom in a handler')])
    expect(rejections).toEqual([expect.objectContaining({ reason })])
  })

  test('onPageNotFound, onThemeChange and onMemoryWarning register (and unregister) without error', () => {
    for (const event of ['PageNotFound', 'ThemeChange', 'MemoryWarning']) {
      const listener = (): void => undefined
      expect(() => sync(`on${event}`, listener)).not.toThrow()
      expect(() => sync(`off${event}`, listener)).not.toThrow()
    }
  })
})

test('an inner audio context: stop() fires onStop, seek() onSeeking then onSeeked', async () => {
  const audio = sync('createInnerAudioContext') as Record<string, (a?: unknown) => void>
  const heard: string[] = []
  audio.onStop!(() => heard.push('stop'))
  audio.onSeeking!(() => heard.push('seeking'))
  audio.onSeeked!(() => heard.push('seeked'))
  audio.play!()
  audio.seek!(12)
  audio.stop!()
  // The events arrive after the call that causes them, as on the platform.
  await new Promise((r) => setTimeout(r, 0))
  expect(heard).toEqual(['seeking', 'seeked', 'stop'])
  audio.destroy!()
})
