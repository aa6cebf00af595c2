// Profile: getUserProfile refused (the app remembers and offers it again), then allowed; WeChat
// answers anonymously ('微信用户', base library ≥ 2.27.1), so the avatar/nickname form opens;
// the user fills it in and the nickname is saved on the server.
import { screenshot } from './lib/artifacts'
import { loginFromMe } from './lib/app'
import { type Journey, runIfMain } from './lib/journey'
import { freshAccount, launchApp } from './lib/target'
import { check, element, inside, sleep, until } from './lib/wait'

const name = 'profile'
const NICKNAME = '小满'

export const journey: Journey = {
  name,
  title: 'profile refused then retried, anonymous answer then the fill-in form',
  async run() {
    const mp = await launchApp(freshAccount('profile'))
    try {
      const me = await loginFromMe(mp)
      await (await element(me, '#use-wechat-profile')).tap()
      await sleep(300)
      await mp.native().authorizeCancel()
      await element(me, '#profile-refused')
      await screenshot(mp, name, 'refused')

      await (await element(me, '#use-wechat-profile')).tap()
      await sleep(300)
      await mp.native().authorizeAllow()
      await element(me, '#profile-form-box', 15_000)
      await screenshot(mp, name, 'anonymous-form')

      const input = (await inside(me, '#profile-form', '#nickname-input')) as unknown as {
        input(v: string): Promise<void>
      }
      await input.input(NICKNAME)
      await (await inside(me, '#profile-form', '#save-btn')).tap()
      await until(
        'the saved nickname',
        async () => (await (await element(me, '#me-nickname')).text()) === NICKNAME,
        15_000,
      )
      check((await (await element(me, '#me-nickname')).text()) === NICKNAME, 'nickname saved')
      await screenshot(mp, name, 'saved')
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
