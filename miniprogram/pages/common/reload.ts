// The handlers of a page whose content comes from its own `load()`, spread into its methods: a
// pull-down reloads, then stops the refresh indicator; the error state's retry button
// (bindtap="onRetry") reloads.
import { auth } from '../../api/client'

interface Loads {
  load(): Promise<void>
}

interface LoadsWithSession extends Loads {
  /** Shows a failure as the page's error state. */
  showLoadError(e: unknown): void
  reloadAfterLogin(): Promise<void>
}

/** For pages that need no session (the menu): a retry never logs anyone in. */
export const reloadHandlers = {
  onPullDownRefresh(this: Loads): void {
    void this.load().then(() => wx.stopPullDownRefresh())
  },

  onRetry(this: Loads): void {
    void this.load()
  },
}

/**
 * For pages whose content needs a session (orders, order detail). The retry tap and the
 * pull-down are the user's own actions, so they go through auth.ensureLogin() first: that
 * re-arms the kit after its loop breaker tripped, which nothing the kit does by itself can.
 * A failed login is shown as the page's error, without a second attempt by load().
 */
export const sessionReloadHandlers = {
  async reloadAfterLogin(this: LoadsWithSession): Promise<void> {
    try {
      await auth.ensureLogin()
    } catch (e) {
      this.showLoadError(e)
      return
    }
    await this.load()
  },

  onPullDownRefresh(this: LoadsWithSession): void {
    void this.reloadAfterLogin().then(() => wx.stopPullDownRefresh())
  },

  onRetry(this: LoadsWithSession): void {
    void this.reloadAfterLogin()
  },
}
