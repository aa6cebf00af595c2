import { AuthKitError } from './errors'

/**
 * The bounds of one call: its deadline (retries, backoff and login waits included) and logout.
 * `watch(p)` settles like `p`, or rejects 'timeout' at the deadline, or 'aborted' on logout,
 * whichever comes first, so nothing the call waits on can hold it longer.
 * While the app is in the background waiting to show again, the deadline is paused.
 */
export const createCallGuard = (timeoutMs: number, logoutListeners: Set<() => void>) => {
  let remainingMs = timeoutMs
  let resumedAt = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let endError: AuthKitError | null = null
  let rejectWatch!: (e: AuthKitError) => void
  const stopped = new Promise<never>((_, reject) => (rejectWatch = reject))
  stopped.catch(() => {})

  const stop = (error: AuthKitError) => {
    if (endError) return
    guard.pause()
    endError = error
    logoutListeners.delete(abortOnLogout)
    rejectWatch(error)
  }
  const abortOnLogout = () => stop(new AuthKitError('aborted', 'logout'))

  const guard = {
    watch: <T>(work: T | Promise<T>): Promise<T> => Promise.race([work, stopped]),
    /** ms left before the deadline. */
    remaining: () => remainingMs - (timer ? Date.now() - resumedAt : 0),
    /** The error that ended the call (deadline, logout, or it finished), or null while it runs. */
    endedBy: () => endError,
    pause() {
      remainingMs = guard.remaining()
      clearTimeout(timer!)
      timer = undefined
    },
    resume() {
      if (endError) return
      resumedAt = Date.now()
      timer = setTimeout(() => stop(new AuthKitError('timeout', 'deadline passed')), remainingMs)
    },
    /** The call settled: stop watching. */
    finish: () => stop(new AuthKitError('aborted', 'done')),
  }
  logoutListeners.add(abortOnLogout)
  guard.resume()
  return guard
}

export type CallGuard = ReturnType<typeof createCallGuard>
