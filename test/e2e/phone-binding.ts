// Phone: the user first refuses the phone-number sheet (nothing is bound, the app says so), then
// allows it: the code goes to the server, which stores the number and answers it masked.
import { screenshot } from './lib/artifacts'
import { loginFromMe } from './lib/app'
import { type Journey, runIfMain } from './lib/journey'
import { freshAccount, launchApp } from './lib/target'
import { check, element, sleep, until } from './lib/wait'

const name = 'phone-binding'

export const journey: Journey = {
  name,
  title: 'phone denied, then bound',
  async run() {
    const mp = await launchApp(freshAccount('phone'))
    try {
      const me = await loginFromMe(mp)
      await element(me, '#me-phone-none')
      await (await element(me, '#bind-phone')).tap()
      await sleep(300)
      await mp.native().authorizeCancel() // the phone-number sheet: 不允许
      await element(me, '#phone-message')
      await element(me, '#me-phone-none')
      await screenshot(mp, name, 'denied')

      await (await element(me, '#bind-phone')).tap()
      await sleep(300)
      await mp.native().authorizeAllow()
      const phone = await element(me, '#me-phone', 15_000)
      const shown = await until('a masked phone number', async () => {
        const t = await phone.text()
        return /\d/.test(t) ? t : undefined
      })
      check(/\*/.test(shown), `the number is shown masked (${shown})`)
      await screenshot(mp, name, 'bound')
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
