// The `require` a mini-program module sees. Besides the synchronous form it has the two
// asynchronous forms of 分包异步化 (see the `require` API reference): `require(path, callback,
// error)` and the chainable `require.async(path)`, both used to reach code in another subpackage.
// A headless run has every subpackage on disk, so they load at once, but still asynchronously:
// callers may rely on the callback running after the current code. A failure is WeChat's
// `{ mod, errMsg }`.

export interface AsyncRequireError {
  mod: string
  errMsg: string
}

export interface MiniProgramRequire {
  (
    request: string,
    callback?: (mod: unknown) => void,
    error?: (e: AsyncRequireError) => void,
  ): unknown
  async(request: string): Promise<unknown>
}

function asyncError(request: string, e: unknown): AsyncRequireError {
  return { mod: request, errMsg: e instanceof Error ? e.message : String(e) }
}

export function requireFunction(load: (request: string) => unknown): MiniProgramRequire {
  const later = (request: string): Promise<unknown> =>
    Promise.resolve()
      .then(() => load(request))
      .catch((e: unknown) => Promise.reject(asyncError(request, e)))
  const req = ((request, callback, error) => {
    if (typeof callback !== 'function') return load(request)
    later(request).then(callback, (e: AsyncRequireError) => {
      if (typeof error === 'function') error(e)
      else throw new Error(`require('${request}') failed: ${e.errMsg}`)
    })
    return undefined
  }) as MiniProgramRequire
  req.async = later
  return req
}
