// App.captureScreenshot: headless Chromium paints the current page's DOM (the composed tree
// miniprogram-simulate mirrors into jsdom) with every stylesheet of that document (the pages' and
// components' WXSS, app.wxss, base-css.ts) and a navigation bar, on a 375×667 phone screen.
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { HeadlessRuntime } from './runtime'
import type { ExparserNode } from './exparser'
import { attribute, tagName, walkScope } from './tree'

const run = promisify(execFile)

/** Built-ins' state attributes, so WXSS like `.btn[disabled]` or `button[type=primary]` applies. */
const MIRRORED = [
  'disabled',
  'type',
  'size',
  'plain',
  'loading',
  'checked',
  'open-type',
  'form-type',
]

function mirrorAttributes(node: ExparserNode): void {
  const dom = node.$$
  if (!dom) return
  for (const name of MIRRORED) {
    const v = attribute(node, name)
    if (v === undefined || v === null || v === false || v === '' || v === 'false')
      dom.removeAttribute(name)
    else dom.setAttribute(name, v === true ? '' : String(v))
  }
}

/** A screenshot is taken at once: show every animated element in its final state. */
const STILL = `*, *::before, *::after { animation-duration: 0s !important; animation-delay: 0s !important;
  transition: none !important; }`

export interface ScreenshotOptions {
  chromium?: string
  width?: number
  height?: number
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!,
  )
}

/** The current page as one self-contained HTML document. */
export function pageHtml(rt: HeadlessRuntime): string {
  const page = rt.currentPage
  if (!page) throw new Error('no page is open')
  // Typed text lives in the runtime (inputs are slot shells): expose it to CSS.
  for (const { node } of walkScope(rt.exparser, page.node)) {
    const tag = tagName(node)
    mirrorAttributes(node)
    if ((tag !== 'input' && tag !== 'textarea') || !node.$$) continue
    const value = rt.builtins.value(node)
    const text = value === undefined || value === null ? '' : String(value)
    node.$$.setAttribute('data-headless-value', text)
    const placeholder = node._vt?.attrs?.find((a) => a.name === 'placeholder')?.value
    node.$$.setAttribute(
      'data-headless-placeholder',
      typeof placeholder === 'string' ? placeholder : '',
    )
    if (text === '') node.$$.setAttribute('data-headless-empty', '')
    else node.$$.removeAttribute('data-headless-empty')
  }
  const styles = [...document.head.querySelectorAll('style')]
    .map((s) => s.textContent ?? '')
    .join('\n')
  const title = rt.pageTitle(page.route)
  const tabBar = tabBarHtml(rt, page.route)
  // As in WeChat, the page's viewport lies between the navigation bar and the native tab bar:
  // the transform makes it the containing block of the page's position:fixed bars.
  const viewport = `position:absolute;left:0;right:0;top:${title !== undefined ? 45 : 0}px;bottom:${
    tabBar ? 51 : 0
  }px;overflow:hidden;transform:translateZ(0)`
  return `<!doctype html><html><head><meta charset="utf-8"><style>${styles}${STILL}</style></head><body>${
    title !== undefined ? `<div class="headless-nav">${escapeHtml(title)}</div>` : ''
  }<div class="headless-viewport" style="${viewport}">${page.container.outerHTML}</div>${tabBar}</body></html>`
}

/** The native tab bar, drawn for tab pages (simulate renders only the page itself). */
function tabBarHtml(rt: HeadlessRuntime, route: string): string {
  const bar = rt.project.tabBar
  if (!bar.items.some((i) => i.route === route)) return ''
  const cells = bar.items
    .map((i) => {
      const color = i.route === route ? (bar.selectedColor ?? '#1aad19') : (bar.color ?? '#7a7e83')
      return `<div style="flex:1;text-align:center;color:${escapeHtml(color)}">${escapeHtml(i.text)}</div>`
    })
    .join('')
  return `<div style="position:fixed;left:0;right:0;bottom:0;height:50px;line-height:50px;display:flex;background:#fff;border-top:1px solid #e5e5e5;font-size:12px;z-index:9999">${cells}</div>`
}

export async function captureScreenshot(
  rt: HeadlessRuntime,
  o: ScreenshotOptions = {},
): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'headless-shot-'))
  try {
    const html = path.join(dir, 'page.html')
    const png = path.join(dir, 'page.png')
    await fs.writeFile(html, pageHtml(rt), 'utf8')
    const chromium = o.chromium ?? process.env.CHROMIUM_PATH ?? 'chromium'
    await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--hide-scrollbars',
        `--user-data-dir=${path.join(dir, 'profile')}`,
        `--window-size=${o.width ?? 375},${o.height ?? 667}`,
        `--screenshot=${png}`,
        `file://${html}`,
      ],
      { timeout: 30_000 },
    )
    return (await fs.readFile(png)).toString('base64')
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}
