// <image mode="widthFix"> keeps its width (the 320 px default or the app's) and takes its height
// from the image's aspect ratio; heightFix keeps the height and takes the width. WeChat writes the
// computed length inline once the image has loaded; CSS aspect-ratio gives the same box.
// https://developers.weixin.qq.com/miniprogram/dev/component/image.html
import type { ImageSize } from '../image-size'

export function fitImage(el: Element, mode: unknown, size: ImageSize | undefined): void {
  if (!size || (mode !== 'widthFix' && mode !== 'heightFix')) return
  const free = mode === 'widthFix' ? 'height' : 'width'
  // Written into the attribute: jsdom's CSSStyleDeclaration drops aspect-ratio, Chromium knows it.
  const own = (el.getAttribute('style') ?? '').trim().replace(/;?$/, ';')
  el.setAttribute(
    'style',
    `${own === ';' ? '' : own}aspect-ratio: ${size.width} / ${size.height}; ${free}: auto;`,
  )
}
