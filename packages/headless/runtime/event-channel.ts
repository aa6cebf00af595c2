// The EventChannel between a page and the page it opened with wx.navigateTo({ events }): the
// opener's `events` listen to what the opened page emits (this.getOpenerEventChannel().emit), and
// the opener's res.eventChannel.emit reaches the opened page's on() listeners. navigateTo's
// success comes after the opened page's onLoad, so listeners it registers there hear the opener.
type Listener = (...args: unknown[]) => void

class ChannelSide {
  private readonly listeners = new Map<string, Array<{ fn: Listener; once: boolean }>>()

  deliver(name: string, args: unknown[]): void {
    for (const l of [...(this.listeners.get(name) ?? [])]) {
      if (l.once) this.off(name, l.fn)
      l.fn(...args)
    }
  }

  on(name: string, fn: Listener, once: boolean): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), { fn, once }])
  }

  off(name: string, fn?: Listener): void {
    const list = this.listeners.get(name) ?? []
    this.listeners.set(name, fn ? list.filter((l) => l.fn !== fn) : [])
  }
}

export interface EventChannel {
  emit(name: string, ...args: unknown[]): void
  on(name: string, fn: Listener): void
  once(name: string, fn: Listener): void
  off(name: string, fn?: Listener): void
}

function endpoint(own: ChannelSide, other: ChannelSide): EventChannel {
  return {
    emit: (name, ...args) => other.deliver(name, args),
    on: (name, fn) => own.on(name, fn, false),
    once: (name, fn) => own.on(name, fn, true),
    off: (name, fn) => own.off(name, fn),
  }
}

/** Both ends: `opener` is res.eventChannel, `opened` is getOpenerEventChannel(). */
export function createEventChannelPair(events: Record<string, unknown> = {}): {
  opener: EventChannel
  opened: EventChannel
} {
  const openerSide = new ChannelSide()
  const openedSide = new ChannelSide()
  for (const [name, fn] of Object.entries(events))
    if (typeof fn === 'function') openerSide.on(name, fn as Listener, false)
  return { opener: endpoint(openerSide, openedSide), opened: endpoint(openedSide, openerSide) }
}
