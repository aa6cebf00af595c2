// Layout from a real browser engine: the runtime's page, composed as the screenshot paints it, is
// loaded into headless Chromium, which answers sizes, offsets, scroll positions and computed
// styles. The document is reloaded only when the runtime's DOM changed since the last load (a
// MutationObserver batch) or another page is asked about; scroll and movable-view positions live
// here and are restored after each load, so they survive re-renders as they do on a phone.
import type { Page } from 'playwright-core'
import type { ExparserNode } from '../exparser'
import type { PageRecord } from '../page'
import { attribute, tagName } from '../tree'
import { LayoutBrowser, type BrowserOptions } from './browser'
import { builtinsState, composePage, NodeIds, type ComposeHost } from './compose'
import type { MeasuredElement, PageMetrics, PageState, ScrollReach } from './in-page'

export interface MeasureOptions {
  /** Computed styles to read (camelCase, kebab-case or --custom-property). */
  styles?: readonly string[]
  /** DOM properties to read (offsetLeft, clientHeight, scrollWidth …). */
  properties?: readonly string[]
}

/** A position set by the automator, kept until the app binds another value to the attribute. */
interface Positioned {
  a: number
  b: number
  /** The attributes' values when the position was set: a new bound value wins over it. */
  attrs: unknown[]
}

function sameAttrs(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/** What sets a scroll-view's position from WXML; scroll-into-view wins over scroll-top. */
function scrollAttrs(node: ExparserNode): unknown[] {
  return [
    attribute(node, 'scroll-left'),
    attribute(node, 'scroll-top'),
    attribute(node, 'scroll-into-view'),
  ]
}

const numberOr = (v: unknown, fallback: number): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? parseFloat(v) : NaN
  return Number.isFinite(n) ? n : fallback
}

export class LayoutService {
  private readonly browser: LayoutBrowser
  private readonly ids = new NodeIds()
  private readonly observer: MutationObserver
  private dirty = true
  private loaded: PageRecord | undefined
  private loadedBuiltins = ''
  private queue: Promise<unknown> = Promise.resolve()
  private readonly pageScroll = new WeakMap<PageRecord, number>()
  private readonly scrolls = new WeakMap<Element, Positioned>()
  private readonly moves = new WeakMap<Element, Positioned>()

  constructor(
    private readonly host: ComposeHost,
    options: BrowserOptions = {},
  ) {
    this.browser = new LayoutBrowser(options)
    this.observer = new MutationObserver(() => {
      this.dirty = true
    })
    this.observer.observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    })
  }

  /** Geometry of `nodes` on `page`, null for a node with no element there (e.g. wx:if'd away). */
  measure(
    page: PageRecord,
    nodes: readonly ExparserNode[],
    o: MeasureOptions = {},
  ): Promise<Array<MeasuredElement | null>> {
    return this.withPage(page, async (bp) => {
      const ids = nodes.map((n) => this.idIn(page, n))
      const measured = await this.call<Array<MeasuredElement | null>>(bp, 'measure', {
        ids: ids.map((id) => id ?? ''),
        styles: o.styles ?? [],
        properties: o.properties ?? [],
      })
      return measured.map((m, i) => (ids[i] === undefined ? null : m))
    })
  }

  /** One node's geometry; fails when the node is not rendered on the page. */
  async measureOne(
    page: PageRecord,
    node: ExparserNode,
    o: MeasureOptions = {},
  ): Promise<MeasuredElement> {
    const [m] = await this.measure(page, [node], o)
    if (!m) throw new Error('the element is not rendered on its page')
    return m
  }

  /** The page's document size, viewport and scroll position (its webview's documentElement). */
  pageMetrics(page: PageRecord): Promise<PageMetrics> {
    return this.withPage(page, (bp) => this.call<PageMetrics>(bp, 'metrics', null))
  }

  /** Scrolls the page as wx.pageScrollTo does; answers the position reached (clamped). */
  scrollPage(page: PageRecord, scrollTop: number): Promise<number> {
    return this.withPage(page, async (bp) => {
      const reached = await this.call<number>(bp, 'scrollPage', Math.max(0, scrollTop))
      this.pageScroll.set(page, reached)
      return reached
    })
  }

  /** The page's scroll position (0 until it is scrolled). */
  pageScrollTop(page: PageRecord): number {
    return this.pageScroll.get(page) ?? 0
  }

  /** scroll-view scrollTo(x, y): answers the position reached (clamped by the content). */
  scrollElement(
    page: PageRecord,
    node: ExparserNode,
    left: number,
    top: number,
  ): Promise<ScrollReach> {
    return this.withPage(page, async (bp) => {
      const id = this.requireId(page, node)
      const reached = await this.call<ScrollReach>(bp, 'scrollTo', { id, left, top })
      this.scrolls.set(node.$$!, {
        a: reached.scrollLeft,
        b: reached.scrollTop,
        attrs: scrollAttrs(node),
      })
      return reached
    })
  }

  /** movable-view moveTo(x, y): answers the position reached (kept inside its movable-area). */
  moveElement(
    page: PageRecord,
    node: ExparserNode,
    x: number,
    y: number,
  ): Promise<{ x: number; y: number }> {
    return this.withPage(page, async (bp) => {
      const id = this.requireId(page, node)
      const reached = await this.call<{ x: number; y: number }>(bp, 'move', {
        id,
        x,
        y,
        clamp: !isOn(attribute(node, 'out-of-bounds')),
      })
      this.moves.set(node.$$!, { a: reached.x, b: reached.y, attrs: movableAttrs(node) })
      return reached
    })
  }

  /** A movable-view's position (its x/y, or where moveTo left it). */
  movablePosition(node: ExparserNode): { x: number; y: number } {
    const attrs = movableAttrs(node)
    const moved = node.$$ ? this.moves.get(node.$$) : undefined
    if (moved && sameAttrs(moved.attrs, attrs)) return { x: moved.a, y: moved.b }
    return { x: numberOr(attrs[0], 0), y: numberOr(attrs[1], 0) }
  }

  /** base64 PNG of the page as the phone shows it, scrolled where it is scrolled. */
  screenshot(page: PageRecord): Promise<string> {
    return this.withPage(page, async (bp) => {
      await this.call(bp, 'painted', null)
      return (await bp.screenshot({ type: 'png' })).toString('base64')
    })
  }

  async close(): Promise<void> {
    this.observer.disconnect()
    await this.browser.close()
  }

  /** Runs `fn` with `page` loaded and up to date; one at a time, in call order. */
  private withPage<T>(page: PageRecord, fn: (bp: Page) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const bp = await this.browser.page()
      if (this.observer.takeRecords().length > 0) this.dirty = true
      if (builtinsState(this.host, page) !== this.loadedBuiltins) this.dirty = true
      if (this.dirty || this.loaded !== page) await this.load(bp, page)
      return fn(bp)
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  private async load(bp: Page, page: PageRecord): Promise<void> {
    const html = composePage(this.host, page, this.ids)
    this.loadedBuiltins = builtinsState(this.host, page)
    const state = this.stateOf(page)
    this.dirty = false
    this.loaded = page
    await bp.setContent(html, { waitUntil: 'load' })
    await this.call(bp, 'restore', state)
  }

  private stateOf(page: PageRecord): PageState {
    const state: PageState = { pageScrollTop: this.pageScrollTop(page), scrolls: [], moves: [] }
    for (const el of page.container.querySelectorAll('wx-scroll-view, wx-movable-view')) {
      const node = (el as Element & { __wxElement?: ExparserNode }).__wxElement
      if (!node) continue
      const id = this.ids.of(el)
      if (tagName(node) === 'movable-view') {
        const { x, y } = this.movablePosition(node)
        state.moves.push({ id, x, y, clamp: !isOn(attribute(node, 'out-of-bounds')) })
        continue
      }
      const attrs = scrollAttrs(node)
      const scrolled = this.scrolls.get(el)
      const intoView = attrs[2]
      const current =
        scrolled && sameAttrs(scrolled.attrs, attrs)
          ? { left: scrolled.a, top: scrolled.b }
          : {
              left: numberOr(attrs[0], 0),
              top: numberOr(attrs[1], 0),
              ...this.intoViewTarget(el, intoView),
            }
      state.scrolls.push({ id, ...current })
    }
    return state
  }

  /** The child a scroll-view's scroll-into-view names (its WXML id), as a measured element id. */
  private intoViewTarget(view: Element, wxmlId: unknown): { intoView?: string } {
    if (typeof wxmlId !== 'string' || wxmlId === '') return {}
    for (const child of view.querySelectorAll('*')) {
      const node = (child as Element & { __wxElement?: ExparserNode }).__wxElement
      if (node?.id === wxmlId) return { intoView: this.ids.of(child) }
    }
    return {}
  }

  private idIn(page: PageRecord, node: ExparserNode): string | undefined {
    const el = node.$$
    if (!el || !page.container.contains(el)) return undefined
    return this.ids.of(el)
  }

  private requireId(page: PageRecord, node: ExparserNode): string {
    const id = this.idIn(page, node)
    if (id === undefined) throw new Error('the element is not rendered on its page')
    return id
  }

  private call<T>(bp: Page, method: string, arg: unknown): Promise<T> {
    return bp.evaluate(`window.__headless.${method}(${JSON.stringify(arg)})`) as Promise<T>
  }
}

function isOn(v: unknown): boolean {
  return v === true || v === 'true' || v === ''
}

function movableAttrs(node: ExparserNode): [unknown, unknown] {
  return [attribute(node, 'x'), attribute(node, 'y')]
}
