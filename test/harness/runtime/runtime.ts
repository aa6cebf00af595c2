// The headless mini-program runtime: loads a project as DevTools would and runs it on
// miniprogram-simulate + jsdom with App()/getApp()/Page()/getCurrentPages(), a router with
// WeChat's lifecycles, and a `wx` made of the fake wx plus the runtime's own APIs.
// One runtime per process: the mini-program's globals (wx, App, Component …) are process-wide.
import { EventEmitter } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { wxAsync } from '../wx/api'
import { injectBaseCss } from './base-css'
import { Builtins, type OpenTypeFlows } from './builtins'
import { ElementRegistry } from './elements'
import type { Exparser, ExparserNode } from './exparser'
import { ComponentResolver } from './component-resolver'
import { closeLayout } from './layout'
import { pageScrollTo, type PageScrollToOptions } from './layout/page-scroll'
import { ModuleLoader } from './module-loader'
import { PageRecord } from './page'
import { pageToComponent } from './page-definition'
import { readProject, type ProjectInfo } from './project'
import { Router, type RouteType } from './router'
import { simulateHost, type SimulateHost } from './simulate-host'
import { WxFacade, type WxObject } from './wx-facade'

export interface RuntimeOptions {
  projectPath: string
  /** The fake wx (or any wx-shaped object); the runtime adds routing and defaults. */
  wx?: WxObject
  /** Page to open instead of app.json's first page. */
  entry?: string
  /** The fake wx's tap-gesture wrapper: taps run inside it so tap-only APIs work. */
  runAsTap?: <T>(fn: () => T) => T
  /** Flows started by open-type buttons (see builtins.ts). */
  openTypes?: OpenTypeFlows
  /** Diagnostics that are not the app's own errors (e.g. npm read from node_modules). */
  onWarning?: (message: string) => void
}

export interface RuntimeEvents {
  exception: [{ message: string; stack: string }]
  route: [{ type: RouteType; page: PageRecord }]
}

export class HeadlessRuntime extends EventEmitter<RuntimeEvents> {
  readonly project: ProjectInfo
  readonly facade: WxFacade
  readonly router: Router
  readonly loader: ModuleLoader
  private readonly components: ComponentResolver
  /** The page being registered, for resolution errors. */
  private loading: string | undefined
  private readonly host: SimulateHost
  private readonly pageIds = new Map<string, string>()
  private app: Record<string, unknown> | undefined
  private started = false
  private inOnError = false
  private readonly viewport: HTMLElement
  readonly elements: ElementRegistry
  readonly builtins: Builtins
  openTypes: OpenTypeFlows

  constructor(private readonly options: RuntimeOptions) {
    super()
    this.project = readProject(options.projectPath)
    this.host = simulateHost()
    const context = (): string | undefined => this.loading
    this.loader = new ModuleLoader(this.project.root, {
      onNpmFallback: (m) => (options.onWarning ?? console.warn)(m),
      context,
    })
    this.components = new ComponentResolver(
      this.project.root,
      this.loader.npm,
      this.project.usingComponents,
      context,
    )
    this.router = new Router({
      pages: this.project.pages,
      tabBarPages: this.project.tabBarPages,
      createPage: (route, query) => this.createPage(route, query),
      onRouteDone: (type, page) => this.emit('route', { type, page }),
    })
    this.facade = new WxFacade(options.wx ?? {}, this.routeApis())
    this.elements = new ElementRegistry(this.host.exparser)
    this.openTypes = options.openTypes ?? {}
    this.builtins = new Builtins(
      this.host.exparser,
      () => this.openTypes,
      (e) => this.reportError(e),
    )
    this.host.exparser.addGlobalErrorListener?.((err) => {
      this.reportError(err)
    })
    injectBaseCss(document)
    this.viewport = document.createElement('div')
    this.viewport.className = 'headless-viewport'
    document.body.appendChild(this.viewport)
  }

  /** Loads app.ts, runs App onLaunch → onShow, then opens the entry page. */
  async launch(): Promise<void> {
    if (this.started) throw new Error('runtime already launched')
    this.started = true
    this.installGlobals()
    const entry = this.options.entry ?? this.project.entryPage
    const appFile = this.loader.resolveFromRoot('app')
    this.loader.require(appFile)
    const launchOptions = { path: entry, query: {}, scene: 1001, referrerInfo: {} }
    this.callApp('onLaunch', launchOptions)
    this.callApp('onShow', launchOptions)
    await this.router.reLaunch(`/${entry}`)
  }

  get exparser(): Exparser {
    return this.host.exparser
  }

  /** Runs `fn` as the synchronous part of a user's tap. */
  runAsTap<T>(fn: () => T): T {
    return this.options.runAsTap ? this.options.runAsTap(fn) : fn()
  }

  get appInstance(): Record<string, unknown> | undefined {
    return this.app
  }

  get currentPage(): PageRecord | undefined {
    return this.router.current
  }

  /** Stops what the runtime started outside the process (the layout browser). */
  async close(): Promise<void> {
    await closeLayout(this)
  }

  reportError(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e))
    this.emit('exception', { message: err.message, stack: err.stack ?? '' })
    // As in WeChat, App.onError hears every script error (guarded against its own failures).
    const onError = this.app?.onError
    if (typeof onError === 'function' && !this.inOnError) {
      this.inOnError = true
      try {
        ;(onError as (msg: string) => void).call(this.app, err.stack ?? err.message)
      } catch {
        // an onError that throws must not loop
      } finally {
        this.inOnError = false
      }
    }
  }

  /** App onHide/onShow, as when the user leaves and returns to the mini-program. */
  hideApp(): void {
    this.router.current?.call('onHide')
    this.callApp('onHide')
  }

  showApp(): void {
    this.callApp('onShow', { path: this.router.current?.route ?? '', query: {}, scene: 1001 })
    this.router.current?.call('onShow')
  }

  /** The exparser node under the viewport for a page, for the view-side automator calls. */
  pageNode(pageId: number): ExparserNode | undefined {
    return this.router.findPage(pageId)?.node
  }

  /** navigationBarTitleText of a page (its .json over app.json's window). */
  pageTitle(route: string): string | undefined {
    const own = this.pageJson(route).navigationBarTitleText
    if (typeof own === 'string') return own
    const app = this.project.window.navigationBarTitleText
    return typeof app === 'string' ? app : undefined
  }

  private pageJson(route: string): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(
        fs.readFileSync(path.join(this.project.root, `${route}.json`), 'utf8'),
      )
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : {}
    } catch {
      return {}
    }
  }

  /** app.wxss applies to every page: compiled once per page with that page's class prefix. */
  private insertAppWxss(prefix: string): void {
    const file = path.join(this.project.root, 'app.wxss')
    if (!fs.existsSync(file) || document.getElementById(`app-wxss-${prefix}`)) return
    const style = document.createElement('style')
    style.id = `app-wxss-${prefix}`
    style.textContent = this.host.compileWxss(fs.readFileSync(file, 'utf8'), prefix)
    document.head.appendChild(style)
  }

  private callApp(name: string, ...args: unknown[]): void {
    const fn = this.app?.[name]
    if (typeof fn !== 'function') return
    try {
      ;(fn as (...a: unknown[]) => void).apply(this.app, args)
    } catch (e) {
      this.reportError(e)
    }
  }

  private installGlobals(): void {
    const g = globalThis as unknown as Record<string, unknown>
    g.wx = this.facade.wx
    g.App = (options: Record<string, unknown>) => {
      if (this.app) throw new Error('App() can only be called once')
      // WeChat's app instance is the options object itself, with its fields and methods.
      this.app = options
    }
    g.getApp = () => this.app
    g.getCurrentPages = () => this.router.pageStack.map((p) => p.instance)
    g.Page = (options: Record<string, unknown>) => this.host.component(pageToComponent(options))
    this.host.setRunJs((componentPath) => {
      this.loader.run(this.loader.resolveAbsolute(componentPath))
    })
    this.host.setJsonFilter((file, json) => this.components.rewrite(file, json))
  }

  private createPage(route: string, query: Record<string, string>): PageRecord {
    let id = this.pageIds.get(route)
    const prefix = route.replace(/[^a-zA-Z0-9]+/g, '-')
    if (!id) {
      // Each page (with its components) is registered once; every visit renders a new instance.
      this.insertAppWxss(prefix)
      const base = path.join(this.project.root, route)
      this.components.registerPage(base)
      this.loading = `page ${route}`
      try {
        // usingComponents (the page's, then app.json's) are resolved by this.components.
        id = this.host.simulate.load(base, prefix, { rootPath: this.project.root })
      } catch (e) {
        // The route call fails with it too, but the app may not look: say it as DevTools would.
        this.reportError(e)
        throw e
      } finally {
        this.loading = undefined
      }
      this.pageIds.set(route, id)
    }
    const root = this.host.simulate.render(id)
    if (!root) throw new Error(`page ${route} failed to render`)
    const container = document.createElement('div')
    container.className = 'headless-page'
    container.dataset.route = route
    this.viewport.appendChild(container)
    root.attach(container)
    return new PageRecord(route, query, root, container, this.host.exparser, (e) =>
      this.reportError(e),
    )
  }

  private routeApis(): WxObject {
    const url = (o: { url?: unknown }): string => (typeof o.url === 'string' ? o.url : '')
    return {
      navigateTo: wxAsync('navigateTo', async (o: { url?: unknown }) => {
        await this.router.navigateTo(url(o))
        return {}
      }),
      redirectTo: wxAsync('redirectTo', async (o: { url?: unknown }) => {
        await this.router.redirectTo(url(o))
        return {}
      }),
      reLaunch: wxAsync('reLaunch', async (o: { url?: unknown }) => {
        await this.router.reLaunch(url(o))
        return {}
      }),
      switchTab: wxAsync('switchTab', async (o: { url?: unknown }) => {
        await this.router.switchTab(url(o))
        return {}
      }),
      navigateBack: wxAsync('navigateBack', async (o: { delta?: unknown }) => {
        await this.router.navigateBack(typeof o.delta === 'number' ? o.delta : 1)
        return {}
      }),
      pageScrollTo: wxAsync('pageScrollTo', async (o: PageScrollToOptions) => {
        await pageScrollTo(this, o)
        return {}
      }),
    }
  }
}
