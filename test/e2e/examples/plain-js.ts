// The adopter's journey on examples/plain-js (a plain-JavaScript mini-program on the packed
// wx-login-kit): a protected call logs in silently; a refused location permission is re-prompted
// by the kit's <auth-sheet> and granted from settings; the privacy API that follows asks through
// the kit's <privacy-popup>. Run by `npm run example:plain-js` against the headless runtime.
import automator from 'miniprogram-automator'
import { freePort } from '../../../packages/headless/cli/free-port'
import { screenshot } from '../lib/artifacts'
import { HEADLESS_CLI } from '../lib/target'
import { check, element, goneInside, inside, pageAt, sleep, until } from '../lib/wait'

const name = 'example-plain-js'

export async function runPlainJsJourney(projectPath: string, account: string): Promise<void> {
  // The user has not agreed to the privacy guide yet: getLocation asks first.
  process.env.WX_SIM_PRIVACY = 'required'
  const mp = await automator.launch({
    cliPath: HEADLESS_CLI,
    projectPath,
    account,
    trustProject: true,
    port: await freePort(),
  })
  try {
    const page = await pageAt(mp, 'pages/index/index')

    // auth: 'required' with no session: the call itself carries the login code.
    await (await element(page, '#orders-btn')).tap()
    const orders = await until('the orders answer', async () => {
      const t = await (await page.$('#orders-text'))?.text()
      return t && t !== '加载中…' ? t : undefined
    })
    check(orders === '已登录，共 0 个订单', `a silent login, then the orders: got "${orders}"`)

    // The system prompt refused: nothing is shown, the page says so.
    await (await element(page, '#location-btn')).tap()
    await sleep(300)
    await mp.native().authorizeCancel()
    const refused = await (await element(page, '#location-text')).text()
    check(refused.includes('未获得位置权限'), `a refusal is reported: got "${refused}"`)

    // Asked again: the kit's sheet explains and offers the settings page.
    await (await element(page, '#location-btn')).tap()
    const openSetting = await inside(page, '#auth-sheet', '#open-setting-btn')
    await screenshot(mp, name, 'auth-sheet')
    await openSetting.tap()
    await sleep(300)
    await mp.native().authorizeAllow() // location switched on in settings, then back
    await goneInside(page, '#auth-sheet', '#open-setting-btn')

    // getLocation is a privacy API: the kit's popup asks for the agreement first.
    const agree = await inside(page, '#privacy-popup', '#agree-privacy-btn')
    await screenshot(mp, name, 'privacy-popup')
    await agree.tap()
    await goneInside(page, '#privacy-popup', '#agree-privacy-btn')
    const located = await until('the location', async () => {
      const t = await (await page.$('#location-text'))?.text()
      return t?.startsWith('已获取位置') ? t : undefined
    })
    await screenshot(mp, name, 'located')
    check(located.startsWith('已获取位置'), 'the location after agreeing')
  } finally {
    await mp.close()
    delete process.env.WX_SIM_PRIVACY
  }
}
