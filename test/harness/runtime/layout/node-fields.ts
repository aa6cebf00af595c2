// The answers of wx.createSelectorQuery() from the laid-out page: what NodesRef.fields,
// boundingClientRect and scrollOffset return for nodes and for the viewport, so a SelectorQuery
// implementation only has to select the nodes and call these.
// https://developers.weixin.qq.com/miniprogram/dev/api/wxml/NodesRef/NodesRef.fields.html
import type { ExparserNode } from '../exparser'
import type { PageRecord } from '../page'
import type { LayoutService } from './service'

export interface FieldsRequest {
  id?: boolean
  dataset?: boolean
  /** left, right, top, bottom, relative to the page's viewport (as getBoundingClientRect). */
  rect?: boolean
  /** width, height. */
  size?: boolean
  /** scrollLeft, scrollTop, scrollWidth, scrollHeight. */
  scrollOffset?: boolean
  /** Computed values by style name; they win over `size` for width/height, as documented. */
  computedStyle?: string[]
}

export type Fields = Record<string, unknown>

/** One answer per node, null where the node is not rendered on the page. */
export async function nodeFields(
  layout: LayoutService,
  page: PageRecord,
  nodes: readonly ExparserNode[],
  request: FieldsRequest,
): Promise<Array<Fields | null>> {
  const styles = request.computedStyle ?? []
  const measured = await layout.measure(page, nodes, { styles })
  return measured.map((m, i) => {
    if (!m) return null
    const node = nodes[i]!
    const out: Fields = {}
    if (request.id) out.id = node.id ?? ''
    if (request.dataset) out.dataset = { ...(node.dataset ?? {}) }
    if (request.rect) {
      const { left, right, top, bottom } = m.rect
      Object.assign(out, { left, right, top, bottom })
    }
    if (request.size) Object.assign(out, { width: m.rect.width, height: m.rect.height })
    if (request.scrollOffset) Object.assign(out, m.scroll)
    styles.forEach((name, k) => {
      out[name] = m.styles[k]
    })
    return out
  })
}

/** selectViewport(): the page's viewport, at (0, 0), scrolled where the page is scrolled. */
export async function viewportFields(
  layout: LayoutService,
  page: PageRecord,
  request: FieldsRequest,
): Promise<Fields> {
  const m = await layout.pageMetrics(page)
  const out: Fields = {}
  if (request.id) out.id = ''
  if (request.dataset) out.dataset = {}
  if (request.rect)
    Object.assign(out, { left: 0, top: 0, right: m.clientWidth, bottom: m.clientHeight })
  if (request.size) Object.assign(out, { width: m.clientWidth, height: m.clientHeight })
  if (request.scrollOffset) {
    const { scrollLeft, scrollTop, scrollWidth, scrollHeight } = m
    Object.assign(out, { scrollLeft, scrollTop, scrollWidth, scrollHeight })
  }
  return out
}
