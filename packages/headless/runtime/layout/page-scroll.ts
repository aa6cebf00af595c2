// wx.pageScrollTo on the laid-out page: to a scrollTop, or to the element a selector names (plus
// offsetTop), clamped to the page's height as on a phone; the page's onPageScroll hears the new
// position, and its onReachBottom runs when the scroll enters onReachBottomDistance of the bottom.
// https://developers.weixin.qq.com/miniprogram/dev/api/ui/scroll/wx.pageScrollTo.html
import { WxFail } from '../../wx/api'
import type { HeadlessRuntime } from '../runtime'
import { enteredEnd, thresholdOf } from '../scroll-edges'
import { querySelectorAll, SelectorError } from '../selector'
import { layoutOf } from '.'

export interface PageScrollToOptions {
  scrollTop?: unknown
  selector?: unknown
  offsetTop?: unknown
  duration?: unknown
}

export type PageScrollHost = Pick<
  HeadlessRuntime,
  | 'builtins'
  | 'images'
  | 'navigationBarTitle'
  | 'project'
  | 'currentPage'
  | 'exparser'
  | 'pageSetting'
>

export async function pageScrollTo(rt: PageScrollHost, o: PageScrollToOptions): Promise<void> {
  const page = rt.currentPage
  if (!page) throw new WxFail('pageScrollTo', 'no page is open')
  const layout = layoutOf(rt)
  let target: number
  if (typeof o.selector === 'string' && o.selector !== '') {
    let node
    try {
      ;[node] = querySelectorAll(rt.exparser, page.node, o.selector)
    } catch (e) {
      if (e instanceof SelectorError) throw new WxFail('pageScrollTo', e.message)
      throw e
    }
    if (!node) throw new WxFail('pageScrollTo', `selector ${o.selector} not found`)
    const offsetTop = typeof o.offsetTop === 'number' ? o.offsetTop : 0
    target = (await layout.measureOne(page, node)).offset.top + offsetTop
  } else if (typeof o.scrollTop === 'number') {
    target = o.scrollTop
  } else {
    throw new WxFail('pageScrollTo', 'parameter error: scrollTop or selector is required')
  }
  const before = layout.pageScrollTop(page)
  const reached = await layout.scrollPage(page, target)
  if (reached === before) return
  const onPageScroll = (page.instance as Record<string, unknown>).onPageScroll
  if (typeof onPageScroll === 'function')
    (onPageScroll as (e: { scrollTop: number }) => void).call(page.instance, { scrollTop: reached })
  const metrics = await layout.pageMetrics(page)
  const bottomDistance = thresholdOf(rt.pageSetting(page.route, 'onReachBottomDistance'))
  const axis = {
    before,
    after: reached,
    content: metrics.scrollHeight,
    visible: metrics.clientHeight,
  }
  if (enteredEnd(axis, bottomDistance)) page.call('onReachBottom')
}
