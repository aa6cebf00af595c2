// The common wx APIs an app calls at start or on a tap, as the app sees them on the runtime's
// `wx`: WeChat's shapes and parameter checks, the device's configurable answers, canIUse telling
// the truth, and the app's network routed to a local backend with login codes from its URL.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { BASIC_PROJECT } from '../fixtures'
import { createRuntimeWx } from './fake-wx-bridge'
import { HeadlessRuntime } from './runtime'
import type { Animation } from './wx-animation'

type Call = (o?: Record<string, unknown>) => Promise<Record<string, unknown>>
type Sync = (...a: unknown[]) => unknown

let rt: HeadlessRuntime
let bridge: ReturnType<typeof createRuntimeWx>
let backend: http.Server
let backendOrigin: string
const minted: string[] = []

const call = (name: string, o: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
  (rt.facade.wx[name] as Call)(o)
/** wx.request answers through callbacks (without them it returns a RequestTask). */
const request = (url: string): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) =>
    (rt.facade.wx.request as (o: Record<string, unknown>) => unknown)({
      url,
      success: resolve,
      fail: reject,
    }),
  )
const sync = (name: string, ...a: unknown[]): unknown => (rt.facade.wx[name] as Sync)(...a)

beforeAll(async () => {
  backend = http.createServer((req, res) => {
    if (req.url === '/mint') {
      const code = `code-${minted.length + 1}`
      minted.push(code)
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ code }))
    } else if (req.url?.startsWith('/v2/files/')) {
      res.end(Buffer.from([1, 2, 3, 4]))
    } else {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ path: req.url, host: req.headers.host }))
    }
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  backendOrigin = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
  bridge = createRuntimeWx({
    openid: 'o-device',
    routes: { 'https://api.shop.example': `${backendOrigin}/v2` },
    loginCodeUrl: `${backendOrigin}/mint`,
  })
  bridge.dialogs.policy = 'confirm'
  rt = new HeadlessRuntime({
    projectPath: BASIC_PROJECT,
    ...bridge.runtimeOptions,
    device: { networkType: '4g', update: 'ready', actionSheet: 1 },
  })
  await rt.launch()
})

afterAll(() => new Promise<void>((r) => backend.close(() => r())))

test("the app's requests go to the server its origin is routed to; others are untouched", async () => {
  const res = await request('https://api.shop.example/menu?x=1')
  expect(res.data).toEqual({ path: '/v2/menu?x=1', host: backendOrigin.slice('http://'.length) })
  const direct = await request(`${backendOrigin}/plain`)
  expect(direct.data).toMatchObject({ path: '/plain' })
})

test('wx.login codes come from the login-code URL, one per login', async () => {
  const a = await call('login')
  expect(a.code).toBe('code-1')
  expect(minted).toEqual(['code-1'])
})

test('system info, window info and the menu button are the simulated phone', () => {
  const info = sync('getSystemInfoSync') as Record<string, unknown>
  expect(info).toMatchObject({ screenWidth: 375, pixelRatio: 2, SDKVersion: '3.6.0' })
  expect(sync('getWindowInfo')).toMatchObject({ windowWidth: 375, statusBarHeight: 20 })
  expect(Object.keys(sync('getWindowInfo') as object)).not.toContain('brand')
  const menu = sync('getMenuButtonBoundingClientRect') as Record<string, number>
  expect(menu.right - menu.left).toBe(menu.width)
  expect(menu.bottom - menu.top).toBe(menu.height)
  expect(menu.top).toBeGreaterThan(info.statusBarHeight as number)
})

test('the network type is the configured one, and a change reaches the listeners', async () => {
  expect((await call('getNetworkType')).networkType).toBe('4g')
  const heard: unknown[] = []
  const listener = (r: unknown): number => heard.push(r)
  sync('onNetworkStatusChange', listener)
  rt.device.setNetworkType('none')
  sync('offNetworkStatusChange', listener)
  rt.device.setNetworkType('wifi')
  expect(heard).toEqual([{ isConnected: false, networkType: 'none' }])
  expect((await call('getNetworkType')).networkType).toBe('wifi')
})

test('the update manager reports the configured update', async () => {
  const um = sync('getUpdateManager') as Record<string, (cb: (r: unknown) => void) => void>
  const checked = new Promise((r) => um.onCheckForUpdate!(r))
  const ready = new Promise((r) => um.onUpdateReady!(r))
  await expect(checked).resolves.toEqual({ hasUpdate: true })
  await expect(ready).resolves.toEqual({})
})

test('showActionSheet is a system dialog: confirmed, it taps the configured item', async () => {
  await expect(call('showActionSheet', { itemList: ['拍照', '相册'] })).resolves.toMatchObject({
    errMsg: 'showActionSheet:ok',
    tapIndex: 1,
  })
  expect(bridge.dialogs.history.at(-1)).toMatchObject({ kind: 'actionsheet', answer: 'confirm' })
  bridge.dialogs.policy = 'cancel'
  await expect(call('showActionSheet', { itemList: ['a'] })).rejects.toEqual({
    errMsg: 'showActionSheet:fail cancel',
  })
  bridge.dialogs.policy = 'confirm'
})

test("WeChat's parameter checks fail the call as WeChat does", async () => {
  await expect(call('makePhoneCall', {})).rejects.toEqual({
    errMsg:
      'makePhoneCall:fail parameter error: parameter.phoneNumber should be String instead of Undefined',
  })
  await expect(call('previewImage', { urls: [] })).rejects.toMatchObject({
    errMsg: expect.stringMatching(/^previewImage:fail parameter error/),
  })
  await expect(call('requestPayment', { timeStamp: '1' })).rejects.toMatchObject({
    errMsg: expect.stringMatching(/^requestPayment:fail parameter error: parameter.nonceStr/),
  })
})

test('calls that only the user or the device ends follow the device config and are recorded', async () => {
  await call('makePhoneCall', { phoneNumber: '10086' })
  await call('previewImage', {
    urls: ['https://x/a.png', 'https://x/b.png'],
    current: 'https://x/b.png',
  })
  await call('vibrateShort')
  expect(rt.device.phoneCalls).toEqual(['10086'])
  expect(rt.device.previews).toEqual([
    { current: 'https://x/b.png', urls: ['https://x/a.png', 'https://x/b.png'] },
  ])
  expect(rt.device.vibrations).toEqual(['short'])
  const order = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=1', paySign: 's' }
  await expect(call('requestPayment', order)).resolves.toEqual({ errMsg: 'requestPayment:ok' })
  // the payment sheet is a system dialog: the user closing it fails the call with 'cancel'
  bridge.dialogs.policy = (d) => (d.kind === 'payment' ? 'cancel' : 'confirm')
  rt.device.config = { ...rt.device.config, address: 'cancel' }
  await expect(call('requestPayment', order)).rejects.toEqual({
    errMsg: 'requestPayment:fail cancel',
  })
  bridge.dialogs.policy = 'confirm'
  expect(bridge.dialogs.history.filter((d) => d.kind === 'payment').map((d) => d.answer)).toEqual([
    'confirm',
    'cancel',
  ])
  await expect(call('chooseAddress')).rejects.toEqual({ errMsg: 'chooseAddress:fail cancel' })
  expect(rt.device.payments).toHaveLength(2)
})

test('the clipboard keeps what was set, and downloadFile fetches over the routed network', async () => {
  await call('setClipboardData', { data: 'ORDER-42' })
  expect((await call('getClipboardData')).data).toBe('ORDER-42')
  const file = await call('downloadFile', { url: 'https://api.shop.example/files/menu.png' })
  expect(file).toMatchObject({ statusCode: 200, tempFilePath: expect.stringMatching(/\.png$/) })
  expect([...rt.device.downloads.at(-1)!.bytes]).toEqual([1, 2, 3, 4])
})

test('a downloaded temp file is one the other file APIs can read, upload and save', async () => {
  const { tempFilePath } = (await call('downloadFile', {
    url: 'https://api.shop.example/files/menu.png',
  })) as { tempFilePath: string }
  expect(tempFilePath).toMatch(/^wxfile:\/\/tmp_\d+\.png$/)
  const fs = sync('getFileSystemManager') as {
    readFile: Call
    readFileSync: (path: string, encoding?: string) => unknown
  }
  const read = await fs.readFile({ filePath: tempFilePath })
  expect([...new Uint8Array(read.data as ArrayBuffer)]).toEqual([1, 2, 3, 4])
  expect(await call('getFileInfo', { filePath: tempFilePath })).toMatchObject({ size: 4 })
  const uploaded = await new Promise<Record<string, unknown>>((resolve, reject) =>
    (rt.facade.wx.uploadFile as (o: Record<string, unknown>) => unknown)({
      url: 'https://api.shop.example/upload',
      filePath: tempFilePath,
      name: 'file',
      success: resolve,
      fail: reject,
    }),
  )
  expect(uploaded).toMatchObject({ statusCode: 200, errMsg: 'uploadFile:ok' })
  const { savedFilePath } = (await call('saveFile', { tempFilePath })) as { savedFilePath: string }
  expect(savedFilePath).toMatch(/^wxfile:\/\/store_\d+\.png$/)
  // Saving moves the file: the temp path is gone, as on the phone.
  await expect(fs.readFile({ filePath: tempFilePath })).rejects.toMatchObject({
    errMsg: `readFile:fail no such file or directory, open "${tempFilePath}"`,
  })
  const userFile = `${String((rt.facade.wx.env as { USER_DATA_PATH: string }).USER_DATA_PATH)}/menu.png`
  await call('downloadFile', { url: 'https://api.shop.example/files/menu.png', filePath: userFile })
  expect(fs.readFileSync(userFile, 'base64')).toBe('AQIDBA==')
})

test('createAnimation exports its steps in the base library shape', () => {
  const a = sync('createAnimation', { duration: 200 }) as Animation
  a.opacity(0.5).translateX(10).step().width(20).step({ duration: 100 })
  expect(a.export()).toEqual({
    actions: [
      {
        animates: [
          { type: 'style', args: ['opacity', 0.5] },
          { type: 'translateX', args: [10] },
        ],
        option: {
          transition: { duration: 200, timingFunction: 'linear', delay: 0 },
          transformOrigin: '50% 50% 0',
        },
      },
      {
        animates: [{ type: 'style', args: ['width', '20px'] }],
        option: {
          transition: { duration: 100, timingFunction: 'linear', delay: 0 },
          transformOrigin: '50% 50% 0',
        },
      },
    ],
  })
  expect(a.export()).toEqual({ actions: [] })
})

test('a page-level createSelectorQuery finds nodes of the current page', async () => {
  const q = sync('createSelectorQuery') as {
    select(s: string): { boundingClientRect(): unknown }
    selectAll(s: string): { fields(f: unknown): unknown }
    exec(cb: (r: unknown[]) => void): void
  }
  q.select('#title').boundingClientRect()
  q.select('#missing').boundingClientRect()
  const res = await new Promise<unknown[]>((r) => q.exec(r))
  expect(res[0]).toMatchObject({ id: 'title', width: expect.any(Number) })
  expect(res[1]).toBeNull()
})

test('wx.env and canIUse answer for this runtime', () => {
  expect(rt.facade.wx.env).toEqual({ USER_DATA_PATH: 'http://usr' })
  expect(sync('canIUse', 'getMenuButtonBoundingClientRect')).toBe(true)
  expect(sync('canIUse', 'getUpdateManager')).toBe(true)
  expect(sync('canIUse', 'createCameraContext')).toBe(false)
  expect(sync('canIUse', 'openBluetoothAdapter')).toBe(false)
  expect(sync('canIUse', 'button.open-type.getPhoneNumber')).toBe(true)
  expect(sync('canIUse', 'button.open-type.contact')).toBe(false)
  expect(sync('canIUse', 'video')).toBe(false)
  expect(sync('canIUse', 'scroll-view')).toBe(true)
})
