// App.callWxMethod and App.mockWxMethod: calling a wx API on the client's behalf (the client
// cannot send callbacks, so async APIs are called with our own success/fail and the success
// result is returned), and replacing one with a canned result or a function.
import type { WxFacade } from '../runtime/wx-facade'
import { type AnyFn, functionFromSource } from './evaluate'
import { ProtocolError } from './protocol'

type Options = Record<string, unknown> & {
  success?: (r: unknown) => void
  fail?: (e: unknown) => void
  complete?: (r: unknown) => void
}

/** Synchronous APIs answer with their return value; the rest are callback/promise style. */
export function isSyncApi(name: string): boolean {
  return (
    name.endsWith('Sync') ||
    /^(create|on|off)[A-Z]/.test(name) ||
    /^get\w*Manager$/.test(name) ||
    [
      'canIUse',
      'nextTick',
      'getMenuButtonBoundingClientRect',
      'arrayBufferToBase64',
      'base64ToArrayBuffer',
    ].includes(name)
  )
}

function errMsgOf(e: unknown): string {
  if (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { errMsg?: unknown }).errMsg === 'string'
  ) {
    return (e as { errMsg: string }).errMsg
  }
  return e instanceof Error ? e.message : String(e)
}

export async function callWxMethod(
  facade: WxFacade,
  method: string,
  args: unknown[],
): Promise<unknown> {
  const fn = facade.wx[method]
  if (typeof fn !== 'function') throw new ProtocolError(`wx.${method} not exists`)
  const call = fn as (...a: unknown[]) => unknown
  if (isSyncApi(method)) return call(...args)
  const first = args[0]
  const options: Record<string, unknown> =
    typeof first === 'object' && first !== null ? { ...(first as object) } : {}
  return new Promise((resolve, reject) => {
    const fail = (e: unknown): void => {
      // The client expects errMsg without its "<api>:fail " prefix.
      reject(new ProtocolError(errMsgOf(e).replace(new RegExp(`^${method}:fail\\s?`), '')))
    }
    try {
      const ret = call({ ...options, success: resolve, fail }, ...args.slice(1))
      // An implementation that ignores callbacks but returns a promise still answers.
      if (ret instanceof Promise) ret.then(resolve, fail)
    } catch (e) {
      fail(e)
    }
  })
}

/** APIs that return a task object; callers (the kit) keep it to abort. */
const TASK_APIS = new Set(['request', 'uploadFile', 'downloadFile', 'connectSocket'])

function taskStub(): Record<string, () => void> {
  const noop = (): void => undefined
  return {
    abort: noop,
    onHeadersReceived: noop,
    offHeadersReceived: noop,
    onProgressUpdate: noop,
    offProgressUpdate: noop,
    onChunkReceived: noop,
    offChunkReceived: noop,
  }
}

/** Settles a WeChat-style call: callbacks when given, otherwise a promise. */
function settle(method: string, options: Options, outcome: Promise<unknown>): unknown {
  const hasCallback = ['success', 'fail', 'complete'].some((k) => typeof options[k] === 'function')
  const run = outcome.then((res) => {
    // A result whose errMsg is not "…:ok" is a failure (as DevTools' mock rule).
    if (typeof res === 'object' && res !== null) {
      const errMsg = (res as { errMsg?: unknown }).errMsg
      if (typeof errMsg === 'string' && !errMsg.includes(':ok')) return Promise.reject(res)
      if (errMsg === undefined) return { errMsg: `${method}:ok`, ...(res as object) }
    }
    return res
  })
  if (!hasCallback) return run
  run.then(
    (r) => {
      options.success?.(r)
      options.complete?.(r)
    },
    (e: unknown) => {
      options.fail?.(e)
      options.complete?.(e)
    },
  )
  // A mocked request still hands back a task (that cannot abort the canned answer).
  return TASK_APIS.has(method) ? taskStub() : undefined
}

export function mockWithResult(method: string, result: unknown): AnyFn {
  if (isSyncApi(method)) return () => result
  return (opts?: unknown) => settle(method, (opts ?? {}) as Options, Promise.resolve(result))
}

export function mockWithFunction(
  facade: WxFacade,
  method: string,
  source: string,
  extra: unknown[],
): AnyFn {
  const impl = functionFromSource(source)
  const self = { origin: facade.original(method) }
  if (isSyncApi(method)) return (...a: unknown[]) => impl.call(self, ...a, ...extra)
  return (opts?: unknown) => {
    const options = (opts ?? {}) as Options
    // The mock sees the options without our callbacks, as DevTools' mock does.
    const { success: _s, fail: _f, complete: _c, ...plain } = options
    let outcome: Promise<unknown>
    try {
      outcome = Promise.resolve(impl.call(self, plain, ...extra))
    } catch (e) {
      outcome = Promise.reject(e instanceof Error ? { errMsg: `${method}:fail ${e.message}` } : e)
    }
    return settle(method, options, outcome)
  }
}
