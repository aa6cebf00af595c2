// Privacy: the first privacy API (here the phone-number button) asks for the privacy agreement
// first. The user disagrees: the phone sheet never opens and nothing is bound. Trying again, the
// user agrees: the phone sheet follows and the number is bound.
import { screenshot } from './lib/artifacts'
import { loginFromMe } from './lib/app'
import { type Journey, runIfMain } from './lib/journey'
import { freshAccount, launchApp } from './lib/target'
import { element, goneInside, inside, sleep } from './lib/wait'

const name = 'privacy'

export const journey: Journey = {
  name,
  title: 'privacy disagree, then agree',
  async run() {
    const mp = await launchApp(freshAccount('privacy'), { privacy: 'required' })
    try {
      const me = await loginFromMe(mp)
      await (await element(me, '#bind-phone')).tap()
      const disagree = await inside(me, '#privacy-popup', '#disagree-privacy-btn')
      await screenshot(mp, name, 'popup')
      await disagree.tap()
      await goneInside(me, '#privacy-popup', '#disagree-privacy-btn')
      await element(me, '#phone-message')
      await element(me, '#me-phone-none')
      await screenshot(mp, name, 'disagreed')

      await (await element(me, '#bind-phone')).tap()
      await (await inside(me, '#privacy-popup', '#agree-privacy-btn')).tap()
      await goneInside(me, '#privacy-popup', '#agree-privacy-btn')
      await sleep(300)
      await mp.native().authorizeAllow() // the phone-number sheet that follows the agreement
      await element(me, '#me-phone', 15_000)
      await screenshot(mp, name, 'agreed-bound')
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
