// The helpers that run inside Chromium, next to the composed page (see compose.ts). Kept as plain
// JavaScript source, installed by an init script: a compiled TypeScript function could carry
// compiler helpers (e.g. esbuild's __name) that do not exist in the browser.
import { NODE_ID_ATTRIBUTE } from './compose'

/** The geometry the browser reports for one element, in CSS px of the 375 px wide screen. */
export interface MeasuredElement {
  /** getBoundingClientRect() relative to the page's viewport (below the navigation bar). */
  rect: { left: number; top: number; right: number; bottom: number; width: number; height: number }
  /** Position in the page's document, scrolling included (what element.offset() answers). */
  offset: { left: number; top: number }
  /** offsetWidth / offsetHeight (what element.size() answers). */
  size: { width: number; height: number }
  scroll: { scrollLeft: number; scrollTop: number; scrollWidth: number; scrollHeight: number }
  /** Computed values of the styles asked for, CSS variables resolved. */
  styles: string[]
  /** DOM properties asked for (numbers, strings and booleans; anything else is null). */
  properties: Array<string | number | boolean | null>
}

export interface PageMetrics {
  scrollTop: number
  scrollLeft: number
  scrollWidth: number
  scrollHeight: number
  clientWidth: number
  clientHeight: number
}

export interface ScrollPosition {
  scrollLeft: number
  scrollTop: number
  scrollWidth: number
  scrollHeight: number
}

/** Where a scroll-view's scrollTo ended, with its visible size (to tell when an edge is near). */
export interface ScrollReach extends ScrollPosition {
  clientWidth: number
  clientHeight: number
}

/** Scroll and movable positions to restore after a document is (re)loaded. */
export interface PageState {
  pageScrollTop: number
  /** intoView: the measured id of a child to scroll to (scroll-into-view), instead of left/top. */
  scrolls: Array<{ id: string; left: number; top: number; intoView?: string }>
  moves: Array<{ id: string; x: number; y: number; clamp: boolean }>
}

export const IN_PAGE_SCRIPT = `window.__headless = (() => {
  const byId = (id) => document.querySelector('[${NODE_ID_ATTRIBUTE}="' + id + '"]')
  const scroller = () => document.querySelector('.headless-scroll')
  const kebab = (n) => (n.startsWith('--') ? n : n.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()))
  const plain = (v) => (['number', 'string', 'boolean'].includes(typeof v) ? v : null)
  const scrollOf = (el) => ({ scrollLeft: el.scrollLeft, scrollTop: el.scrollTop,
    scrollWidth: el.scrollWidth, scrollHeight: el.scrollHeight })
  const move = ({ id, x, y, clamp }) => {
    const el = byId(id)
    if (!el) return null
    const area = el.parentElement
    if (clamp && area) {
      // As movable-view without out-of-bounds: the view stays inside its movable-area.
      const limit = (v, room) => Math.min(Math.max(v, Math.min(0, room)), Math.max(0, room))
      x = limit(x, area.clientWidth - el.offsetWidth)
      y = limit(y, area.clientHeight - el.offsetHeight)
    }
    el.style.transform = 'translateX(' + x + 'px) translateY(' + y + 'px) translateZ(0px)'
    return { x, y }
  }
  // scroll-into-view: the child with that id is brought to the view's start, on the axes the
  // view scrolls (https://developers.weixin.qq.com/miniprogram/dev/component/scroll-view.html).
  const intoViewOf = (el, childId) => {
    const child = byId(childId)
    if (!child || !el.contains(child)) return null
    const from = el.getBoundingClientRect()
    const to = child.getBoundingClientRect()
    return { left: el.scrollLeft + to.left - from.left, top: el.scrollTop + to.top - from.top }
  }
  const scrollTo = ({ id, left, top, intoView }) => {
    const el = byId(id)
    if (!el) return null
    const target = intoView ? intoViewOf(el, intoView) : null
    el.scrollLeft = target ? target.left : left
    el.scrollTop = target ? target.top : top
    return { ...scrollOf(el), clientWidth: el.clientWidth, clientHeight: el.clientHeight }
  }
  return {
    measure({ ids, styles, properties }) {
      const s = scroller()
      const frame = s.getBoundingClientRect()
      return ids.map((id) => {
        const el = byId(id)
        if (!el) return null
        const r = el.getBoundingClientRect()
        const rect = { left: r.left - frame.left, top: r.top - frame.top, right: r.right - frame.left,
          bottom: r.bottom - frame.top, width: r.width, height: r.height }
        const cs = getComputedStyle(el)
        return {
          rect,
          offset: { left: rect.left + s.scrollLeft, top: rect.top + s.scrollTop },
          size: { width: el.offsetWidth, height: el.offsetHeight },
          scroll: scrollOf(el),
          styles: styles.map((n) => cs.getPropertyValue(kebab(n)).trim()),
          properties: properties.map((n) => plain(el[n])),
        }
      })
    },
    metrics() {
      const s = scroller()
      return { ...scrollOf(s), clientWidth: s.clientWidth, clientHeight: s.clientHeight }
    },
    scrollPage(top) {
      const s = scroller()
      s.scrollTop = top
      return s.scrollTop
    },
    scrollTo,
    move,
    // Resolves once a frame painted after this call has been produced: a scroll or a reload just
    // made reaches the compositor before the screenshot reads it (a capture taken sooner can show
    // the frame before, as it did under load on CI).
    painted() {
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))
    },
    restore({ pageScrollTop, scrolls, moves }) {
      for (const m of moves) move(m)
      for (const s of scrolls) scrollTo(s)
      scroller().scrollTop = pageScrollTop
    },
  }
})()`
