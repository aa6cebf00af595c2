// The setup every page suite shares: the page under test loaded once per file, and the app back
// to a fresh state before each test. Imports ./env first, so the fake wx is installed before the
// app's auth instance (miniprogram/api/client) is created.
import { fake, loadPage, mountPage, resetEnv, until, type PageComp } from './env'
import { auth } from '../../../../miniprogram/api/client'
import { cart } from '../../../../miniprogram/stores/cart'

/** The page lifecycle hooks a test runs (simulate runs none of a page's own). */
type Hook = 'onLoad' | 'onShow'

/**
 * Loads page `name` for the file (beforeAll). The returned `open` mounts a fresh instance and
 * runs `hooks` on it in order; `query` goes to onLoad.
 */
export function pageUnderTest(
  name: string,
  hooks: Hook[],
): (query?: Record<string, string>) => PageComp {
  let id = ''
  beforeAll(() => {
    id = loadPage(name)
  })
  return (query) => {
    const page = mountPage(id)
    for (const hook of hooks) {
      if (hook === 'onLoad') page.instance.onLoad(query)
      else page.instance.onShow()
    }
    return page
  }
}

/** Before each test: logged out, a fresh server and fake wx, an empty cart. */
export async function resetApp(): Promise<void> {
  // Logout forgets the prefetched login code and fetches another; that one fails here, so every
  // test starts with no code held and its first login calls wx.login (what these suites script).
  await until(() => fake.control.pendingLogins === 0, 2000, 'the prefetch made at launch')
  fake.control.failLogin('system error', 1)
  await auth.logout()
  // logout resolves at once and revokes in the background: let the revoke land before the reset
  await until(
    () => fake.control.inFlight === 0 && fake.control.pendingLogins === 0,
    2000,
    'the background revoke and the prefetch',
  )
  fake.control.clearLoginFailures()
  resetEnv()
  cart.clear()
}
