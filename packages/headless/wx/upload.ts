// wx.uploadFile with WeChat's semantics: callback style, returns an UploadTask, any HTTP answer
// succeeds (`data` is always a string), `fail` means network error, timeout or abort. Served by a
// pluggable handler (default: a real multipart POST with fetch); network failures are injectable.
// Temp files (wxfile://tmp_...) live in the context's file store (file-system.ts).
import { WxFail, type WxFailResult } from './api'
import type { FakeWxContext, FakeWxModule } from './context'
import { addTempFile, filesOf } from './file-system'

export { addTempFile }

export interface FakeUpload {
  url: string
  filePath: string
  /** The multipart field name of the file. */
  name: string
  header: Record<string, string>
  formData: Record<string, string>
  file: Uint8Array
}

export interface FakeUploadResponse {
  statusCode: number
  /** Sent as is when a string, else JSON-serialised (WeChat hands `data` over as a string). */
  data?: unknown
  header?: Record<string, string>
}

export type UploadHandler = (u: FakeUpload) => Promise<FakeUploadResponse> | FakeUploadResponse

export interface UploadLogEntry extends Omit<FakeUpload, 'file'> {
  outcome?: 'ok' | 'fail'
  statusCode?: number
  errMsg?: string
}

export interface FakeUploadOption {
  url: string
  filePath: string
  name: string
  header?: Record<string, unknown>
  formData?: Record<string, unknown>
  timeout?: number
  success?: (r: { data: string; statusCode: number; errMsg: string }) => void
  fail?: (e: WxFailResult) => void
  complete?: (r: { errMsg: string }) => void
}

/** Default handler: a real multipart/form-data POST (Node's fetch), as a device would send. */
const httpUpload: UploadHandler = async (u) => {
  const fd = new FormData()
  for (const [k, v] of Object.entries(u.formData)) fd.append(k, v)
  fd.append(u.name, new Blob([u.file as Uint8Array<ArrayBuffer>]), u.filePath.split('/').pop())
  const header = { ...u.header }
  for (const k of Object.keys(header))
    if (k.toLowerCase() === 'content-type') Reflect.deleteProperty(header, k)
  const r = await fetch(u.url, { method: 'POST', headers: header, body: fd })
  return { statusCode: r.status, data: await r.text(), header: Object.fromEntries(r.headers) }
}

export function uploadApis(ctx: FakeWxContext) {
  let handler: UploadHandler = httpUpload
  const failures: string[] = []
  const log: UploadLogEntry[] = []

  function uploadFile(o: FakeUploadOption) {
    const header: Record<string, string> = {}
    for (const [k, v] of Object.entries(o.header ?? {})) header[k] = String(v)
    const formData: Record<string, string> = {}
    for (const [k, v] of Object.entries(o.formData ?? {})) formData[k] = String(v)
    const entry: UploadLogEntry = {
      url: o.url,
      filePath: o.filePath,
      name: o.name,
      header,
      formData,
    }
    log.push(entry)
    let settled = false
    const progress = new Set<
      (p: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void
    >()
    const settle = (r: { data: string; statusCode: number; errMsg: string } | WxFailResult) => {
      if (settled) return
      settled = true
      ctx.clock.clearTimeout(timer)
      entry.errMsg = r.errMsg
      entry.outcome = 'statusCode' in r ? 'ok' : 'fail'
      if ('statusCode' in r) entry.statusCode = r.statusCode
      // callbacks come later, never inside uploadFile() or abort()
      void Promise.resolve().then(() => {
        if ('statusCode' in r) o.success?.(r)
        else o.fail?.(r)
        o.complete?.(r)
      })
    }
    const failWith = (reason: string) => settle({ errMsg: `uploadFile:fail ${reason}` })
    const timer = ctx.clock.setTimeout(() => failWith('timeout'), o.timeout ?? 60_000)

    const file = filesOf(ctx).map.get(o.filePath)
    const injected = failures.shift()
    if (injected !== undefined) void Promise.resolve().then(() => failWith(injected))
    else if (!file) void Promise.resolve().then(() => failWith(`file not found: ${o.filePath}`))
    else
      Promise.resolve()
        .then(() =>
          handler({ url: o.url, filePath: o.filePath, name: o.name, header, formData, file }),
        )
        .then(
          (r) => {
            for (const l of progress)
              l({
                progress: 100,
                totalBytesSent: file.length,
                totalBytesExpectedToSend: file.length,
              })
            const d = r.data
            settle({
              data: typeof d === 'string' ? d : d === undefined ? '' : JSON.stringify(d),
              statusCode: r.statusCode,
              errMsg: 'uploadFile:ok',
            })
          },
          (e: unknown) =>
            settle(
              e instanceof WxFail
                ? e.toResult()
                : { errMsg: `uploadFile:fail ${e instanceof Error ? e.message : String(e)}` },
            ),
        )

    return {
      abort: () => failWith('abort'),
      onProgressUpdate: (l: Parameters<(typeof progress)['add']>[0]) => void progress.add(l),
      offProgressUpdate: (l?: Parameters<(typeof progress)['add']>[0]) =>
        void (l ? progress.delete(l) : progress.clear()),
      onHeadersReceived: () => undefined,
      offHeadersReceived: () => undefined,
    }
  }

  const wx = { uploadFile }
  const control = {
    /** Serves uploads (default: real HTTP multipart POST to the given URL). */
    setUploadHandler(h: UploadHandler) {
      handler = h
    },
    /** The next `times` uploads fail with `uploadFile:fail <reason>` (a network failure). */
    failUploads(times = 1, reason = 'network error') {
      for (let i = 0; i < times; i++) failures.push(reason)
    },
    /** Every upload, in call order, with its outcome. */
    get uploads(): readonly UploadLogEntry[] {
      return log
    },
    /** Creates a temp file (wxfile://tmp_...) that wx.uploadFile can send. */
    addTempFile(bytes?: Uint8Array, ext?: string): string {
      return addTempFile(ctx, bytes, ext)
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
