// Boots miniprogram-simulate outside jest and lets the runtime decide how component JS runs:
// simulate calls `utils.runJs(path)` for each page/component while it registers them; we route
// that through our ModuleLoader (esbuild, one shared module cache) instead of Node's require.
import { keepCaptureAndBubbleBindings } from './capture-bindings'
import { installCallerExtensions } from './caller-extensions'
import { registerImageComponent } from './image-component'
import fs from 'node:fs'
import { installDomGlobals } from './dom'
import type { Exparser, Simulate } from './exparser'
import { compileWithRootPaths, type WxmlCompiler } from './wxml-root-paths'
import { readWxssWithImports } from './wxss-imports'

export interface SimulateHost {
  simulate: Simulate
  exparser: Exparser
  /** simulate's Component(): only valid while a page or component is being registered. */
  component: (options: Record<string, unknown>) => void
  /** simulate's wxss compiler: prefixes classes with `prefix--`, rpx → px. */
  compileWxss: (wxss: string, prefix: string) => string
  setRunJs(run: (componentPath: string) => void): void
  /** Where root-absolute WXSS @imports start (the miniprogram root); warnings for missing ones. */
  setWxssRoot(root: string, onWarning: (message: string) => void): void
  /** Rewrites each page or component .json as simulate reads it (usingComponents resolution). */
  setJsonFilter(filter: (file: string, json: Record<string, unknown> | null) => unknown): void
}

let host: SimulateHost | undefined

export function simulateHost(): SimulateHost {
  if (host) return host
  installDomGlobals()
  /* eslint-disable @typescript-eslint/no-require-imports -- these packages have no typings and
     must load only after the DOM globals exist */
  const simulate = require('miniprogram-simulate') as Simulate
  const utils = require('miniprogram-simulate/src/utils') as {
    runJs: (p: string) => void
    readJson: (file: string) => unknown
  }
  const wxss = require('miniprogram-simulate/src/wxss') as {
    compile(wxss: string, o: Record<string, unknown>): string
    getContent(file: string): string
  }
  const exparser = require('miniprogram-exparser') as Exparser
  registerImageComponent(require('j-component') as Parameters<typeof registerImageComponent>[0])
  const jUtils = require('j-component/src/tool/utils') as Parameters<
    typeof keepCaptureAndBubbleBindings
  >[0]
  // simulate's own handle on miniprogram-compiler (the module object it compiles WXML with).
  const compiler = (utils as unknown as { getCompiler(): WxmlCompiler | null }).getCompiler()
  const readJsonOriginal = utils.readJson.bind(utils)
  installCallerExtensions(exparser)
  keepCaptureAndBubbleBindings(jUtils, exparser)
  if (compiler) compileWithRootPaths(compiler)
  // simulate turns rpx into px 1:1; on a 375 px wide phone 750rpx is the screen width, so 1rpx is
  // 0.5px. Converting before simulate's own pass keeps layouts (and screenshots) to scale.
  const compileWxss = wxss.compile.bind(wxss)
  wxss.compile = (text, o) => pageSelectorToContainer(compileWxss(rpxToPx(text), o))
  /* eslint-enable @typescript-eslint/no-require-imports */
  const g = globalThis as unknown as { Component: (o: Record<string, unknown>) => void }
  const component = g.Component
  host = {
    simulate,
    exparser,
    component,
    compileWxss: (text, prefix) => wxss.compile(text, { prefix }),
    setWxssRoot(root, onWarning) {
      wxss.getContent = (file) =>
        fs.existsSync(file) ? readWxssWithImports(file, root, onWarning) : ''
    },
    setRunJs(run) {
      utils.runJs = run
    },
    setJsonFilter(filter) {
      // simulate's register() reads `${componentPath}.json` through utils.readJson, then skips
      // (silently) every usingComponents entry whose .json it cannot find: rewriting the values
      // to resolved root-absolute paths here is the one place to resolve them as DevTools does.
      const readJson = (file: string): Record<string, unknown> | null => {
        const json: unknown = readJsonOriginal(file)
        return typeof json === 'object' && json !== null && !Array.isArray(json)
          ? (json as Record<string, unknown>)
          : null
      }
      utils.readJson = (file) => filter(file, readJson(file))
    },
  }
  return host
}

export function rpxToPx(css: string): string {
  return css.replace(/(-?\d*\.?\d+)rpx/g, (_m, n: string) => `${Number(n) / 2}px`)
}

/** WXSS `page` is the page's root element: here, the page's container div. */
export function pageSelectorToContainer(css: string): string {
  return css.replace(/(^|[},;\s])page(?=\s*[{,.:[>+~])/g, '$1.headless-page')
}
