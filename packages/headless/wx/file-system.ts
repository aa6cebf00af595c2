// The device's files, one store per fake wx context: temp files (wxfile://tmp_…, made by
// downloadFile, chooseAvatar, chooseMedia), saved files (wxfile://store_…, wx.saveFile) and the
// user data folder (wx.env.USER_DATA_PATH, written through the FileSystemManager). Every API that
// takes a file path reads this one store, so a downloaded file can be uploaded, read, saved or
// shown in an <image>, as on the phone.
// https://developers.weixin.qq.com/miniprogram/dev/framework/ability/file-system.html
import { wxAsync, WxFail } from './api'
import type { FakeWxContext, FakeWxModule } from './context'

interface Store {
  readonly map: Map<string, Uint8Array>
  n: number
}

const stores = new WeakMap<FakeWxContext, Store>()

export function filesOf(ctx: FakeWxContext): Store {
  let f = stores.get(ctx)
  if (!f) stores.set(ctx, (f = { map: new Map(), n: 0 }))
  return f
}

/** Creates a temp file as the platform does (chooseAvatar, chooseMedia): `wxfile://tmp_<n>.<ext>`. */
export function addTempFile(ctx: FakeWxContext, bytes?: Uint8Array, ext = 'jpg'): string {
  const f = filesOf(ctx)
  const path = `wxfile://tmp_${(++f.n).toString().padStart(6, '0')}.${ext}`
  f.map.set(path, bytes ?? new Uint8Array([0xff, 0xd8, 0xff, 0xe0, f.n & 0xff]))
  return path
}

/** Saving and reading temp files, as the runtime's own APIs (downloadFile, <image>) need it. */
export interface TempFiles {
  /** Stores bytes as a new temp file; answers its wxfile://tmp_… path. */
  save(bytes: Uint8Array, ext: string): string
  /** Stores bytes at a path the app chose (under wx.env.USER_DATA_PATH). */
  write(path: string, bytes: Uint8Array): void
  read(path: string): Uint8Array | undefined
}

/** The context's store as TempFiles; a runtime without a fake wx gets a fresh context's. */
export function tempFilesOf(ctx: FakeWxContext | object): TempFiles {
  const key = ctx as FakeWxContext
  return {
    save: (bytes, ext) => addTempFile(key, bytes, ext),
    write: (path, bytes) => void filesOf(key).map.set(path, bytes),
    read: (path) => readStoredFile(key, path),
  }
}

/** A file's bytes, or undefined when the store has no such path. */
export function readStoredFile(ctx: FakeWxContext, path: string): Uint8Array | undefined {
  return filesOf(ctx).map.get(path)
}

const NO_SUCH_FILE = 1300002

function read(ctx: FakeWxContext, api: string, path: unknown): Uint8Array {
  const bytes = typeof path === 'string' ? readStoredFile(ctx, path) : undefined
  if (!bytes)
    throw new WxFail(api, `no such file or directory, open "${String(path)}"`, NO_SUCH_FILE)
  return bytes
}

/**
 * The synchronous FileSystemManager methods throw as the base library's do: an Error whose message
 * is the errMsg (so `catch (e) { e.message }` and Jest's toThrow read it), carrying errMsg and
 * errno as the async form's fail result does.
 */
function throwingSync<A extends unknown[], R>(run: (...a: A) => R): (...a: A) => R {
  return (...a: A): R => {
    try {
      return run(...a)
    } catch (e) {
      if (!(e instanceof WxFail)) throw e
      throw Object.assign(new Error(e.errMsg), e.toResult())
    }
  }
}

/** readFile's data: a string in the encoding asked for, else an ArrayBuffer (WeChat's default). */
function decode(bytes: Uint8Array, encoding: unknown): string | ArrayBuffer {
  if (typeof encoding !== 'string') return bytes.slice().buffer
  const nodeEncoding = encoding === 'utf-8' ? 'utf8' : encoding
  return Buffer.from(bytes).toString(nodeEncoding as BufferEncoding)
}

function encode(data: unknown, encoding: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0))
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(0))
  const nodeEncoding = typeof encoding === 'string' && encoding !== 'utf-8' ? encoding : 'utf8'
  return new Uint8Array(Buffer.from(String(data), nodeEncoding as BufferEncoding))
}

function extensionOf(path: string): string {
  return /\.([a-z0-9]{1,5})$/i.exec(path)?.[1] ?? 'tmp'
}

type Options = Record<string, unknown>

export function fileSystemApis(ctx: FakeWxContext) {
  const store = filesOf(ctx)
  const save = (api: string, o: Options): { savedFilePath: string } => {
    const bytes = read(ctx, api, o.tempFilePath)
    const from = String(o.tempFilePath)
    const savedFilePath =
      typeof o.filePath === 'string'
        ? o.filePath
        : `wxfile://store_${(++store.n).toString().padStart(6, '0')}.${extensionOf(from)}`
    store.map.set(savedFilePath, bytes)
    store.map.delete(from)
    return { savedFilePath }
  }
  const info = (api: string, o: Options): { size: number } => ({
    size: read(ctx, api, o.filePath).length,
  })
  const manager = {
    readFile: wxAsync('readFile', async (o: Options) => ({
      data: decode(read(ctx, 'readFile', o.filePath), o.encoding),
    })),
    readFileSync: throwingSync((filePath: string, encoding?: string): string | ArrayBuffer =>
      decode(read(ctx, 'readFileSync', filePath), encoding),
    ),
    writeFile: wxAsync('writeFile', async (o: Options) => {
      store.map.set(String(o.filePath), encode(o.data, o.encoding))
      return {}
    }),
    writeFileSync: (filePath: string, data: unknown, encoding?: string): void => {
      store.map.set(filePath, encode(data, encoding))
    },
    access: wxAsync('access', async (o: Options) => {
      read(ctx, 'access', o.path)
      return {}
    }),
    accessSync: throwingSync((path: string): void => {
      read(ctx, 'accessSync', path)
    }),
    unlink: wxAsync('unlink', async (o: Options) => {
      read(ctx, 'unlink', o.filePath)
      store.map.delete(String(o.filePath))
      return {}
    }),
    getFileInfo: wxAsync('getFileInfo', async (o: Options) => info('getFileInfo', o)),
    saveFile: wxAsync('saveFile', async (o: Options) => save('saveFile', o)),
  }
  const wx = {
    getFileSystemManager: () => manager,
    saveFile: wxAsync('saveFile', async (o: Options) => save('saveFile', o)),
    getFileInfo: wxAsync('getFileInfo', async (o: Options) => info('getFileInfo', o)),
  }
  const control = {
    /** The bytes stored at a path (temp, saved or user data), for assertions. */
    readFile: (path: string): Uint8Array | undefined => readStoredFile(ctx, path),
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
