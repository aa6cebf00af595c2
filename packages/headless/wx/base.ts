// The base library's basics that belong to no platform feature: wx.nextTick runs the callback
// after the current synchronous work, on a microtask like the base library (not on ctx.clock).
// mobx-miniprogram-bindings applies store changes to pages and components through it.
import type { FakeWxModule } from './context'

export function baseApis() {
  const wx = {
    nextTick(fn: () => void): void {
      void Promise.resolve().then(fn)
    },
  }
  return { wx, control: {} } satisfies FakeWxModule<object, object>
}
