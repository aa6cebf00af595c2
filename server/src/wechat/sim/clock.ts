// The simulated WeChat's clock: real time plus an offset that tests move with `advance(ms)`.
// With virtual timers, `sleep` (used for injected latency and request timeouts) resolves only
// when `advance` moves the clock past its deadline, so tests never really sleep.

export interface SimClock {
  /** Current time in ms (the base clock plus everything `advance` added). */
  now(): number
  /** Moves the clock forward and fires the virtual timers that are due. */
  advance(ms: number): void
  /** Runs `fn` after `ms` of (real or virtual) time; returns a cancel function. */
  schedule(ms: number, fn: () => void): () => void
  sleep(ms: number): Promise<void>
  readonly virtualTimers: boolean
}

interface VirtualTimer {
  at: number
  fn: () => void
}

export function createSimClock(
  opts: { now?: () => number; virtualTimers?: boolean } = {},
): SimClock {
  const base = opts.now ?? Date.now
  const virtualTimers = opts.virtualTimers ?? false
  let offset = 0
  const timers: VirtualTimer[] = []

  const now = (): number => base() + offset

  function fireDue(): void {
    for (;;) {
      const t = now()
      let idx = -1
      for (let i = 0; i < timers.length; i++) {
        const timer = timers[i]!
        if (timer.at <= t && (idx === -1 || timer.at < timers[idx]!.at)) idx = i
      }
      if (idx === -1) return
      const [due] = timers.splice(idx, 1)
      due!.fn()
    }
  }

  function schedule(ms: number, fn: () => void): () => void {
    if (!virtualTimers) {
      const handle = setTimeout(fn, Math.max(0, ms))
      handle.unref()
      return () => clearTimeout(handle)
    }
    const timer: VirtualTimer = { at: now() + Math.max(0, ms), fn }
    timers.push(timer)
    return () => {
      const i = timers.indexOf(timer)
      if (i !== -1) timers.splice(i, 1)
    }
  }

  return {
    now,
    advance(ms: number): void {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance(ms) needs ms >= 0')
      offset += ms
      fireDue()
    },
    schedule,
    sleep: (ms) => new Promise<void>((resolve) => void schedule(ms, resolve)),
    virtualTimers,
  }
}
