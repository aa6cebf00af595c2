// The headless mini-program runtime: loads a project as DevTools would and runs it on
// miniprogram-simulate + jsdom with App()/getApp()/Page()/getCurrentPages(), a router with
// WeChat's lifecycles, and a `wx` made of the fake wx plus the runtime's own APIs.
// One runtime per process: the mini-program's globals (wx, App, Component …) are process-wide.
import { EventEmitter } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import { wxAsync, WxFail } from '../wx/api'
import { injectBaseCss } from './base-css'
import { Builtins, type OpenTypeFlows } from './builtins'
import { ElementRegistry } from './elements'
import type { Exparser, ExparserNode, MethodCaller, RootComponent } from './exparser'
import { ComponentResolver } from './component-resolver'
import { closeLayout } from './layout'
import { pageScrollTo, type PageScrollToOptions } from './layout/page-scroll'
import { ModuleLoader } from './module-loader'
import { PageRecord } from './page'
import type { RouteApi } from './navigator'
import { pageToComponent } from './page-definition'
import { applyThemeVariables } from './app-theme'
import type { EventChannel } from './event-channel'
import { parseUrl, readProject, subpackageOf, type ProjectInfo } from './project'
import { readWxssWithImports } from './wxss-imports'
import { AppEventListeners } from './app-events'
import { Router, type RouteType } from './router'
import { simulateHost, type SimulateHost } from './simulate-host'
import { WxFacade, type WxObject } from './wx-facade'
import { connectSocket } from './wx-socket'
import type { Dialogs } from '../wx/dialogs'
import { tempFilesOf, type TempFiles } from '../wx/file-system'
import { setImageSourceListener } from './image-component'
import { ImageLoader } from './image-load'
import { pageIntersectionObserver, pageSelectorQuery } from './selector-query'
import {
  DEFAULT_DEVICE,
  DeviceState,
  deviceApis,
  requireString,
  type DeviceConfig,
  type DeviceDeps,
} from './wx-device'

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
  /** The device's answers to the common wx APIs (wx-device.ts), over DEFAULT_DEVICE. */
  device?: Partial<DeviceConfig>
  /** System dialogs (showActionSheet waits there, answered by native().confirmModal() …). */
  dialogs?: Dialogs
  /** GET over the app's network, for wx.downloadFile (default: fetch, no rewriting). */
  fetchBytes?: DeviceDeps['fetchBytes']
  /** The file store downloadFile writes and <image> reads (default: one of the runtime's own). */
  tempFiles?: TempFiles
  /** Where wx.connectSocket really connects for an app URL (undefined: it fails), see wx-socket.ts. */
  socketUrl?: (url: string) => string | undefined
}

async function fetchBytes(
  url: string,
  header: Record<string, string>,
): Promise<{ statusCode: number; bytes: Uint8Array }> {
  const res = await fetch(url, { headers: header })
  return { statusCode: res.status, bytes: new Uint8Array(await res.arrayBuffer()) }
}

/** Any thrown or rejected value as an Error; wx failures ({ errMsg }) keep their errMsg. */
function asError(e: unknown): Error {
  if (e instanceof Error) return e
  if (typeof e === 'object' && e !== null && typeof (e as { errMsg?: unknown }).errMsg === 'string')
    return new Error((e as { errMsg: string }).errMsg)
  if (typeof e === 'object' && e !== null) {
    try {
      return new Error(JSON.stringify(e))
    } catch {
      // a cyclic object: fall through to String()
    }
  }
  return new Error(String(e))
}

export interface RuntimeEvents {
  exception: [{ message: string; stack: string }]
  route: [{ type: RouteType; page: PageRecord }]
}

/**
 * A page URL as launch options name it: its route as `path` and its query (from
 * --compile-condition) as `query`, never the URL's `?…` left on the path, as WeChat gives them.
 */
function launchPathAndQuery(url: string): { path: string; query: Record<string, string> } {
  const { route, query } = parseUrl(`/${url}`)
  return { path: route, query }
}

export class HeadlessRuntime extends EventEmitter<RuntimeEvents> {
  readonly project: ProjectInfo
  readonly facade: WxFacade
  /** The device behind the common wx APIs: its config and what the app did with it. */
  readonly device: DeviceState
  /** Temp files (wxfile://tmp_…): what downloadFile fetched, what an <image> may show. */
  readonly tempFiles: TempFiles
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
  /** <image> loading: bindload/binderror and the intrinsic sizes widthFix/heightFix use. */
  readonly images: ImageLoader
  openTypes: OpenTypeFlows

  constructor(private readonly options: RuntimeOptions) {
    super()
    this.project = readProject(options.projectPath)
    this.host = simulateHost()
    const context = (): string | undefined => this.loading
    this.loader = new ModuleLoader(this.project.root, {
      onNpmFallback: (m) => (options.onWarning ?? console.warn)(m),
      context,
      resolveAlias: this.project.resolveAlias,
    })
    this.components = new ComponentResolver(
      this.project.root,
      this.loader.npm,
      this.project.usingComponents,
      context,
      this.project.resolveAlias,
    )
    this.router = new Router({
      pages: this.project.pages,
      tabBarPages: this.project.tabBarPages,
      createPage: (route, query, channel) => this.createPage(route, query, channel),
      onRouteDone: (type, page) => {
        this.appEvents.emit('AppRoute', {
          path: page.route,
          query: page.query,
          openType: type,
          webviewId: page.pageId,
        })
        this.emit('route', { type, page })
      },
    })
    this.device = new DeviceState({ ...DEFAULT_DEVICE, ...options.device })
    this.tempFiles = options.tempFiles ?? tempFilesOf({})
    const current = (): MethodCaller | undefined => this.router.current?.instance
    this.facade = new WxFacade(
      options.wx ?? {},
      this.routeApis(),
      deviceApis(this.device, {
        ...(options.dialogs ? { dialogs: options.dialogs } : {}),
        createSelectorQuery: () => pageSelectorQuery(current()),
        createIntersectionObserver: (o) => pageIntersectionObserver(current(), o),
        fetchBytes: options.fetchBytes ?? fetchBytes,
        tempFiles: this.tempFiles,
      }),
    )
    this.elements = new ElementRegistry(this.host.exparser)
    this.openTypes = options.openTypes ?? {}
    this.images = new ImageLoader(this.host.exparser, {
      root: this.project.root,
      pageRoute: () => this.router.current?.route,
      tempFiles: this.tempFiles,
    })
    // The image component is process-wide (simulate-host.ts): the runtime built last hears it.
    setImageSourceListener((node, src) => this.images.load(node, src))
    this.builtins = new Builtins(
      this.host.exparser,
      () => this.openTypes,
      (e) => this.reportError(e),
      (api, o) => this.navigatorRoute(api, o),
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
    // An independent subpackage starts without the main package: app.js runs only when a
    // main-package page opens (getApp() is undefined until then, unless allowDefault).
    if (!subpackageOf(this.project, entry)?.independent) this.loadMainPackage(entry)
    await this.router.reLaunch(`/${entry}`)
  }

  /**
   * wx.getLaunchOptionsSync(): the cold start from the chat list (scene 1001) on the entry page.
   * https://developers.weixin.qq.com/miniprogram/dev/api/base/app/life-cycle/wx.getLaunchOptionsSync.html
   */
  private launchOptions(): Record<string, unknown> {
    const entry = launchPathAndQuery(this.options.entry ?? this.project.entryPage)
    return { ...entry, scene: 1001, referrerInfo: {}, apiCategory: 'default' }
  }

  private mainPackageLoaded = false

  private loadMainPackage(route: string): void {
    if (this.mainPackageLoaded) return
    this.mainPackageLoaded = true
    this.loader.require(this.loader.resolveFromRoot('app'))
    const launchOptions = { ...launchPathAndQuery(route), scene: 1001, referrerInfo: {} }
    this.callApp('onLaunch', launchOptions)
    this.callApp('onShow', launchOptions)
    this.appEvents.emit('AppShow', launchOptions)
  }

  /** Subpackages downloaded so far (by opening one of their pages, preloadRule or loadSubpackage). */
  readonly loadedSubpackages = new Set<string>()

  private loadSubpackagesFor(route: string): void {
    const own = subpackageOf(this.project, route)
    if (own) this.loadedSubpackages.add(own.root)
    for (const name of this.project.preloadRule[route] ?? []) {
      const sub = this.project.subpackages.find((s) => s.root === name || s.name === name)
      if (sub) this.loadedSubpackages.add(sub.root)
    }
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

  /** A diagnostic that is not an app error (see RuntimeOptions.onWarning). */
  /** wx.onAppShow, wx.onError, wx.onAppRoute … (app-events.ts). */
  private readonly appEvents = new AppEventListeners((e) => this.reportError(e))

  private readonly warn = (message: string): void =>
    (this.options.onWarning ?? console.warn)(message)

  reportError(e: unknown): void {
    const err = asError(e)
    this.emit('exception', { message: err.message, stack: err.stack ?? '' })
    // As in WeChat, App.onError hears every script error (guarded against its own failures).
    const onError = this.app?.onError
    if (!this.inOnError) this.appEvents.emit('Error', err.stack ?? err.message)
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

  /**
   * A Promise the app rejected and nobody handled, e.g. `wx.navigateBack()` without callbacks on
   * the first page. WeChat hands these to App.onUnhandledRejection({ reason, promise }) (not to
   * onError); the automator client hears them as exceptions, with a wx failure's errMsg as text.
   */
  reportUnhandledRejection(reason: unknown, promise?: Promise<unknown>): void {
    const err = asError(reason)
    this.emit('exception', {
      message: `Unhandled promise rejection: ${err.message}`,
      stack: err.stack ?? '',
    })
    this.callApp('onUnhandledRejection', { reason, promise })
    this.appEvents.emit('UnhandledRejection', { reason, promise })
  }

  /** App onHide/onShow, as when the user leaves and returns to the mini-program. */
  hideApp(): void {
    this.router.current?.call('onHide')
    this.callApp('onHide')
    this.appEvents.emit('AppHide', {})
  }

  showApp(): void {
    const options = { path: this.router.current?.route ?? '', query: {}, scene: 1001 }
    this.callApp('onShow', options)
    this.appEvents.emit('AppShow', options)
    this.router.current?.call('onShow')
  }

  /** The exparser node under the viewport for a page, for the view-side automator calls. */
  pageNode(pageId: number): ExparserNode | undefined {
    return this.router.findPage(pageId)?.node
  }

  /**
   * The title of the page's native navigation bar (its .json over app.json's window), or
   * undefined when there is no native bar: no title, or `navigationStyle: custom`, where the page
   * draws its own bar and starts at the top of the screen.
   */
  navigationBarTitle(route: string, page?: PageRecord): string | undefined {
    const own = this.pageJson(route)
    const window = this.project.window
    const style = own.navigationStyle ?? window.navigationStyle
    if (style === 'custom') return undefined
    // wx.setNavigationBarTitle on that page wins over its .json.
    if (page?.navigationBarTitle !== undefined) return page.navigationBarTitle
    const title = own.navigationBarTitleText ?? window.navigationBarTitleText
    return typeof title === 'string' ? title : undefined
  }

  /**
   * A window setting of a page (enablePullDownRefresh, onReachBottomDistance …): its .json wins
   * over app.json's window, as in WeChat.
   */
  pageSetting(route: string, name: string): unknown {
    return this.pageJson(route)[name] ?? this.project.window[name]
  }

  private pageJson(route: string): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(
        fs.readFileSync(path.join(this.project.root, `${route}.json`), 'utf8'),
      )
      return typeof parsed === 'object' && parsed !== null
        ? applyThemeVariables(parsed as Record<string, unknown>, this.project.theme)
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
    style.textContent = this.host.compileWxss(
      readWxssWithImports(file, this.project.root, this.warn),
      prefix,
    )
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
    let defaultApp: Record<string, unknown> | undefined
    g.App = (options: Record<string, unknown>) => {
      if (this.app) throw new Error('App() can only be called once')
      // WeChat's app instance is the options object itself, with its fields and methods; a
      // default instance handed out early (allowDefault) receives them.
      this.app = defaultApp ? Object.assign(defaultApp, options) : options
    }
    g.getApp = (o?: { allowDefault?: boolean }) =>
      this.app ?? (o?.allowDefault ? (defaultApp ??= {}) : undefined)
    g.getCurrentPages = () => this.router.pageStack.map((p) => p.instance)
    g.Page = (options: Record<string, unknown>) => this.host.component(pageToComponent(options))
    this.host.setRunJs((componentPath) => {
      this.loader.run(this.loader.resolveAbsolute(componentPath))
    })
    this.host.setJsonFilter((file, json) => this.components.rewrite(file, json))
    this.host.setWxssRoot(this.project.root, this.warn)
  }

  private createPage(
    route: string,
    query: Record<string, string>,
    channel: EventChannel,
  ): PageRecord {
    if (!subpackageOf(this.project, route)?.independent) this.loadMainPackage(route)
    this.loadSubpackagesFor(route)
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
    const tabBar = this.customTabBar(route, container)
    return new PageRecord(
      route,
      query,
      root,
      container,
      (e) => this.reportError(e),
      tabBar ? { channel, tabBar } : { channel },
    )
  }

  private tabBarId: string | undefined

  /** app.json `tabBar.custom`: each tab page gets its own custom-tab-bar instance. */
  private customTabBar(route: string, container: HTMLElement): RootComponent | undefined {
    if (!this.project.tabBar.custom || !this.project.tabBarPages.includes(route)) return undefined
    if (!this.tabBarId) {
      this.loading = 'custom-tab-bar'
      try {
        this.tabBarId = this.host.simulate.load(
          path.join(this.project.root, 'custom-tab-bar/index'),
          'custom-tab-bar',
          { rootPath: this.project.root },
        )
      } catch (e) {
        this.reportError(e)
        throw e
      } finally {
        this.loading = undefined
      }
    }
    const bar = this.host.simulate.render(this.tabBarId)
    if (!bar) throw new Error('custom-tab-bar failed to render')
    const holder = document.createElement('div')
    holder.className = 'headless-custom-tab-bar'
    container.appendChild(holder)
    bar.attach(holder)
    return bar
  }

  /** A <navigator> tap: the route API through the app's wx (mocks apply), failing with its errMsg. */
  private navigatorRoute(api: RouteApi, options: { url?: string; delta?: number }): Promise<void> {
    const call = this.facade.wx[api] as (o: object) => unknown
    return new Promise((resolve, reject) => {
      call({ ...options, success: () => resolve(), fail: (e: unknown) => reject(asError(e)) })
    })
  }

  private routeApis(): WxObject {
    const url = (o: { url?: unknown }): string => (typeof o.url === 'string' ? o.url : '')
    return {
      ...this.appEvents.apis(),
      connectSocket: connectSocket(this.options.socketUrl ?? (() => undefined)),
      getLaunchOptionsSync: () => this.launchOptions(),
      // Nothing re-enters the app headless (no hot start), so the enter options are the launch's.
      getEnterOptionsSync: () => this.launchOptions(),
      setNavigationBarTitle: wxAsync(
        'setNavigationBarTitle',
        async (o: Record<string, unknown>) => {
          const title = requireString('setNavigationBarTitle', o, 'title')
          const page = this.router.current
          if (page) page.navigationBarTitle = title
          return {}
        },
      ),
      navigateTo: wxAsync('navigateTo', async (o: { url?: unknown; events?: unknown }) => {
        const events =
          typeof o.events === 'object' && o.events !== null
            ? (o.events as Record<string, unknown>)
            : {}
        return { eventChannel: await this.router.navigateTo(url(o), events) }
      }),
      loadSubpackage: wxAsync('loadSubpackage', (o: { name?: unknown; root?: unknown }) => {
        const key = typeof o.name === 'string' ? o.name : o.root
        const sub = this.project.subpackages.find((s) => s.name === key || s.root === key)
        if (!sub)
          return Promise.reject(new WxFail('loadSubpackage', `subpackage ${String(key)} not found`))
        this.loadedSubpackages.add(sub.root)
        return Promise.resolve({})
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
      // "效果与用户手动下拉刷新一致": the page's onPullDownRefresh runs, where the user could pull
      // (enablePullDownRefresh in its .json or app.json's window).
      // https://developers.weixin.qq.com/miniprogram/dev/api/ui/pull-down-refresh/wx.startPullDownRefresh.html
      startPullDownRefresh: wxAsync('startPullDownRefresh', () => {
        const page = this.router.current
        if (page && this.pageSetting(page.route, 'enablePullDownRefresh') === true)
          page.call('onPullDownRefresh')
        return Promise.resolve({})
      }),
    }
  }
}
