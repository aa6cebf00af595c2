/**
 * Concurrency limiter for wx.request (WeChat allows 10 at once; the kit keeps a margin).
 * Jobs start in FIFO order; `clear` rejects every job still waiting (logout).
 */
export const createQueue = (max: number) => {
  let active = 0
  let waiting: [() => void, (e: unknown) => void][] = []
  const next = () => {
    if (active < max && waiting.length) {
      active++
      waiting.shift()![0]()
    }
  }
  return {
    /** `job` must be async (never throw synchronously) so the slot is always released. */
    run: <T>(job: () => Promise<T>): Promise<T> =>
      new Promise<void>((res, rej) => {
        waiting.push([res, rej])
        next()
      }).then(() =>
        job().finally(() => {
          active--
          next()
        }),
      ),
    clear(e: unknown) {
      const w = waiting
      waiting = []
      w.forEach((x) => x[1](e))
    },
  }
}
