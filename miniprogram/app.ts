// The app: importing api/client creates the single auth instance at launch (it restores a saved
// session synchronously; nothing logs in until a call needs it).
import { auth } from './api/client'
import { envVersion } from './config'

App<IAppOption>({
  globalData: {
    envVersion: envVersion(),
  },
  onLaunch() {
    auth.on('loop:tripped', (e) => {
      console.warn('[auth] login loop tripped', e)
    })
    // Banned or filtered subscription templates are for the developer to fix, not the user.
    auth.on('subscribe:blocked', (e) => {
      console.warn('[auth] subscription templates blocked', e)
    })
  },
})
