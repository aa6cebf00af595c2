// App.captureScreenshot: the current page painted by the runtime's headless Chromium (see
// layout/): the same document the layout measurements are taken on, so what a test measures is
// what the screenshot shows. 375 × 667 CSS px, scrolled where the page is scrolled.
import type { HeadlessRuntime } from './runtime'
import { composePage, NodeIds } from './layout/compose'
import { layoutOf } from './layout'

/** The current page as one self-contained HTML document (what the screenshot paints). */
export function pageHtml(rt: HeadlessRuntime): string {
  const page = rt.currentPage
  if (!page) throw new Error('no page is open')
  return composePage(rt, page, new NodeIds())
}

export async function captureScreenshot(rt: HeadlessRuntime): Promise<string> {
  const page = rt.currentPage
  if (!page) throw new Error('no page is open')
  return layoutOf(rt).screenshot(page)
}
