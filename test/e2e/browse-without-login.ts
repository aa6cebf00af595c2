// Browse without login: opening the app and browsing the menu never calls wx.login, keeps no
// session, and the cart works anonymously.
import { screenshot } from './lib/artifacts'
import { countLogins, loginCalls } from './lib/evidence'
import { type Journey, runIfMain } from './lib/journey'
import { freshAccount, launchApp } from './lib/target'
import { check, element, pageAt } from './lib/wait'

const name = 'browse-without-login'

export const journey: Journey = {
  name,
  title: 'browse without login (no wx.login, no token)',
  async run() {
    const mp = await launchApp(freshAccount('browse'))
    try {
      await countLogins(mp)
      // Open the menu again with the counting mock in place (launch happened before it).
      await mp.reLaunch('/pages/menu/index')
      let page = await pageAt(mp, 'pages/menu/index')
      await element(page, '#menu-list')
      await screenshot(mp, name, 'menu')

      const categories = await page.$$('.category')
      check(categories.length >= 2, `several categories (got ${categories.length})`)
      await categories[1]!.tap()
      await element(page, '.category-active')
      await (await element(page, '.stepper-plus')).tap()
      const badge = await element(page, '#cart-badge')
      check((await badge.text()) === '1', 'the cart counts one item')
      await screenshot(mp, name, 'menu-with-cart')

      // Leave and come back (onHide/onShow) without touching a page that needs a session.
      await mp.navigateTo('/pages/checkout/index')
      await pageAt(mp, 'pages/checkout/index')
      await mp.navigateBack()
      page = await pageAt(mp, 'pages/menu/index')
      check((await (await element(page, '#cart-badge')).text()) === '1', 'the cart survives')

      check((await loginCalls(mp)) === 0, 'browsing called wx.login')
      const stored: unknown = await mp.callWxMethod('getStorageSync', 'auth/session/v1')
      check(stored === '' || stored === null || stored === undefined, 'no session was stored')
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
