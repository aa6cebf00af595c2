/**
 * Whether the app is in the foreground, from wx.onAppHide / wx.onAppShow. A request cut by the
 * background (`request:fail interrupted`, platform doc §10) waits here for the app to show again.
 */
export const watchVisibility = () => {
  type Listen = (fn: () => void) => void
  const platform = wx as unknown as { onAppShow?: Listen; onAppHide?: Listen }
  let hidden = false
  let waiting: Array<() => void> = []
  if (typeof platform.onAppShow === 'function' && typeof platform.onAppHide === 'function') {
    platform.onAppHide(() => {
      hidden = true
    })
    platform.onAppShow(() => {
      hidden = false
      const ready = waiting
      waiting = []
      ready.forEach((resume) => resume())
    })
  }
  return {
    /** Resolves when the app is in the foreground (at once when it is). */
    shown: () =>
      hidden ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve(),
  }
}
