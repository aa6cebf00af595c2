// State shared by the fake wx modules (login, request, storage, and later settings, privacy, ...).
// Each module is a function of this context returning its wx methods and its test controls.
import { VirtualClock, type Clock } from './clock'
import { Dialogs } from './dialogs'
import type { RequestHandler } from './request'
import { createNetworkState, type NetworkState } from './network-state'

export interface FakeWxOptions {
  /** Default: a fresh VirtualClock (nothing happens until the test advances it). */
  clock?: Clock
  /** Where wx.login codes come from. Default: 'code-1', 'code-2', ... */
  codeSource?: () => Promise<string> | string
  /** Serves wx.request. Default: every request fails with `request:fail no request handler`. */
  requestHandler?: RequestHandler
  /** WeChat's wx.request concurrency limit (default 10). */
  maxConcurrentRequests?: number
  /**
   * What a request beyond the limit does. The platform doc (§10) says extra calls queue, so
   * 'queue' is the default; 'fail' reproduces old base libraries' `request:fail exceed max task
   * count`, for tests that want an over-the-limit caller to break loudly.
   */
  requestOverLimit?: 'queue' | 'fail'
  /** Storage quota in bytes (WeChat: 10 MB in total, 1 MB per key). */
  storageQuota?: { total?: number; item?: number }
}

export interface FakeWxContext {
  clock: Clock
  /** Storage, key -> stored value (already cloned as WeChat serialises it). */
  storage: Map<string, unknown>
  dialogs: Dialogs
  /** Tap-gesture state, for tap-only APIs (placeholder; the gesture module fills it in). */
  gesture: { active: boolean; [k: string]: unknown }
  options: FakeWxOptions
  /** The network and app-visibility conditions every network API (request, login) obeys. */
  network: NetworkState
}

export function createFakeWxContext(options: FakeWxOptions = {}): FakeWxContext {
  return {
    clock: options.clock ?? new VirtualClock(),
    storage: new Map(),
    dialogs: new Dialogs(),
    gesture: { active: false },
    options,
    network: createNetworkState(),
  }
}

/** A module's contribution: wx methods and test controls (merged with their getters intact). */
export interface FakeWxModule<W extends object, C extends object> {
  wx: W
  control: C
}
