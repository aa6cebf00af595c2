import { AuthKitError } from './errors'

/**
 * The bounds of one call: its deadline (retries, backoff and login waits included) and logout.
 * `watch(p)` settles like `p`, or rejects 'timeout' at the deadline, or 'aborted' on logout,
 * whichever comes first, so nothing the call waits on can hold it longer.
 * While the app is in the background waiting to show again, the deadline is paused.
 */
export const createCallGuard = (timeoutMs: number, onEnd: Set<() => void>) => {
  let remainingMs = timeoutMs
  let startedAt = Date.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  let endError: AuthKitError | null = null
  let rejectWatch!: (e: AuthKitError) => void
  const stopped = new Promise<never>((_, reject) => (rejectWatch = reject))
  stopped.catch(() => {})

  const stop = (error: AuthKitError) => {
    if (endError) return
    endError = error
    if (timer !== undefined) clearTimeout(timer)
    onEnd.delete(abortOnLogout)
    rejectWatch(error)
  }
  const abortOnLogout = () => stop(new AuthKitError('aborted', 'logout'))
  const startTimer = () => {
    startedAt = Date.now()
    timer = setTimeout(
      () => stop(new AuthKitError('timeout', 'no answer within ' + timeoutMs + ' ms')),
      remainingMs,
    )
  }
  onEnd.add(abortOnLogout)
  startTimer()

  return {
    watch: <T>(work: Promise<T>): Promise<T> => Promise.race([work, stopped]),
    /** ms left before the deadline. */
    remaining: () => (timer === undefined ? remainingMs : remainingMs - (Date.now() - startedAt)),
    /** The error that ended the call (deadline or logout), or null while it runs. */
    endedBy: () => endError,
    pause() {
      remainingMs = this.remaining()
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    },
    resume() {
      if (!endError && timer === undefined) startTimer()
    },
    /** The call settled: stop watching. */
    finish() {
      if (timer !== undefined) clearTimeout(timer)
      onEnd.delete(abortOnLogout)
      endError = endError || new AuthKitError('aborted', 'call finished')
    },
  }
}

export type CallGuard = ReturnType<typeof createCallGuard>
