// Wrong console passwords per client IP: after `max` failures in `windowMs` the IP waits until
// the window ends (429). In process memory, bounded; it slows a guesser down, it does not share
// counts between instances.
export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>()
  constructor(
    private readonly max = 10,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 10_000,
  ) {}

  /** Seconds to wait, or 0 when this IP may try now. */
  retryAfterSec(ip: string, now: number): number {
    const entry = this.failures.get(ip)
    if (entry === undefined || entry.resetAt <= now) return 0
    return entry.count >= this.max ? Math.ceil((entry.resetAt - now) / 1000) : 0
  }

  fail(ip: string, now: number): void {
    const entry = this.failures.get(ip)
    if (entry === undefined || entry.resetAt <= now) {
      this.failures.delete(ip)
      this.failures.set(ip, { count: 1, resetAt: now + this.windowMs })
      while (this.failures.size > this.maxKeys) {
        const oldest = this.failures.keys().next().value
        if (oldest === undefined) break
        this.failures.delete(oldest)
      }
    } else {
      entry.count += 1
    }
  }

  succeed(ip: string): void {
    this.failures.delete(ip)
  }
}
