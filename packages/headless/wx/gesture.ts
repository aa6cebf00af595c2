// The tap-gesture rule: tap-only APIs (openSetting, getUserProfile, requestSubscribeMessage, ...)
// work only during the synchronous part of a tap handler. The flag is set while `fn` runs and
// cleared as soon as it returns, so a call after an `await` (or in a later callback) fails with
// `<api>:fail can only be invoked by user TAP gesture.` as on devices (platform doc §4, §6, §11).
import { WxFail } from './api'
import type { FakeWxContext, FakeWxModule } from './context'

/** Runs `fn` as a tap handler: the gesture is active for its synchronous part only. */
export function runAsTap<T>(ctx: FakeWxContext, fn: () => T): T {
  const prev = ctx.gesture.active
  ctx.gesture.active = true
  ctx.gesture.taps = ((ctx.gesture.taps as number | undefined) ?? 0) + 1
  try {
    return fn()
  } finally {
    ctx.gesture.active = prev
  }
}

/** Throws the TAP gesture failure unless a tap handler is running synchronously right now. */
export function requireTap(ctx: FakeWxContext, api: string): void {
  if (!ctx.gesture.active) {
    ctx.gesture.refused = ((ctx.gesture.refused as number | undefined) ?? 0) + 1
    throw new WxFail(api, 'can only be invoked by user TAP gesture.')
  }
}

export function gestureApis(ctx: FakeWxContext) {
  const control = {
    /** Runs `fn` as a tap handler (gesture active during its synchronous part only). */
    runAsTap<T>(fn: () => T): T {
      return runAsTap(ctx, fn)
    },
    /** True while a tap handler runs synchronously. */
    get inTap(): boolean {
      return ctx.gesture.active
    },
    /** Tap-only calls refused for lack of a gesture. */
    get gestureRefusals(): number {
      return (ctx.gesture.refused as number | undefined) ?? 0
    },
  }
  return { wx: {}, control } satisfies FakeWxModule<object, object>
}
