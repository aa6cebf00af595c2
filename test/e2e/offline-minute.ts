// A minute offline (a subway tunnel) while browsing and ordering: every attempt fails with a
// clear message, wx.login included (it needs the network too), and none of those failed logins
// counts as a login loop. Back online, the order goes through with one wx.login, and exactly one
// order exists.
import { screenshot } from './lib/artifacts'
import { countOrders, openCheckoutWithDish, submitOrder, typeAddress } from './lib/app'
import { installNetworkSwitch, setOffline } from './lib/evidence'
import { type Journey, runIfMain } from './lib/journey'
import { freshAccount, launchApp } from './lib/target'
import { check, element, pageAt, sleep, until } from './lib/wait'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'

const name = 'offline-minute'

/** How long the phone stays offline, and how often the user tries again meanwhile. */
const OFFLINE_MS = 60_000
const RETRY_EVERY_MS = 10_000

// wx.login needs the network (platform doc §10): behind the same switch as wx.request, counted.
const LOGIN_NEEDS_NETWORK = `function (o) {
  var app = getApp()
  app.__e2eLogins = (app.__e2eLogins || 0) + 1
  if (app.__e2eOffline) return { errMsg: 'login:fail -2:net::ERR_INTERNET_DISCONNECTED' }
  var origin = this.origin
  return new Promise(function (resolve) {
    origin(Object.assign({}, o, { success: resolve, fail: resolve }))
  })
}`

const loginCalls = async (mp: MiniProgram) =>
  (await mp.evaluate('function () { return getApp().__e2eLogins || 0 }')) as number

const errorText = async (mp: MiniProgram) => {
  const page = await pageAt(mp, 'pages/checkout/index')
  const cards = await page.$$('#order-error')
  return cards.length > 0 ? await cards[0]!.text() : ''
}

export const journey: Journey = {
  name,
  title: 'a minute offline while ordering, then back online: one login, no lock-out',
  async run() {
    const mp = await launchApp(freshAccount('offline'))
    try {
      await installNetworkSwitch(mp)
      await mp.mockWxMethod('login', LOGIN_NEEDS_NETWORK)
      const page = await openCheckoutWithDish(mp)
      await typeAddress(page)

      await setOffline(mp, true)
      const offlineUntil = Date.now() + OFFLINE_MS
      let attempts = 0
      while (Date.now() < offlineUntil) {
        const before = await loginCalls(mp)
        await (await element(page, '#submit-order')).tap()
        await until('the failed attempt', async () => (await loginCalls(mp)) > before, 15_000)
        await element(page, '#order-error', 15_000)
        attempts++
        await sleep(Math.min(RETRY_EVERY_MS, Math.max(0, offlineUntil - Date.now())))
      }
      check(attempts >= 4, `several attempts while offline (got ${attempts})`)
      const shown = await errorText(mp)
      check(shown !== '' && !shown.includes('频繁'), `a failure message, not a lock-out: ${shown}`)
      await screenshot(mp, name, 'offline-error')

      await setOffline(mp, false)
      const before = await loginCalls(mp)
      const placed = await submitOrder(mp, page)
      await screenshot(mp, name, `placed-${placed}`)
      const logins = (await loginCalls(mp)) - before
      check(logins === 1, `exactly one wx.login once back online (got ${logins})`)

      const count = await countOrders(mp)
      check(count === 1, `exactly one order (got ${count})`)
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
