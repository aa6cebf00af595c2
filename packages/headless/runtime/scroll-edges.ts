// Which edge events a scroll from one position to another fires. WeChat fires them when the
// scroll enters the threshold zone near an edge, once per entry ("在触发距离内滑动期间，本事件只会
// 被触发一次"): a scroll that starts and ends inside the zone fires nothing.
// scroll-view: https://developers.weixin.qq.com/miniprogram/dev/component/scroll-view.html
// (upper-threshold / lower-threshold default 50 px, detail { direction }).
// Page onReachBottom: https://developers.weixin.qq.com/miniprogram/dev/reference/api/Page.html
// (onReachBottomDistance default 50 px).

/** One axis of a scroller: its position before and after, and its sizes. */
export interface AxisScroll {
  before: number
  after: number
  /** The content's length on this axis (scrollHeight or scrollWidth). */
  content: number
  /** The visible length on this axis (clientHeight or clientWidth). */
  visible: number
}

/** The default upper-threshold, lower-threshold and onReachBottomDistance, in px. */
export const DEFAULT_EDGE_THRESHOLD = 50

function nearStart(position: number, threshold: number): boolean {
  return position <= threshold
}

function nearEnd(position: number, axis: AxisScroll, threshold: number): boolean {
  return position + axis.visible >= axis.content - threshold
}

/** True when the scroll entered the zone within `threshold` px of the start (top or left). */
export function enteredStart(axis: AxisScroll, threshold: number): boolean {
  return (
    axis.after !== axis.before &&
    nearStart(axis.after, threshold) &&
    !nearStart(axis.before, threshold)
  )
}

/** True when the scroll entered the zone within `threshold` px of the end (bottom or right). */
export function enteredEnd(axis: AxisScroll, threshold: number): boolean {
  return (
    axis.after !== axis.before &&
    nearEnd(axis.after, axis, threshold) &&
    !nearEnd(axis.before, axis, threshold)
  )
}

/** A threshold attribute or page setting as a number of px, or the default when absent or bad. */
export function thresholdOf(value: unknown): number {
  const n = typeof value === 'string' ? parseFloat(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : DEFAULT_EDGE_THRESHOLD
}
