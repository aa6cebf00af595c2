// Session revoked on the server mid-use: the next call gets 401, the kit logs in again silently
// and retries, and the user just sees the page (no error state, a new token stored).
import { screenshot } from './lib/artifacts'
import { loginFromMe } from './lib/app'
import { countLogins, loginCalls } from './lib/evidence'
import { type Journey, runIfMain } from './lib/journey'
import { meStatus, revokeOnServer, storedToken } from './lib/server'
import { freshAccount, launchApp } from './lib/target'
import { check, element, pageAt } from './lib/wait'

const name = 'session-revoked'

export const journey: Journey = {
  name,
  title: 'session revoked on the server mid-use, recovered without the user seeing it',
  async run() {
    const mp = await launchApp(freshAccount('revoked'))
    try {
      await countLogins(mp)
      await loginFromMe(mp)
      // (The 我的 page may also fetch a spare login code for getUserProfile: count, don't pin.)
      const first = await loginCalls(mp)
      check(first >= 1, 'logged in')
      const before = await storedToken(mp)
      check(before !== undefined, 'a session is stored')
      await revokeOnServer(before)
      check((await meStatus(before)) === 401, 'the server refuses the revoked token')

      await mp.switchTab('/pages/orders/index')
      const orders = await pageAt(mp, 'pages/orders/index')
      await element(orders, '#orders-empty, #orders-list', 15_000)
      check((await orders.$$('#orders-error')).length === 0, 'no error was shown')
      check((await loginCalls(mp)) > first, 'a silent re-login happened')
      const after = await storedToken(mp)
      check(after !== undefined && after !== before, 'a new session replaced the revoked one')
      await screenshot(mp, name, 'orders-after-recovery')
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
