// Waiting for the app, with failures that say what was awaited (page.waitFor has no timeout).
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import type Page from 'miniprogram-automator/out/Page'
import type Element from 'miniprogram-automator/out/Element'

const DEFAULT_TIMEOUT_MS = 10_000

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v !== undefined && v !== null && v !== false) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
      )
    }
    await sleep(100)
  }
}

export function element(page: Page, selector: string, timeoutMs?: number): Promise<Element> {
  return until(`element ${selector} on ${page.path}`, () => page.$(selector), timeoutMs)
}

export async function gone(page: Page, selector: string, timeoutMs?: number): Promise<void> {
  await until(
    `${selector} to disappear from ${page.path}`,
    async () => (await page.$$(selector)).length === 0,
    timeoutMs,
  )
}

/** The current page once it is `path` (routes settle asynchronously, e.g. after a tap). */
export function pageAt(mp: MiniProgram, path: string, timeoutMs?: number): Promise<Page> {
  return until(
    `page ${path}`,
    async () => {
      const p = await mp.currentPage()
      return p && p.path === path ? p : undefined
    },
    timeoutMs,
  )
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`)
}

/** An element inside a custom component (page.$ does not reach into components). */
export function inside(
  page: Page,
  host: string,
  selector: string,
  timeoutMs?: number,
): Promise<Element> {
  return until(
    `${selector} inside ${host} on ${page.path}`,
    async () => {
      const h = await page.$(host)
      return h ? h.$(selector) : undefined
    },
    timeoutMs,
  )
}

/** Waits until nothing matches `selector` inside the component `host`. */
export async function goneInside(
  page: Page,
  host: string,
  selector: string,
  timeoutMs?: number,
): Promise<void> {
  await until(
    `${selector} inside ${host} to disappear`,
    async () => {
      const h = await page.$(host)
      return h !== null && (await h.$$(selector)).length === 0
    },
    timeoutMs,
  )
}
