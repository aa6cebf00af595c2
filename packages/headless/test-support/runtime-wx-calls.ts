// Calling the runtime's `wx` the way an app does, by API name, in tests that check its answers.
import type { HeadlessRuntime } from '../runtime/runtime'

type AsyncApi = (o?: Record<string, unknown>) => Promise<Record<string, unknown>>
type SyncApi = (...args: unknown[]) => unknown

/** `call` an async API with its options object, or `sync` a synchronous one, on the runtime. */
export function wxCallsOn(runtime: () => HeadlessRuntime) {
  return {
    call: (name: string, o: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
      (runtime().facade.wx[name] as AsyncApi)(o),
    sync: (name: string, ...args: unknown[]): unknown =>
      (runtime().facade.wx[name] as SyncApi)(...args),
  }
}
