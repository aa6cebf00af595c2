// wx storage, sync and async, with WeChat's errMsg formats, its quota (10 MB in total, 1 MB per
// key), injectable write failures, and raw access so tests can plant corrupt records.
import { WxFail, wxAsync } from './api'
import type { FakeWxContext, FakeWxModule } from './context'

const MB = 1024 * 1024

/** Thrown by the *Sync APIs: an Error whose message is the errMsg, as on devices. */
export class WxSyncError extends Error {
  readonly errMsg: string
  constructor(api: string, reason: string) {
    super(`${api}:fail ${reason}`)
    this.errMsg = this.message
  }
}

export function storageApis(ctx: FakeWxContext) {
  const total = ctx.options.storageQuota?.total ?? 10 * MB
  const item = ctx.options.storageQuota?.item ?? MB
  const store = ctx.storage
  const failures: string[] = []
  let failAlways: string | undefined

  const size = (key: string, v: unknown) =>
    Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(v) ?? '')
  const used = () => {
    let n = 0
    for (const [k, v] of store) n += size(k, v)
    return n
  }

  /** Validates and stores; returns a failure reason instead of throwing, for both styles. */
  const write = (key: unknown, data: unknown): string | undefined => {
    if (typeof key !== 'string' || key === '') return 'invalid key'
    const injected = failures.shift() ?? failAlways
    if (injected !== undefined) return injected
    // WeChat serialises the value: a stored object is a copy, undefined cannot be stored
    if (data === undefined) return 'data is undefined'
    const copy: unknown = JSON.parse(JSON.stringify(data))
    const s = size(key, copy)
    if (s > item) return 'exceed storage item max size 1MB'
    if (used() - (store.has(key) ? size(key, store.get(key)) : 0) + s > total)
      return 'exceed storage max size 10MB'
    store.set(key, copy)
    return undefined
  }
  const read = (key: string): unknown => {
    const v = store.get(key)
    return typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v)) : v
  }

  const wx = {
    setStorageSync(key: string, data: unknown): void {
      const f = write(key, data)
      if (f) throw new WxSyncError('setStorageSync', f)
    },
    /** A missing key reads as '' (WeChat's behaviour), not undefined. */
    getStorageSync(key: string): unknown {
      return store.has(key) ? read(key) : ''
    },
    removeStorageSync(key: string): void {
      store.delete(key)
    },
    clearStorageSync(): void {
      store.clear()
    },
    getStorageInfoSync() {
      return {
        keys: [...store.keys()],
        currentSize: Math.ceil(used() / 1024),
        limitSize: total / 1024,
      }
    },
    setStorage: wxAsync('setStorage', async (o: { key: string; data: unknown }) => {
      const f = write(o.key, o.data)
      if (f) throw new WxFail('setStorage', f)
      return {}
    }),
    getStorage: wxAsync('getStorage', async (o: { key: string }) => {
      if (!store.has(o.key)) throw new WxFail('getStorage', 'data not found')
      return { data: read(o.key) }
    }),
    removeStorage: wxAsync('removeStorage', async (o: { key: string }) => {
      store.delete(o.key)
      return {}
    }),
    clearStorage: wxAsync('clearStorage', async (_o: object) => {
      store.clear()
      return {}
    }),
  }

  const control = {
    /** The next `times` storage writes fail with `<api>:fail <reason>`. */
    failStorageWrites(reason = 'write storage fail', times = 1) {
      for (let i = 0; i < times; i++) failures.push(reason)
    },
    /** Every write fails with `reason` until called again with undefined. */
    setStorageBroken(reason: string | undefined = 'write storage fail') {
      failAlways = reason
    },
    /** Plants a value as is (no copy, no quota): e.g. a corrupt or foreign record. */
    rawSetStorage(key: string, value: unknown) {
      store.set(key, value)
    },
    rawGetStorage(key: string): unknown {
      return store.get(key)
    },
    storageKeys(): string[] {
      return [...store.keys()]
    },
    get storageBytes() {
      return used()
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
