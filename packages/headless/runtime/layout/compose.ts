// One page of the runtime as a self-contained HTML document: the composed tree
// miniprogram-simulate mirrors into jsdom, every stylesheet of that document (the pages' and
// components' WXSS, app.wxss, base-css.ts), a navigation bar and the native tab bar, laid out as
// on a phone. Both the screenshot and the layout measurements load exactly this document, so a
// measured size is what the screenshot shows.
import type { PageRecord } from '../page'
import type { HeadlessRuntime } from '../runtime'
import type { ExparserNode } from '../exparser'
import { attribute, tagName } from '../tree'
import { fitImage } from './image-fit'
import { placeSwiperItems } from './swiper-frame'

/** What composing needs from the runtime. */
export type ComposeHost = Pick<
  HeadlessRuntime,
  'builtins' | 'images' | 'navigationBarTitle' | 'project'
>

/** The attribute that names each element of the composed document, to measure it later. */
export const NODE_ID_ATTRIBUTE = 'data-headless-id'

/** Heights of the drawn chrome: WeChat's navigation bar is 44 px, the tab bar 50 px (+1 px borders). */
export const NAVIGATION_BAR_HEIGHT = 45
export const TAB_BAR_HEIGHT = 51

/** Built-ins' state attributes, so WXSS like `.btn[disabled]` or `button[type=primary]` applies. */
const MIRRORED = [
  'disabled',
  'type',
  'size',
  'plain',
  'loading',
  'checked',
  'open-type',
  'form-type',
  'scroll-x',
  'scroll-y',
]

/** A screenshot is taken at once: show every animated element in its final state. */
const STILL = `*, *::before, *::after { animation-duration: 0s !important; animation-delay: 0s !important;
  transition: none !important; }`

/**
 * The page's viewport lies between the navigation bar and the native tab bar. Its transform makes
 * it the containing block of the page's position:fixed bars, while the inner scroller scrolls the
 * page under them (pageScrollTo), as the page's own webview does in WeChat.
 */
const FRAME_CSS = `.headless-viewport { position: absolute; left: 0; right: 0; overflow: hidden;
  transform: translateZ(0); }
.headless-scroll { position: absolute; inset: 0; overflow-x: hidden; overflow-y: auto;
  scrollbar-width: none; }
.headless-tab-bar { position: fixed; left: 0; right: 0; bottom: 0; height: 50px; line-height: 50px;
  display: flex; background: #fff; border-top: 1px solid #e5e5e5; font-size: 12px; z-index: 9999; }`

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!,
  )
}

/** A Boolean property as WXML sets it: bare (`vertical`), `true` or any non-empty string but "false". */
function isSet(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v !== '' && v !== 'false')
}

function mirrorAttributes(node: ExparserNode, el: Element): void {
  // `hidden` is a Boolean property of every component: any non-empty string (even "false") hides.
  const hidden = attribute(node, 'hidden')
  if (hidden === true || (typeof hidden === 'string' && hidden !== ''))
    el.setAttribute('hidden', '')
  else el.removeAttribute('hidden')
  for (const name of MIRRORED) {
    const v = attribute(node, name)
    if (v === undefined || v === null || v === false || v === '' || v === 'false')
      el.removeAttribute(name)
    else el.setAttribute(name, v === true ? '' : String(v))
  }
}

/** Typed text and toggled controls live in the runtime (inputs are slot shells): expose them to CSS. */
function exposeValue(host: ComposeHost, node: ExparserNode, el: Element): void {
  const tag = tagName(node)
  if (tag === 'switch' || tag === 'checkbox' || tag === 'radio') {
    if (host.builtins.value(node) === true) el.setAttribute('checked', '')
    else el.removeAttribute('checked')
    return
  }
  if (tag !== 'input' && tag !== 'textarea') return
  const value = host.builtins.value(node)
  const text = value === undefined || value === null ? '' : String(value)
  el.setAttribute('data-headless-value', text)
  const placeholder = node._vt?.attrs?.find((a) => a.name === 'placeholder')?.value
  el.setAttribute('data-headless-placeholder', typeof placeholder === 'string' ? placeholder : '')
  if (text === '') el.setAttribute('data-headless-empty', '')
}

/** The screen is 375 px wide, so 1rpx is 0.5 px. */
const PX_PER_RPX = 375 / 750

/**
 * An <icon> is a glyph `size` px square (default 23; a string may carry rpx or px since base
 * library 2.4.0). Simulate renders it empty, so it gets that box to be measured and drawn.
 * https://developers.weixin.qq.com/miniprogram/dev/component/icon.html
 */
function sizeIcon(node: ExparserNode, el: Element): void {
  if (tagName(node) !== 'icon') return
  const size = attribute(node, 'size')
  const text = typeof size === 'number' ? String(size) : typeof size === 'string' ? size.trim() : ''
  const value = parseFloat(text)
  if (!Number.isFinite(value)) return
  const px = text.endsWith('rpx') ? value * PX_PER_RPX : value
  const style = (el as HTMLElement).style
  // The app's own inline width or height wins, as it would on the outer wx-icon.
  if (style.width === '') style.width = `${px}px`
  if (style.height === '') style.height = `${px}px`
}

/**
 * What composing reads from the runtime beyond its DOM: each swiper's shown item (a swipe, or the
 * app's setData of `current`, changes no DOM) and each image's loaded size. The layout reloads the page when this changes.
 */
export function builtinsState(host: ComposeHost, page: PageRecord): string {
  return [...page.container.querySelectorAll('wx-swiper, wx-image')]
    .map((el) => {
      const node = (el as Element & { __wxElement?: ExparserNode }).__wxElement
      if (!node) return ''
      if (tagName(node) === 'swiper') return String(host.builtins.swiperCurrent(node))
      const size = host.images.sizeOf(node, attribute(node, 'src'))
      return size ? `${size.width}x${size.height}` : ''
    })
    .join(',')
}

/** Numbers DOM elements once, so a measurement can find the same element in the browser. */
export class NodeIds {
  private next = 1
  private readonly ids = new WeakMap<Element, string>()

  of(el: Element): string {
    let id = this.ids.get(el)
    if (!id) {
      id = String(this.next++)
      this.ids.set(el, id)
    }
    return id
  }
}

/**
 * The page's document. The runtime's DOM is copied, never changed: the copy gets the built-ins'
 * state attributes, typed values and, on every element of the composed tree (inside custom
 * components too), NODE_ID_ATTRIBUTE naming the original element.
 */
export function composePage(host: ComposeHost, page: PageRecord, ids: NodeIds): string {
  const copy = page.container.cloneNode(true) as HTMLElement
  const visit = (original: Element, el: Element): void => {
    const node = (original as Element & { __wxElement?: ExparserNode }).__wxElement
    if (node) {
      mirrorAttributes(node, el)
      exposeValue(host, node, el)
      sizeIcon(node, el)
      if (tagName(node) === 'swiper')
        placeSwiperItems(el, host.builtins.swiperCurrent(node), isSet(attribute(node, 'vertical')))
      if (tagName(node) === 'image')
        fitImage(el, attribute(node, 'mode'), host.images.sizeOf(node, attribute(node, 'src')))
    }
    el.setAttribute(NODE_ID_ATTRIBUTE, ids.of(original))
    for (let i = 0; i < original.children.length; i++) visit(original.children[i]!, el.children[i]!)
  }
  for (let i = 0; i < page.container.children.length; i++)
    visit(page.container.children[i]!, copy.children[i]!)
  const styles = [...document.head.querySelectorAll('style')]
    .map((s) => s.textContent ?? '')
    .join('\n')
  const title = host.navigationBarTitle(page.route, page)
  const tabBar = tabBarHtml(host, page.route)
  const top = title !== undefined ? NAVIGATION_BAR_HEIGHT : 0
  const bottom = tabBar ? TAB_BAR_HEIGHT : 0
  // A hidden page (a tab kept alive, a page under the top one) is still laid out, as its own
  // webview is in WeChat: its container is drawn afresh, without the runtime's display:none.
  const pageDiv = `<div class="headless-page" data-route="${escapeHtml(page.route)}">${copy.innerHTML}</div>`
  return `<!doctype html><html><head><meta charset="utf-8"><style>${styles}\n${FRAME_CSS}\n${STILL}</style></head><body>${
    title !== undefined ? `<div class="headless-nav">${escapeHtml(title)}</div>` : ''
  }<div class="headless-viewport" style="top:${top}px;bottom:${bottom}px"><div class="headless-scroll">${pageDiv}</div></div>${tabBar}</body></html>`
}

/** The native tab bar, drawn for tab pages (simulate renders only the page itself). */
function tabBarHtml(host: ComposeHost, route: string): string {
  const bar = host.project.tabBar
  if (!bar.items.some((i) => i.route === route)) return ''
  const cells = bar.items
    .map((i) => {
      const color = i.route === route ? (bar.selectedColor ?? '#1aad19') : (bar.color ?? '#7a7e83')
      return `<div style="flex:1;text-align:center;color:${escapeHtml(color)}">${escapeHtml(i.text)}</div>`
    })
    .join('')
  return `<div class="headless-tab-bar">${cells}</div>`
}
