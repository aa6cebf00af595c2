// First order: the first call that needs a session logs in silently (one wx.login), the order is
// placed, and the session persists across a relaunch (no second login to see the order).
import { screenshot } from './lib/artifacts'
import { countLogins, loginCalls } from './lib/evidence'
import { type Journey, runIfMain } from './lib/journey'
import { freshAccount, launchApp } from './lib/target'
import { check, element, pageAt } from './lib/wait'

const name = 'first-order'

export const journey: Journey = {
  name,
  title: 'first order logs in once and persists across a relaunch',
  async run() {
    const account = freshAccount('order')
    let mp = await launchApp(account)
    let orderText = ''
    try {
      await countLogins(mp)
      let page = await pageAt(mp, 'pages/menu/index')
      await element(page, '#menu-list')
      await (await element(page, '.stepper-plus')).tap()
      await (await element(page, '.stepper-plus')).tap()
      check((await (await element(page, '#cart-badge')).text()) === '2', 'two items in the cart')
      await (await element(page, '#checkout-btn')).tap()

      page = await pageAt(mp, 'pages/checkout/index')
      await (await element(page, '#type-address')).tap()
      const address = await element(page, '#address-input')
      await (address as unknown as { input(v: string): Promise<void> }).input(
        '上海市徐汇区漕溪北路 88 号 2 楼',
      )
      await screenshot(mp, name, 'checkout')
      check((await loginCalls(mp)) === 0, 'no login before the order')
      await (await element(page, '#submit-order')).tap()

      // The checkout either shows its success card or moves on to the order's detail page.
      const done = await Promise.race([
        element(page, '#order-success', 15_000).then(() => 'success-card'),
        pageAt(mp, 'pages/order-detail/index', 15_000).then(() => 'detail-page'),
      ])
      await screenshot(mp, name, `placed-${done}`)
      // The kit prefetches a login code at launch (before counting began), so the order usually
      // needs no wx.login of its own; never more than one.
      check(
        (await loginCalls(mp)) <= 1,
        `at most one wx.login for the first order (got ${await loginCalls(mp)})`,
      )

      page = (await mp.switchTab('/pages/orders/index'))!
      page = await pageAt(mp, 'pages/orders/index')
      await element(page, '#orders-list')
      orderText = await (await element(page, '.order')).text()
    } finally {
      await mp.close()
    }

    // Relaunch: the stored session is restored; seeing the orders needs no new login.
    mp = await launchApp(account)
    try {
      await countLogins(mp)
      await mp.reLaunch('/pages/orders/index')
      const page = await pageAt(mp, 'pages/orders/index')
      await element(page, '#orders-list')
      check(
        (await (await element(page, '.order')).text()) === orderText,
        'the same order after relaunch',
      )
      await screenshot(mp, name, 'orders-after-relaunch')
      check((await loginCalls(mp)) === 0, 'no wx.login after the relaunch')
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
