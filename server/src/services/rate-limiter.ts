// A fixed-window limiter kept in process memory (per instance), for login and phone binding.
import type { RateLimitRule } from '../config'

export interface LimitResult {
  ok: boolean
  retryAfterSec: number
}

export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()
  constructor(
    private readonly rule: RateLimitRule,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): LimitResult {
    const t = this.now()
    let w = this.windows.get(key)
    if (w === undefined || w.resetAt <= t) {
      if (this.windows.size > 50_000) this.sweep(t)
      w = { count: 0, resetAt: t + this.rule.windowSec * 1000 }
      this.windows.set(key, w)
    }
    w.count += 1
    const retryAfterSec = Math.max(1, Math.ceil((w.resetAt - t) / 1000))
    return { ok: w.count <= this.rule.max, retryAfterSec }
  }

  private sweep(t: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= t) this.windows.delete(k)
  }
}
