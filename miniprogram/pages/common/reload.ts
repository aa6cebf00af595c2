// The handlers of a page whose content comes from its own `load()`, spread into its methods: a
// pull-down reloads, then stops the refresh indicator; the error state's retry button
// (bindtap="onRetry") reloads.
interface Loads {
  load(): Promise<void>
}

export const reloadHandlers = {
  onPullDownRefresh(this: Loads): void {
    void this.load().then(() => wx.stopPullDownRefresh())
  },

  onRetry(this: Loads): void {
    void this.load()
  },
}
