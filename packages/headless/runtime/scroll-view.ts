// A user's scroll of a <scroll-view> to (left, top): the laid-out view scrolls (clamped to its
// content), `scroll` fires with the new position, and `scrolltoupper` / `scrolltolower` fire when
// the scroll enters upper-threshold / lower-threshold of an edge, as infinite lists rely on.
// https://developers.weixin.qq.com/miniprogram/dev/component/scroll-view.html
import type { ExparserNode } from './exparser'
import { fireEvent } from './events'
import { layoutOf } from './layout'
import type { PageRecord } from './page'
import type { HeadlessRuntime } from './runtime'
import { type AxisScroll, enteredEnd, enteredStart, thresholdOf } from './scroll-edges'
import { attribute } from './tree'

export type ScrollViewHost = Pick<
  HeadlessRuntime,
  'builtins' | 'images' | 'navigationBarTitle' | 'project' | 'exparser'
>

export async function scrollScrollView(
  rt: ScrollViewHost,
  page: PageRecord,
  node: ExparserNode,
  left: number,
  top: number,
): Promise<void> {
  const layout = layoutOf(rt)
  const before = (await layout.measureOne(page, node)).scroll
  const reached = await layout.scrollElement(page, node, left, top)
  const fire = (type: string, detail: Record<string, unknown>): void =>
    fireEvent(rt.exparser, node, type, detail, { bubbles: false })
  fire('scroll', {
    scrollLeft: reached.scrollLeft,
    scrollTop: reached.scrollTop,
    scrollWidth: reached.scrollWidth,
    scrollHeight: reached.scrollHeight,
    deltaX: before.scrollLeft - reached.scrollLeft,
    deltaY: before.scrollTop - reached.scrollTop,
  })
  const upper = thresholdOf(attribute(node, 'upper-threshold'))
  const lower = thresholdOf(attribute(node, 'lower-threshold'))
  const vertical: AxisScroll = {
    before: before.scrollTop,
    after: reached.scrollTop,
    content: reached.scrollHeight,
    visible: reached.clientHeight,
  }
  const horizontal: AxisScroll = {
    before: before.scrollLeft,
    after: reached.scrollLeft,
    content: reached.scrollWidth,
    visible: reached.clientWidth,
  }
  if (enteredStart(vertical, upper)) fire('scrolltoupper', { direction: 'top' })
  if (enteredEnd(vertical, lower)) fire('scrolltolower', { direction: 'bottom' })
  if (enteredStart(horizontal, upper)) fire('scrolltoupper', { direction: 'left' })
  if (enteredEnd(horizontal, lower)) fire('scrolltolower', { direction: 'right' })
}
