/**
 * Concurrency limiter for wx.request (WeChat allows 10 at once; the kit keeps a margin).
 * Jobs start in FIFO order. A job of a call that ended meanwhile (deadline, logout) runs too, but
 * finds its call ended and sends nothing.
 */
export const createQueue = (max: number) => {
  let active = 0
  const waiting: Array<() => void> = []
  const next = () => {
    if (active < max && waiting.length) {
      active++
      waiting.shift()!()
    }
  }
  /** `job` must be async (never throw synchronously) so the slot is always released. */
  return <T>(job: () => Promise<T>): Promise<T> =>
    new Promise<void>((start) => {
      waiting.push(start)
      next()
    }).then(() =>
      job().finally(() => {
        active--
        next()
      }),
    )
}
