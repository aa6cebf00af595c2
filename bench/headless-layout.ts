// Headless runtime layout benchmark: what a layout query (element.size() / offset() through the
// automator protocol) and a screenshot cost, measured on the fixture app's layout page. The first
// query starts Chromium; a query after the app re-rendered reloads the page into it; a query with
// nothing changed is answered from the loaded page.
import { performance } from 'perf_hooks'
import { AutomatorServer } from '../test/harness/automator/server'
import { BASIC_PROJECT } from '../test/harness/fixtures'
import { createRuntimeWx } from '../test/harness/runtime/fake-wx-bridge'
import { HeadlessRuntime } from '../test/harness/runtime/runtime'
import { captureScreenshot } from '../test/harness/runtime/screenshot'

const RUNS = 30

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(2))
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

export async function benchHeadlessLayout(): Promise<Record<string, unknown>> {
  const bridge = createRuntimeWx()
  const rt = new HeadlessRuntime({ projectPath: BASIC_PROJECT, ...bridge.runtimeOptions })
  await rt.launch()
  await rt.router.navigateTo('/pages/layout/index')
  const server = await AutomatorServer.listen({
    runtime: rt,
    port: 0,
    screenshot: () => captureScreenshot(rt),
  })
  try {
    const page = rt.currentPage!
    const ask = async (method: string, params: Record<string, unknown>) => {
      const answer = await server.handle(method, { pageId: page.pageId, ...params })
      if ('error' in answer) throw new Error(`${method}: ${answer.error.message}`)
      return answer.result as Record<string, unknown>
    }
    const { elementId } = await ask('Page.getElement', { selector: '#box' })
    const size = () =>
      ask('Element.getDOMProperties', { elementId, names: ['offsetWidth', 'offsetHeight'] })
    const offset = () => ask('Element.getOffset', { elementId })

    const firstQueryMs = await timed(size) // includes starting Chromium
    const sizeMs: number[] = []
    const offsetMs: number[] = []
    const afterSetDataMs: number[] = []
    const screenshotMs: number[] = []
    for (let i = 0; i < RUNS; i++) {
      sizeMs.push(await timed(size))
      offsetMs.push(await timed(offset))
      // A re-render that changes the DOM (the first row's text): the next query reloads the page.
      page.instance.setData({ 'rows[0]': `row ${i}` })
      afterSetDataMs.push(await timed(size))
      screenshotMs.push(await timed(() => ask('App.captureScreenshot', {})))
    }
    return {
      runs: RUNS,
      firstQueryWithChromiumStartMs: Number(firstQueryMs.toFixed(1)),
      sizeMedianMs: median(sizeMs),
      offsetMedianMs: median(offsetMs),
      sizeAfterSetDataMedianMs: median(afterSetDataMs),
      screenshotMedianMs: median(screenshotMs),
    }
  } finally {
    await server.close()
    await rt.close()
  }
}
