// Time for the fake wx. Unit tests use VirtualClock to control latency and ordering
// deterministically; the headless runtime uses RealClock.

export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): number
  clearTimeout(id: number): void
  /** The app's JS is suspended (background, platform doc §10): timers do not fire. Optional. */
  suspend?(): void
  /** Timers fire again; those that fell due meanwhile fire at the next advance. */
  resume?(): void
}

export class RealClock implements Clock {
  now(): number {
    return Date.now()
  }
  setTimeout(fn: () => void, ms: number): number {
    return setTimeout(fn, ms) as unknown as number
  }
  clearTimeout(id: number): void {
    clearTimeout(id as unknown as NodeJS.Timeout)
  }
}

interface Timer {
  id: number
  at: number
  seq: number
  fn: () => void
}

/** Flushes pending promise jobs: enough turns for chains of awaits to settle. */
export async function flushMicrotasks(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve()
}

/**
 * Virtual time. Nothing happens until the test advances it; timers due at the same instant
 * fire in the order they were set, and promise jobs are flushed between timers.
 */
export class VirtualClock implements Clock {
  private t: number
  private seq = 0
  private nextId = 1
  private timers: Timer[] = []
  private suspended = false

  constructor(start = 1_700_000_000_000) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++
    this.timers.push({ id, at: this.t + Math.max(0, ms), seq: this.seq++, fn })
    return id
  }

  clearTimeout(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id)
  }

  suspend(): void {
    this.suspended = true
  }

  resume(): void {
    this.suspended = false
  }

  /** Number of timers still pending. */
  get pending(): number {
    return this.timers.length
  }

  private nextDue(limit: number): Timer | undefined {
    if (this.suspended) return undefined
    let best: Timer | undefined
    for (const t of this.timers) {
      if (t.at > limit) continue
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t
    }
    return best
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    await flushMicrotasks()
    for (;;) {
      const t = this.nextDue(end)
      if (!t) break
      this.timers = this.timers.filter((x) => x !== t)
      this.t = Math.max(this.t, t.at)
      t.fn()
      await flushMicrotasks()
    }
    this.t = end
    await flushMicrotasks()
  }

  /** Fires timers until none is left (bounded, so a timer loop fails loudly instead of hanging). */
  async runAll(maxTimers = 10_000): Promise<void> {
    await flushMicrotasks()
    for (let n = 0; this.timers.length > 0; n++) {
      if (n >= maxTimers) throw new Error(`VirtualClock.runAll: more than ${maxTimers} timers`)
      const t = this.nextDue(Number.POSITIVE_INFINITY)
      if (!t) break // suspended: nothing fires until resume()
      this.timers = this.timers.filter((x) => x !== t)
      this.t = Math.max(this.t, t.at)
      t.fn()
      await flushMicrotasks()
    }
  }
}
