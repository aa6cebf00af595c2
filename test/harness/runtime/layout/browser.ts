// The one headless Chromium a runtime lays its pages out in: the system's Chromium (never a
// downloaded one), driven by playwright-core, started on first use and closed with the runtime.
// A phone screen of 375 × 667 CSS px (screenshots at 1 device pixel per CSS px).
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { IN_PAGE_SCRIPT } from './in-page'

export interface BrowserOptions {
  /** Chromium's executable: a path, or a name looked up on PATH. Default $CHROMIUM_PATH or chromium. */
  chromium?: string
  width?: number
  height?: number
}

export const SCREEN_WIDTH = 375
export const SCREEN_HEIGHT = 667

/** Flags the project runs Chromium with everywhere (see the README). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--hide-scrollbars',
]

/** An absolute executable path: playwright does not search PATH. */
export function resolveExecutable(name: string): string {
  if (path.isAbsolute(name)) return name
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      return candidate
    } catch {
      // not in this directory
    }
  }
  // The ENOENT wording is what e2e's screenshot helper recognises to say how to install Chromium.
  throw new Error(`spawn ${name} ENOENT: Chromium was not found on PATH`)
}

export class LayoutBrowser {
  private started: Promise<{ browser: Browser; page: Page }> | undefined

  constructor(private readonly options: BrowserOptions = {}) {}

  /** The page every document is loaded into (the browser starts on the first call). */
  async page(): Promise<Page> {
    this.started ??= this.start()
    try {
      return (await this.started).page
    } catch (e) {
      this.started = undefined // a later call may try again (e.g. after installing Chromium)
      throw e
    }
  }

  get isRunning(): boolean {
    return this.started !== undefined
  }

  async close(): Promise<void> {
    const started = this.started
    this.started = undefined
    if (!started) return
    try {
      await (await started).browser.close()
    } catch {
      // it never started: nothing to close
    }
  }

  private async start(): Promise<{ browser: Browser; page: Page }> {
    const executablePath = resolveExecutable(
      this.options.chromium ?? process.env.CHROMIUM_PATH ?? 'chromium',
    )
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
    const context = await browser.newContext({
      viewport: {
        width: this.options.width ?? SCREEN_WIDTH,
        height: this.options.height ?? SCREEN_HEIGHT,
      },
      deviceScaleFactor: 1,
    })
    // Only loopback traffic: the app's images from the test server load, nothing else does.
    await context.route(/^https?:\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort())
    await context.addInitScript(IN_PAGE_SCRIPT)
    const page = await context.newPage()
    return { browser, page }
  }
}
