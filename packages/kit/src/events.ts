import type { AuthEvent, AuthEventOf, AuthEventType } from './types'

export type On = <K extends AuthEventType>(
  type: K,
  listener: (e: AuthEventOf<K>) => void,
) => () => void

/** Typed lifecycle events. A throwing listener must never break a login, so errors are swallowed. */
export const createEmitter = () => {
  const listeners = new Set<(e: AuthEvent) => void>()
  const on: On = (type, listener) => {
    const ofType = (e: AuthEvent) => e.type === type && listener(e as AuthEventOf<typeof type>)
    listeners.add(ofType)
    return () => void listeners.delete(ofType)
  }
  const emit = (e: AuthEvent) =>
    listeners.forEach((listener) => {
      try {
        listener(e)
      } catch {
        // listeners are for logs and metrics only
      }
    })
  return { on, emit }
}
