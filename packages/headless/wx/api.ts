// WeChat's calling conventions for async APIs, shared by every fake wx method:
// callback style (success/fail/complete, returns nothing) or, with no callback given, a Promise.
// Results carry `errMsg` '<api>:ok'; failures are plain objects { errMsg: '<api>:fail <reason>', errno? }.

export interface WxFailResult {
  errMsg: string
  errno?: number
  /** requestSubscribeMessage's failures carry `errCode`, not `errno` (platform doc §6). */
  errCode?: number
}

export interface WxCallbacks<S> {
  success?: (res: S) => void
  fail?: (err: WxFailResult) => void
  complete?: (res: S | WxFailResult) => void
}

/** Thrown inside a fake implementation to fail the call with WeChat's shape. */
export class WxFail {
  readonly errMsg: string
  readonly errno?: number
  constructor(api: string, reason: string, errno?: number) {
    this.errMsg = `${api}:fail ${reason}`
    if (errno !== undefined) this.errno = errno
  }
  toResult(): WxFailResult {
    return this.errno === undefined
      ? { errMsg: this.errMsg }
      : { errMsg: this.errMsg, errno: this.errno }
  }
}

function hasCallback(o: object | undefined): boolean {
  if (!o) return false
  const c = o as WxCallbacks<unknown>
  return (
    typeof c.success === 'function' ||
    typeof c.fail === 'function' ||
    typeof c.complete === 'function'
  )
}

function toFail(api: string, e: unknown): WxFailResult {
  if (e instanceof WxFail) return e.toResult()
  return { errMsg: `${api}:fail ${e instanceof Error ? e.message : String(e)}` }
}

/**
 * Wraps `impl` with WeChat's dual calling convention. `impl` resolves with the success result
 * (errMsg is added when missing) or throws WxFail.
 */
export function wxAsync<O extends object, S extends object>(
  api: string,
  impl: (opts: O) => Promise<S>,
): (opts?: O & WxCallbacks<S & { errMsg: string }>) => Promise<S & { errMsg: string }> | undefined {
  return (opts) => {
    const o = (opts ?? {}) as O & WxCallbacks<S & { errMsg: string }>
    const run = impl(o).then(
      (r) => ({ errMsg: `${api}:ok`, ...r }) as S & { errMsg: string },
      (e: unknown) => Promise.reject(toFail(api, e)),
    )
    if (!hasCallback(o)) return run
    run.then(
      (r) => {
        o.success?.(r)
        o.complete?.(r)
      },
      (e: WxFailResult) => {
        o.fail?.(e)
        o.complete?.(e)
      },
    )
    return undefined
  }
}
