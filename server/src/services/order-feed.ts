// In-process notifications of order changes, for the console's server-sent events and for
// waking the outbox. Listeners run synchronously and must not throw into the publisher.
import type { OrderJson } from './orders'

export interface OrderFeedEvent {
  type: 'created' | 'status'
  order: OrderJson
}

export type OrderFeedListener = (event: OrderFeedEvent) => void

export class OrderFeed {
  private readonly listeners = new Set<OrderFeedListener>()

  /** Returns the unsubscribe function. */
  subscribe(listener: OrderFeedListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  publish(event: OrderFeedEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch {
        // One broken listener (a closed stream) must not stop the others or the request.
      }
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
