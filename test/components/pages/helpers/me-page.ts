// The 我的 page's suites share their set-up: the page loaded for the file, the app reset before
// each test, and the page opened either logged out or after a login.
import { settle, type PageComp } from './env'
import { pageUnderTest, resetApp } from './page'
import { auth } from '../../../../miniprogram/api/client'

export interface MePage {
  /** Mounts the page and runs onShow, as the user opening the 我的 tab. */
  open: () => PageComp
  /** Logs in first (as another page would have), then opens the page and lets it settle. */
  openLoggedIn: () => Promise<PageComp>
}

/** Registers the file's hooks (load the page once, reset the app before each test). */
export function mePageUnderTest(): MePage {
  const open = pageUnderTest('me', ['onShow'])
  beforeEach(resetApp)
  return {
    open,
    async openLoggedIn() {
      await auth.ensureLogin()
      const page = open()
      await settle()
      return page
    },
  }
}
