import type { AuthEvent, AuthEventOf, AuthEventType } from './types'

export type On = <K extends AuthEventType>(
  type: K,
  listener: (e: AuthEventOf<K>) => void,
) => () => void

/** Typed lifecycle events. A throwing listener must never break a login, so errors are swallowed. */
export const createEmitter = () => {
  const ls = new Set<[string, (e: AuthEvent) => void]>()
  const on: On = (type, listener) => {
    const x: [string, (e: AuthEvent) => void] = [type, listener as (e: AuthEvent) => void]
    ls.add(x)
    return () => void ls.delete(x)
  }
  const emit = (e: AuthEvent) =>
    ls.forEach(([t, f]) => {
      if (t == e.type)
        try {
          f(e)
        } catch {
          // listeners are for logs and metrics only
        }
    })
  return { on, emit }
}
