// What an <image> does when its src is set, as WeChat documents it: when the image has loaded,
// `load` fires with event.detail = {width, height} (the intrinsic size); when it fails, `error`
// fires with event.detail = {errMsg}; widthFix keeps the width and takes the height from that
// aspect ratio, heightFix the reverse.
// https://developers.weixin.qq.com/miniprogram/dev/component/image.html (mirrored in the
// compatible docs, e.g. https://developer.huawei.com/consumer/cn/doc/atomic-ascf/components-image.md)
// The runtime never fetches remote images (it runs on loopback only), so an http(s) src fails
// with `error` and keeps the default box; a file of the project, a temp or saved file
// (wxfile://…, wx.env.USER_DATA_PATH) or a data: URI loads with its real size.
import fs from 'node:fs'
import path from 'node:path'
import type { TempFiles } from '../wx/file-system'
import type { Exparser, ExparserNode } from './exparser'
import { fireEvent } from './events'
import { imageSize, type ImageSize } from './image-size'

export type ImageOutcome = { size: ImageSize } | { errMsg: string }

export interface ImageSources {
  /** The miniprogram root: `/img/a.png` is read from there. */
  root: string
  /** The current page's route, for a relative src (WeChat resolves it from the WXML's folder). */
  pageRoute: () => string | undefined
  tempFiles: TempFiles
}

const REMOTE = /^https?:\/\//i
const STORED = /^(wxfile:\/\/|http:\/\/(tmp|usr|store)\/)/i

function dataUriBytes(src: string): Uint8Array | undefined {
  const m = /^data:[^,]*?(;base64)?,(.*)$/is.exec(src)
  if (!m) return undefined
  const body = m[2] ?? ''
  return new Uint8Array(m[1] ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body)))
}

function projectFile(src: string, o: ImageSources): string {
  const clean = src.split(/[?#]/)[0]!
  if (clean.startsWith('/')) return path.join(o.root, clean)
  return path.join(o.root, path.posix.dirname(o.pageRoute() ?? ''), clean)
}

/** Where an image's bytes come from; an errMsg when it cannot load here. */
function bytesOf(src: string, o: ImageSources): Uint8Array | { errMsg: string } {
  if (STORED.test(src))
    return o.tempFiles.read(src) ?? { errMsg: `GET ${src} net::ERR_FILE_NOT_FOUND` }
  if (REMOTE.test(src))
    return {
      errMsg: `GET ${src} net::ERR_INTERNET_DISCONNECTED (the headless runtime loads no remote images)`,
    }
  if (src.startsWith('data:')) return dataUriBytes(src) ?? { errMsg: `invalid data URI` }
  const file = projectFile(src, o)
  try {
    return new Uint8Array(fs.readFileSync(file))
  } catch {
    return { errMsg: `GET ${src} 404 (Not Found)` }
  }
}

export function loadImage(src: string, o: ImageSources): ImageOutcome {
  const bytes = bytesOf(src, o)
  if (!(bytes instanceof Uint8Array)) return bytes
  const size = imageSize(bytes)
  return size ? { size } : { errMsg: `${src} is not an image the runtime can read` }
}

/** Loads each <image>'s src when it is set, fires load/error, and keeps the outcome for layout. */
export class ImageLoader {
  private readonly outcomes = new WeakMap<ExparserNode, { src: string; outcome: ImageOutcome }>()

  constructor(
    private readonly ex: Exparser,
    private readonly sources: ImageSources,
  ) {}

  /**
   * The image starts loading; the event fires after the current task (a page's onLoad, onShow and
   * onReady run first, as they do before an image of the first render has loaded on the phone).
   */
  load(node: ExparserNode, src: string): void {
    if (src === '') {
      this.outcomes.delete(node)
      return
    }
    void Promise.resolve().then(() => {
      const outcome = loadImage(src, this.sources)
      this.outcomes.set(node, { src, outcome })
      if ('size' in outcome)
        fireEvent(this.ex, node, 'load', { ...outcome.size }, { bubbles: false })
      else fireEvent(this.ex, node, 'error', { errMsg: outcome.errMsg }, { bubbles: false })
    })
  }

  /** The intrinsic size of the image's current src, once it has loaded. */
  sizeOf(node: ExparserNode, src: unknown): ImageSize | undefined {
    const loaded = this.outcomes.get(node)
    return loaded && loaded.src === src && 'size' in loaded.outcome
      ? loaded.outcome.size
      : undefined
  }
}
