// A Map that forgets its oldest entries cheaply. A plain Map's iterator has to walk past every
// entry deleted from its front until V8 rehashes it, so evicting "the oldest" from a Map of
// 100,000 costs more with each eviction; here the insertion order is kept in an array with a
// moving head, so evicting one entry is O(1) amortized whatever the size.
export class AgingMap<V> {
  private readonly entries = new Map<string, V>()
  /** Keys in insertion order; those before `head` are gone. */
  private order: string[] = []
  private head = 0

  get size(): number {
    return this.entries.size
  }

  get(key: string): V | undefined {
    return this.entries.get(key)
  }

  /** Sets the value; a new key is the newest, an existing one keeps its age. */
  set(key: string, value: V): void {
    if (!this.entries.has(key)) this.order.push(key)
    this.entries.set(key, value)
  }

  /** Forgets the oldest entries as long as `expired` holds for them. */
  dropOldestWhile(expired: (value: V) => boolean): void {
    while (this.head < this.order.length) {
      const key = this.order[this.head]!
      if (!expired(this.entries.get(key)!)) break
      this.forgetOldest()
    }
  }

  /** Forgets the oldest entries until at most `max` are left. */
  dropBeyond(max: number): void {
    while (this.entries.size > max) this.forgetOldest()
  }

  private forgetOldest(): void {
    this.entries.delete(this.order[this.head]!)
    this.head += 1
    // Reclaim the array once most of it is behind the head.
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head)
      this.head = 0
    }
  }
}
