// The README's environment variables, as a user sets them: in the environment automator.launch()
// hands to the CLI, then observed through the unmodified client's callWxMethod. (launch() sleeps
// 5 s inside the client by its design.)
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import automator from 'miniprogram-automator'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import { BASIC_PROJECT } from '../fixtures'
import { freePort } from './free-port'
import { HEADLESS_CLI } from './paths'

jest.setTimeout(90_000)

/** What the test backend heard: each request's path and, for POSTs, its JSON body. */
const heard: { path: string; body: unknown }[] = []
let backend: http.Server
let backendOrigin: string
let workDir: string

beforeAll(async () => {
  backend = http.createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => (text += chunk.toString()))
    req.on('end', () => {
      const body: unknown = text ? JSON.parse(text) : undefined
      heard.push({ path: req.url ?? '', body })
      res.setHeader('content-type', 'application/json')
      const openid = (body as { openid?: string } | undefined)?.openid
      if (req.url === '/__sim/login-code') res.end(JSON.stringify({ code: `sim-${openid}` }))
      else if (req.url === '/mint') res.end(`url-code-${openid}`)
      else if (req.url === '/__sim/profile-payload') {
        const anonymous = (body as { anonymous?: boolean }).anonymous
        const userInfo = { nickName: anonymous ? '微信用户' : 'Ann', avatarUrl: '' }
        res.end(JSON.stringify({ userInfo, rawData: '', signature: '', encryptedData: '', iv: '' }))
      } else res.end(JSON.stringify({ path: req.url }))
    })
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  backendOrigin = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-env-'))
})

afterAll(async () => {
  backend.closeAllConnections()
  await new Promise<void>((r) => backend.close(() => r()))
  fs.rmSync(workDir, { recursive: true, force: true })
})

/**
 * automator.launch() with `env` as the CLI's environment variables. The client spawns the CLI with
 * its own process environment, which a Jest test cannot change for child processes (Jest gives the
 * test a copy of process.env), so the launched cliPath is a small wrapper that sets the variables
 * and runs the real CLI, as a shell would.
 */
async function launchWith(
  env: Record<string, string>,
  account?: string,
  projectPath = BASIC_PROJECT,
): Promise<MiniProgram> {
  const wrapper = path.join(workDir, `cli-${Object.keys(env).length}-${Date.now()}.js`)
  fs.writeFileSync(
    wrapper,
    `#!${process.execPath}
// Only the variables this launch names: none inherited from whoever runs the tests.
for (const name of Object.keys(process.env))
  if (/^(WX_SIM_|HEADLESS_LOG$|CHROMIUM_PATH$)/.test(name)) delete process.env[name]
Object.assign(process.env, ${JSON.stringify(env)})
require(${JSON.stringify(HEADLESS_CLI)})
`,
    { mode: 0o755 },
  )
  return automator.launch({
    cliPath: wrapper,
    projectPath,
    port: await freePort(),
    ...(account ? { account } : {}),
  })
}

const unsettled = Symbol('unsettled')
/** The call's outcome if it settled within the turn of a second call to the runtime, else unsettled. */
async function settledBefore(
  mp: MiniProgram,
  call: Promise<unknown>,
): Promise<unknown | typeof unsettled> {
  let outcome: unknown = unsettled
  void call.then((r) => (outcome = r))
  // A round trip to the runtime: the dialog policy answers at the call, so a confirmed modal has
  // settled by the time a later call returns.
  await mp.callWxMethod('getStorageInfoSync')
  await mp.callWxMethod('getStorageInfoSync')
  return outcome
}

test('WX_SIM_SERVER, WX_SIM_ROUTES, WX_SIM_DEVICE (@file), WX_SIM_OPENID, WX_SIM_DIALOGS and WX_SIM_PRIVACY', async () => {
  const routesFile = path.join(workDir, 'routes.json')
  fs.writeFileSync(
    routesFile,
    JSON.stringify({ 'https://api.shop.example': `${backendOrigin}/v2` }),
  )
  const deviceFile = path.join(workDir, 'device.json')
  fs.writeFileSync(
    deviceFile,
    JSON.stringify({
      systemInfo: { model: 'Pixel 8' },
      networkType: '4g',
      payment: 'fail',
      actionSheet: 2,
    }),
  )
  const mp = await launchWith({
    WX_SIM_SERVER: backendOrigin,
    WX_SIM_ROUTES: `@${routesFile}`,
    WX_SIM_DEVICE: `@${deviceFile}`,
    WX_SIM_OPENID: 'o-env-user',
    WX_SIM_DIALOGS: 'confirm',
    WX_SIM_PRIVACY: 'required',
    WX_SIM_STORAGE_DIR: path.join(workDir, 'storage'),
    HEADLESS_LOG: path.join(workDir, 'headless.log'),
  })
  try {
    // WX_SIM_SERVER takes DevTools' develop origins and mints login codes for the test user.
    for (const origin of ['http://127.0.0.1:3000', 'http://localhost:3000'])
      expect(await mp.callWxMethod('request', { url: `${origin}/ping` })).toMatchObject({
        statusCode: 200,
        data: { path: '/ping' },
      })
    expect(await mp.callWxMethod('login')).toMatchObject({ code: 'sim-o-env-user' })
    expect(heard).toContainEqual({ path: '/__sim/login-code', body: { openid: 'o-env-user' } })
    // WX_SIM_ROUTES (from a file): the route's path prefix is kept; other origins are not routed.
    expect(
      await mp.callWxMethod('request', { url: 'https://api.shop.example/items?page=2' }),
    ).toMatchObject({ data: { path: '/v2/items?page=2' } })
    // WX_SIM_DEVICE (from a file) answers the device APIs.
    expect(await mp.callWxMethod('getSystemInfoSync')).toMatchObject({
      model: 'Pixel 8',
      windowWidth: 375,
    })
    expect(await mp.callWxMethod('getNetworkType')).toMatchObject({ networkType: '4g' })
    // WX_SIM_PRIVACY=required: the user has not agreed to the privacy guide yet.
    expect(await mp.callWxMethod('getPrivacySetting')).toMatchObject({ needAuthorization: true })
    // WX_SIM_DIALOGS=confirm: a modal is confirmed at once, without native().confirmModal().
    expect(
      await settledBefore(mp, mp.callWxMethod('showModal', { title: 't', content: 'c' })),
    ).toMatchObject({ confirm: true })
    // …and so is the action sheet (the device's item is tapped) and the payment sheet, which the
    // user pays and the device's `payment` ends.
    expect(await mp.callWxMethod('showActionSheet', { itemList: ['a', 'b', 'c'] })).toMatchObject({
      tapIndex: 2,
    })
    const order = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=1', paySign: 's' }
    await expect(mp.callWxMethod('requestPayment', order)).rejects.toThrow('payment failed')
    await mp.callWxMethod('setStorageSync', 'kept', 'across launches')
  } finally {
    await mp.close()
  }
  // HEADLESS_LOG: the diagnostics go to that file.
  expect(fs.readFileSync(path.join(workDir, 'headless.log'), 'utf8')).toContain(
    `serving ${BASIC_PROJECT}`,
  )
})

test('WX_SIM_STORAGE_DIR keeps storage per test user across launches; WX_SIM_LOGIN_CODE_URL mints codes', async () => {
  // The same user as the test above, given as launch()'s account this time.
  const mp = await launchWith(
    {
      WX_SIM_STORAGE_DIR: path.join(workDir, 'storage'),
      WX_SIM_LOGIN_CODE_URL: `${backendOrigin}/mint`,
    },
    'o-env-user',
  )
  try {
    expect(await mp.callWxMethod('getStorageSync', 'kept')).toBe('across launches')
    expect(await mp.callWxMethod('login')).toMatchObject({ code: 'url-code-o-env-user' })
    expect(heard).toContainEqual({ path: '/mint', body: { openid: 'o-env-user' } })
    // Defaults where nothing is set: the dialog policy waits for the client, privacy is agreed.
    expect(await mp.callWxMethod('getPrivacySetting')).toMatchObject({ needAuthorization: false })
    expect(await mp.callWxMethod('getNetworkType')).toMatchObject({ networkType: 'wifi' })
  } finally {
    await mp.close()
  }
})

test('without a server or routes, wx.request fails naming WX_SIM_SERVER and WX_SIM_ROUTES', async () => {
  const mp = await launchWith({})
  try {
    await expect(mp.callWxMethod('request', { url: 'https://api.example.com/x' })).rejects.toThrow(
      /^https:\/\/api\.example\.com\/x is not reachable: .*WX_SIM_SERVER.*WX_SIM_ROUTES/,
    )
  } finally {
    await mp.close()
  }
})

test('a variable that is not JSON stops the launch, naming it; exit 1', () => {
  for (const name of ['WX_SIM_DEVICE', 'WX_SIM_ROUTES']) {
    const run = spawnSync(process.execPath, [HEADLESS_CLI, 'auto', '--project', BASIC_PROJECT], {
      encoding: 'utf8',
      env: { ...process.env, HEADLESS_LOG: '', [name]: '{not json' },
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(`the headless runtime failed to start: ${name}: not JSON`)
  }
})

/** A 375 × 667 PNG, as mp.screenshot() returns it (base64). */
function isPhoneScreenshot(base64: string): boolean {
  const png = Buffer.from(base64, 'base64')
  return (
    png.subarray(1, 4).toString('latin1') === 'PNG' &&
    png.readUInt32BE(16) === 375 &&
    png.readUInt32BE(20) === 667
  )
}

test('CHROMIUM_PATH names the Chromium that paints screenshots when none is on the PATH', async () => {
  const mp = await launchWith({ PATH: '/nonexistent', CHROMIUM_PATH: '/usr/bin/chromium' })
  try {
    expect(isPhoneScreenshot((await mp.screenshot()) as string)).toBe(true)
  } finally {
    await mp.close()
  }
})

test('without Chromium the app still runs; a screenshot fails saying Chromium was not found', async () => {
  const mp = await launchWith({ PATH: '/nonexistent' })
  try {
    expect((await mp.currentPage())!.path).toBe('pages/home/index')
    expect(await mp.callWxMethod('getStorageSync', 'nothing')).toBe('')
    await expect(mp.screenshot()).rejects.toThrow('Chromium was not found on PATH')
    const title = (await (await mp.currentPage())!.$('#title'))!
    // The layout answers are measured by Chromium too.
    await expect(title.size()).rejects.toThrow('Chromium was not found on PATH')
    await expect(title.offset()).rejects.toThrow('Chromium was not found on PATH')
    await expect(title.style('color')).rejects.toThrow('Chromium was not found on PATH')
    await expect(mp.pageScrollTo(100)).rejects.toThrow('Chromium was not found on PATH')
  } finally {
    await mp.close()
  }
})

/** A one-page app whose button asks for the user's profile on tap, as getUserProfile requires. */
function profileApp(): string {
  const dir = fs.mkdtempSync(path.join(workDir, 'profile-app-'))
  const files: Record<string, string> = {
    'project.config.json': JSON.stringify({ appid: 'touristappid' }),
    'app.js': 'App({})',
    'app.json': JSON.stringify({ pages: ['pages/me/index'] }),
    'pages/me/index.json': '{}',
    'pages/me/index.wxml': '<button id="ask" bindtap="ask">登录</button>',
    'pages/me/index.js': `Page({
      data: { nickName: '' },
      ask() {
        wx.getUserProfile({ desc: '展示头像', success: (r) => this.setData({ nickName: r.userInfo.nickName }) })
      },
    })`,
  }
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }
  return dir
}

test.each([
  ['real', 'Ann'],
  ['anonymous', '微信用户'],
])(
  'WX_SIM_PROFILE=%s: getUserProfile asks the simulated WeChat for that profile',
  async (profile, nickName) => {
    const mp = await launchWith(
      { WX_SIM_SERVER: backendOrigin, WX_SIM_PROFILE: profile, WX_SIM_DIALOGS: 'confirm' },
      undefined,
      profileApp(),
    )
    try {
      const page = (await mp.currentPage())!
      await (await page.$('#ask'))!.tap()
      await page.waitFor(async () => (await page.data('nickName')) !== '')
      expect(await page.data('nickName')).toBe(nickName)
      expect(heard.filter((h) => h.path === '/__sim/profile-payload').at(-1)?.body).toMatchObject({
        anonymous: profile === 'anonymous',
      })
    } finally {
      await mp.close()
    }
  },
)
