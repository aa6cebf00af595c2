// simulate registers <image> as a bare <slot/> shell. Re-registered here with its `src` and `mode`
// properties, so the runtime hears when an image is attached or its src changes, as WeChat's image
// starts loading then (image-load.ts fires bindload / binderror).
import type { ExparserNode } from './exparser'

/** Told of every <image> whose src is set while attached (one listener: the running runtime). */
export type ImageSourceListener = (node: ExparserNode, src: string) => void

let listener: ImageSourceListener | undefined

export function setImageSourceListener(l: ImageSourceListener | undefined): void {
  listener = l
}

interface JComponent {
  register(definition: Record<string, unknown>): string
}

interface ImageCaller {
  _exparserNode?: ExparserNode
  data: { src?: unknown }
}

export function registerImageComponent(jComponent: JComponent): void {
  const tell = (caller: ImageCaller): void => {
    const node = caller._exparserNode
    const src = caller.data.src
    if (node && typeof src === 'string') listener?.(node, src)
  }
  const attachedCallers = new WeakSet<ImageCaller>()
  jComponent.register({
    id: 'image',
    tagName: 'wx-image',
    template: '<slot/>',
    properties: {
      src: { type: String, value: '' },
      mode: { type: String, value: 'scaleToFill' },
    },
    observers: {
      src(this: ImageCaller) {
        if (attachedCallers.has(this)) tell(this)
      },
    },
    lifetimes: {
      attached(this: ImageCaller) {
        attachedCallers.add(this)
        tell(this)
      },
      detached(this: ImageCaller) {
        attachedCallers.delete(this)
      },
    },
  })
}
