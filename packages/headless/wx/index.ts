// The fake `wx`: modules over one shared FakeWxContext. To add APIs (settings, privacy, ...),
// write `xxxApis(ctx)` returning { wx, control } and add one line to `mount(...)` below.
import type { Clock, VirtualClock } from './clock'
import { createFakeWxContext, type FakeWxContext, type FakeWxOptions } from './context'
import { baseApis } from './base'
import { loginApis } from './login'
import { requestApis } from './request'
import { storageApis } from './storage'
import { gestureApis } from './gesture'
import { settingsApis } from './settings'
import { privacyApis } from './privacy'
import { locationApis } from './location'
import { profileApis } from './profile'
import { phoneApis } from './phone'
import { uploadApis } from './upload'
import { fileSystemApis } from './file-system'
import { subscribeApis } from './subscribe'
import { modalApis } from './modal'
import { networkApis } from './network'

export type { FakeWxContext, FakeWxOptions } from './context'
export { headerOf } from './request'
export type { FakeRequest, FakeResponse, RequestHandler, RequestLogEntry } from './request'
export type { CaptivePortal, HeaderCase } from './network-state'
export { SUSPEND_AFTER_MS } from './network'

type Part = { wx: object; control: object }
type Merge<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never

/** Merges modules keeping getters live (controls expose counters as getters). */
function mount<P extends Part[]>(...parts: P) {
  const wx = {}
  const control = {}
  for (const p of parts) {
    Object.defineProperties(wx, Object.getOwnPropertyDescriptors(p.wx))
    Object.defineProperties(control, Object.getOwnPropertyDescriptors(p.control))
  }
  return { wx, control } as { wx: Merge<P[number]['wx']>; control: Merge<P[number]['control']> }
}

/** `control.clock` has the type of the clock given (VirtualClock by default). */
export function createFakeWx<C extends Clock = VirtualClock>(
  options: FakeWxOptions & { clock?: C } = {},
) {
  const ctx: FakeWxContext = createFakeWxContext(options)
  const clock = ctx.clock as C
  const m = mount(
    baseApis(),
    loginApis(ctx),
    requestApis(ctx),
    networkApis(ctx),
    storageApis(ctx),
    gestureApis(ctx),
    settingsApis(ctx),
    privacyApis(ctx),
    locationApis(ctx),
    profileApis(ctx),
    phoneApis(ctx),
    uploadApis(ctx),
    fileSystemApis(ctx),
    subscribeApis(ctx),
    modalApis(ctx),
  )
  const control = Object.assign(m.control, { ctx, clock, dialogs: ctx.dialogs })
  return { wx: m.wx, control }
}

export type FakeWx<C extends Clock = VirtualClock> = ReturnType<typeof createFakeWx<C>>

/** Installs a fake as the global `wx` the kit and pages call; returns it. */
export function installFakeWx<C extends Clock = VirtualClock>(
  options: FakeWxOptions & { clock?: C } = {},
): FakeWx<C> {
  const fake = createFakeWx<C>(options)
  ;(globalThis as unknown as { wx: unknown }).wx = fake.wx
  return fake
}
