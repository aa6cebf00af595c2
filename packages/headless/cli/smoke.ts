// `miniprogram-headless smoke --project P`: the first question QA asks of an app the runtime has
// never seen (and how this project checks the runtime against public mini-programs it did not
// write): does every page open? It launches the app, then opens each page of app.json (main
// package and subpackages) with reLaunch, lets its onLoad/onShow/onReady work run, and reports,
// page by page, the script errors and unhandled rejections the runtime heard (what the
// automator client would hear as exceptions), with an optional screenshot of each.
import fs from 'node:fs'
import path from 'node:path'
import type { HeadlessRuntime } from '../runtime/runtime'
import { captureScreenshot } from '../runtime/screenshot'

export interface PageCheck {
  /** The page's route, as in app.json. */
  route: string
  /** 'launch' for the app's start on its entry page, 'open' for a page opened by reLaunch. */
  step: 'launch' | 'open'
  ok: boolean
  /** Elements rendered on the page once it settled. */
  elements: number
  ms: number
  /** Script errors and failures, in the order they happened. */
  errors: string[]
  /** The PNG written for this page, with --screenshots. */
  screenshot?: string
}

export interface SmokeOptions {
  /** Write `<route with / as _>.png` here for every page. */
  screenshotsDir?: string
  /** How long a page's asynchronous start-up work may run before it is judged (default 300 ms). */
  settleMs?: number
  /** Called as each page is judged (the CLI prints it at once). */
  onPage?: (check: PageCheck) => void
}

/** The elements the page's WXML rendered (inside its root component element). */
const renderedElements = (container: HTMLElement): number =>
  container.firstElementChild?.querySelectorAll('*').length ?? 0

const firstLine = (text: string): string => text.split('\n')[0] ?? text

/** Every page once, in app.json's order, after the app's own launch. */
export async function smokeProject(
  runtime: HeadlessRuntime,
  options: SmokeOptions = {},
): Promise<PageCheck[]> {
  const settleMs = options.settleMs ?? 300
  const heard: string[] = []
  runtime.on('exception', (e) => heard.push(firstLine(e.message)))
  const checks: PageCheck[] = []

  const judge = async (
    step: PageCheck['step'],
    route: string,
    open: () => Promise<void>,
  ): Promise<void> => {
    heard.length = 0
    const t0 = Date.now()
    const errors: string[] = []
    try {
      await open()
      // A page's start-up work outlives its lifecycle calls (requests, timers, setData later).
      await new Promise((resolve) => setTimeout(resolve, settleMs))
    } catch (e) {
      errors.push(firstLine(e instanceof Error ? e.message : String(e)))
    }
    // A failure heard as an exception and also rejecting the route is said once.
    const said = [...new Set([...heard, ...errors])]
    const page = runtime.currentPage
    const check: PageCheck = {
      route,
      step,
      ok: said.length === 0,
      elements: page ? renderedElements(page.container) : 0,
      ms: Date.now() - t0,
      errors: said,
    }
    if (options.screenshotsDir && page) {
      try {
        check.screenshot = await writeScreenshot(runtime, options.screenshotsDir, route)
      } catch (e) {
        // A missing browser is not the app's fault: said beside the page, not counted against it.
        check.screenshot = `not taken: ${firstLine(e instanceof Error ? e.message : String(e))}`
      }
    }
    checks.push(check)
    options.onPage?.(check)
  }

  await judge('launch', runtime.project.entryPage, () => runtime.launch())
  for (const route of runtime.project.pages)
    await judge('open', route, () => runtime.router.reLaunch(`/${route}`))
  return checks
}

async function writeScreenshot(
  runtime: HeadlessRuntime,
  dir: string,
  route: string,
): Promise<string> {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${route.replace(/[\\/]/g, '_')}.png`)
  fs.writeFileSync(file, Buffer.from(await captureScreenshot(runtime), 'base64'))
  return file
}

/** One line a page (its errors indented below), as the CLI prints it. */
export function formatPageCheck(c: PageCheck): string {
  const status = c.ok ? 'ok  ' : 'FAIL'
  const what = c.step === 'launch' ? `launch on ${c.route}` : c.route
  const shot = c.screenshot ? `, screenshot ${c.screenshot}` : ''
  const head = `${status}  ${what} (${c.elements} elements, ${c.ms} ms${shot})`
  return [head, ...c.errors.map((e) => `        ${e}`)].join('\n')
}
