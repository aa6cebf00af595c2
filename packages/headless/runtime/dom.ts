// miniprogram-simulate and j-component expect a browser: outside jest's jsdom environment we
// create one jsdom window and copy the globals they read. Idempotent, so tests running inside a
// jsdom environment keep theirs.
import { createRequire } from 'node:module'
import path from 'node:path'

const GLOBAL_NAMES = [
  'window',
  'document',
  'navigator',
  'Node',
  'Element',
  'HTMLElement',
  'HTMLStyleElement',
  'DocumentFragment',
  'Text',
  'Event',
  'CustomEvent',
  'MouseEvent',
  'TouchEvent',
  'KeyboardEvent',
  'MutationObserver',
  'getComputedStyle',
  'customElements',
] as const

export function installDomGlobals(): void {
  const g = globalThis as unknown as Record<string, unknown>
  if (typeof g.document === 'object' && g.document !== null) return
  // Under jest (node environment: esbuild refuses jest's jsdom environment) jsdom 29 cannot be
  // required, its dependencies being ESM; jest-environment-jsdom's own jsdom 20 is CommonJS.
  const jsdomModule = process.env.JEST_WORKER_ID
    ? path.join(
        path.dirname(createRequire(__filename).resolve('jest-environment-jsdom')),
        '../node_modules/jsdom',
      )
    : 'jsdom'
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- chosen at run time, see above
  const { JSDOM } = require(jsdomModule) as typeof import('jsdom')
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    url: 'https://servicewechat.com/headless/',
    pretendToBeVisual: true,
  })
  const win = dom.window as unknown as Record<string, unknown>
  for (const name of GLOBAL_NAMES) {
    const value = win[name]
    if (value === undefined) continue
    Object.defineProperty(g, name, { value, configurable: true, writable: true })
  }
  // j-component builds Touch objects for native touch events; jsdom has no Touch constructor.
  if (typeof win.Touch !== 'function') {
    g.Touch = function Touch(this: Record<string, unknown>, init: Record<string, unknown>) {
      Object.assign(this, init)
    }
  } else {
    g.Touch = win.Touch
  }
}
