// The layout seam: one LayoutService (one headless Chromium, started on first use) per runtime.
// Whatever needs real geometry (the automator's size/offset/style, wx.pageScrollTo,
// wx.createSelectorQuery's rects) asks `layoutOf(runtime)`; `closeLayout(runtime)` stops the
// browser when the runtime is done. For SelectorQuery: select the nodes, then
// `nodeFields(layoutOf(rt), page, nodes, { rect, size, scrollOffset, computedStyle, … })` and
// `viewportFields(layoutOf(rt), page, …)` give NodesRef.fields' answers.
import type { BrowserOptions } from './browser'
import type { ComposeHost } from './compose'
import { LayoutService } from './service'

export type { MeasuredElement, PageMetrics, ScrollPosition, ScrollReach } from './in-page'
export type { MeasureOptions } from './service'
export { LayoutService }
export { nodeFields, viewportFields, type Fields, type FieldsRequest } from './node-fields'

const services = new WeakMap<ComposeHost, LayoutService>()

/** The runtime's layout service, created on first use (the browser starts on the first query). */
export function layoutOf(runtime: ComposeHost, options?: BrowserOptions): LayoutService {
  let service = services.get(runtime)
  if (!service) {
    service = new LayoutService(runtime, options)
    services.set(runtime, service)
  }
  return service
}

/** Stops the runtime's browser, if one was started. */
export async function closeLayout(runtime: ComposeHost): Promise<void> {
  const service = services.get(runtime)
  services.delete(runtime)
  await service?.close()
}
