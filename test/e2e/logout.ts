// Logout: after confirming, the app is anonymous again, the stored session is gone and the server
// no longer accepts the old token.
import { screenshot } from './lib/artifacts'
import { loginFromMe } from './lib/app'
import { type Journey, runIfMain } from './lib/journey'
import { meStatus, storedToken } from './lib/server'
import { freshAccount, launchApp } from './lib/target'
import { check, element, sleep, until } from './lib/wait'

const name = 'logout'

export const journey: Journey = {
  name,
  title: 'logout',
  async run() {
    const mp = await launchApp(freshAccount('logout'))
    try {
      const me = await loginFromMe(mp)
      const token = await storedToken(mp)
      check(token !== undefined, 'logged in with a stored session')
      await screenshot(mp, name, 'logged-in')
      await (await element(me, '#logout-btn')).tap()
      await sleep(300)
      await mp.native().confirmModal() // 退出登录?
      await element(me, '#me-anonymous', 15_000)
      check((await storedToken(mp)) === undefined, 'the stored session is cleared')
      await until(
        `the server to revoke the token (GET /me: ${await meStatus(token)})`,
        async () => (await meStatus(token)) === 401,
      )
      await screenshot(mp, name, 'logged-out')
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
