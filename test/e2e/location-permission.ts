// Location refused, then granted through settings, then (another user) refused and dismissed:
// the address is typed by hand and the order still goes through.
import { screenshot } from './lib/artifacts'
import { openCheckoutWithDish, PICKED_PLACE, submitOrder, typeAddress } from './lib/app'
import { type Journey, runIfMain } from './lib/journey'
import { freshAccount, launchApp } from './lib/target'
import { check, element, goneInside, inside, sleep } from './lib/wait'

const name = 'location-permission'

export const journey: Journey = {
  name,
  title: 'location refused, granted through settings, then refused and dismissed (typed address)',
  async run() {
    let mp = await launchApp(freshAccount('loc1'))
    try {
      await mp.mockWxMethod('chooseLocation', PICKED_PLACE)
      const page = await openCheckoutWithDish(mp)
      await (await element(page, '#choose-location')).tap()
      await sleep(300)
      await mp.native().authorizeCancel() // the system's location prompt: 拒绝
      // A first refusal falls back to typing; asking for the map again explains and offers settings.
      await element(page, '#address-input')
      await screenshot(mp, name, 'refused-typing')
      await (await element(page, '.link')).tap() // 改为在地图上选择
      const openSetting = await inside(page, '#auth-sheet', '#open-setting-btn')
      await screenshot(mp, name, 'reprompt-sheet')
      await openSetting.tap()
      await sleep(300)
      await mp.native().authorizeAllow() // on the settings page: switch location on, come back
      await goneInside(page, '#auth-sheet', '#open-setting-btn')
      const chosen = await element(page, '#address-chosen')
      check((await chosen.text()).includes(PICKED_PLACE.name), 'the picked place is the address')
      await screenshot(mp, name, 'granted-address')
    } finally {
      await mp.close()
    }

    mp = await launchApp(freshAccount('loc2'))
    try {
      const page = await openCheckoutWithDish(mp)
      await (await element(page, '#choose-location')).tap()
      await sleep(300)
      await mp.native().authorizeCancel()
      await element(page, '#address-input')
      await (await element(page, '.link')).tap() // 改为在地图上选择: the sheet explains again
      await (await inside(page, '#auth-sheet', '#dismiss-btn')).tap() // 暂不
      await goneInside(page, '#auth-sheet', '#dismiss-btn')
      await element(page, '#address-input')
      const hint = await element(page, '#address-hint')
      check((await hint.text()).length > 0, 'a hint explains why the address is typed')
      await typeAddress(page)
      await screenshot(mp, name, 'typed-address')
      await submitOrder(mp, page)
      await screenshot(mp, name, 'ordered')
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
