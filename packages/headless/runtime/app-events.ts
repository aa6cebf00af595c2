// The app-level event listeners of wx: wx.onAppShow / onAppHide / onError / onUnhandledRejection /
// onPageNotFound / onThemeChange / onMemoryWarning / onAppRoute and their off* twins. Public apps
// and analytics SDKs register these at launch without a feature check (onAppRoute is the base
// library's route hook such SDKs use), so each must exist and, where the runtime has the event,
// fire: shows and hides, script errors, unhandled rejections and every completed route. A theme
// change, a memory warning or a missing launch page never happen here, so those never fire.
// `off<Event>()` without a callback removes every listener of that event, as on the platform.

export const APP_EVENTS = [
  'AppShow',
  'AppHide',
  'Error',
  'UnhandledRejection',
  'PageNotFound',
  'ThemeChange',
  'MemoryWarning',
  'AppRoute',
] as const

export type AppEvent = (typeof APP_EVENTS)[number]

type Listener = (payload: unknown) => void

export class AppEventListeners {
  private readonly listeners = new Map<AppEvent, Listener[]>()

  constructor(private readonly onListenerError: (e: unknown) => void) {}

  /** `on<Event>` and `off<Event>` for every app event, to merge into wx. */
  apis(): Record<string, (cb?: unknown) => void> {
    const out: Record<string, (cb?: unknown) => void> = {}
    for (const event of APP_EVENTS) {
      out[`on${event}`] = (cb) => {
        if (typeof cb === 'function') this.of(event).push(cb as Listener)
      }
      out[`off${event}`] = (cb) => {
        this.listeners.set(
          event,
          typeof cb === 'function' ? this.of(event).filter((l) => l !== cb) : [],
        )
      }
    }
    return out
  }

  emit(event: AppEvent, payload: unknown): void {
    for (const listener of [...this.of(event)]) {
      try {
        listener(payload)
      } catch (e) {
        // A listener that throws must not stop the others (nor, for Error, loop).
        if (event !== 'Error') this.onListenerError(e)
      }
    }
  }

  private of(event: AppEvent): Listener[] {
    let list = this.listeners.get(event)
    if (!list) this.listeners.set(event, (list = []))
    return list
  }
}
