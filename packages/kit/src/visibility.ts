/**
 * Whether the app is in the foreground, from wx.onAppHide / wx.onAppShow. A request cut by the
 * background (`request:fail interrupted`, platform doc §10) waits here for the app to show again.
 */
export const watchVisibility = () => {
  let hidden: Promise<void> | null = null
  let showAgain = () => {}
  // base libraries or hosts without these events: the app counts as always shown
  wx.onAppHide?.(() => {
    hidden = hidden || new Promise<void>((resolve) => (showAgain = resolve))
  })
  wx.onAppShow?.(() => {
    hidden = null
    showAgain()
  })
  /** Resolves when the app is in the foreground (at once when it is). */
  return () => hidden || Promise.resolve()
}
