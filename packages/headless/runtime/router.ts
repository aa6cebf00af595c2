// The page stack and WeChat's routing rules: navigateTo / redirectTo / reLaunch / switchTab /
// navigateBack with the lifecycle order of the real runtime (old page hides or unloads before the
// new one loads; tab pages stay alive across switchTab; reLaunch closes everything). Route calls
// are serialised: a second call waits for the first to finish, as WeChat's router does.
import { WxFail } from '../wx/api'
import { createEventChannelPair, type EventChannel } from './event-channel'
import type { PageRecord } from './page'
import { parseUrl } from './project'

export const MAX_STACK = 10

export interface RouterHost {
  pages: readonly string[]
  tabBarPages: readonly string[]
  /** `channel`: what the page's getOpenerEventChannel() returns. */
  createPage(route: string, query: Record<string, string>, channel: EventChannel): PageRecord
  /** Called after every completed route change (for logs and events). */
  onRouteDone?(type: RouteType, page: PageRecord): void
}

export type RouteType = 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab' | 'navigateBack'

export class Router {
  private stack: PageRecord[] = []
  /** Tab pages that were opened and are kept alive while another tab is shown. */
  private readonly tabs = new Map<string, PageRecord>()
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly host: RouterHost) {}

  get pageStack(): readonly PageRecord[] {
    return this.stack
  }

  get current(): PageRecord | undefined {
    return this.stack[this.stack.length - 1]
  }

  findPage(pageId: number): PageRecord | undefined {
    return (
      this.stack.find((p) => p.pageId === pageId) ??
      [...this.tabs.values()].find((p) => p.pageId === pageId)
    )
  }

  /** Resolves with the opener's end of the EventChannel (navigateTo's res.eventChannel). */
  navigateTo(url: string, events: Record<string, unknown> = {}): Promise<EventChannel> {
    return this.serial(() => {
      const target = this.target('navigateTo', url)
      if (this.isTab(target.route))
        throw new WxFail('navigateTo', 'can not navigateTo a tabbar page')
      if (this.stack.length >= MAX_STACK)
        throw new WxFail('navigateTo', 'webview count limit exceed')
      const channel = createEventChannelPair(events)
      this.hideCurrent()
      this.open('navigateTo', target.route, target.query, channel.opened)
      return channel.opener
    })
  }

  redirectTo(url: string): Promise<void> {
    return this.serial(() => {
      const target = this.target('redirectTo', url)
      if (this.isTab(target.route))
        throw new WxFail('redirectTo', 'can not redirectTo a tabbar page')
      const old = this.stack.pop()
      if (old) this.close(old)
      this.open('redirectTo', target.route, target.query)
    })
  }

  reLaunch(url: string): Promise<void> {
    return this.serial(() => {
      const target = this.target('reLaunch', url)
      // Every page closes, the top one first, including tab pages kept alive.
      for (const p of [...this.stack].reverse()) p.unload()
      for (const p of this.tabs.values()) p.unload()
      this.stack = []
      this.tabs.clear()
      this.open('reLaunch', target.route, target.query)
    })
  }

  switchTab(url: string): Promise<void> {
    return this.serial(() => {
      const target = this.target('switchTab', url.split('?')[0] ?? url)
      if (!this.isTab(target.route))
        throw new WxFail('switchTab', 'can not switch to no-tabBar page')
      const current = this.current
      if (current && current.route === target.route && this.stack.length === 1) return
      // Non-tab pages close; the current tab page (if the bottom one) only hides.
      // A tab page below the top was already hidden when the page above it opened.
      for (const p of [...this.stack].reverse()) {
        if (this.tabs.get(p.route) !== p) p.unload()
        else if (p === current) p.call('onHide')
        p.setVisible(false)
      }
      this.stack = []
      const kept = this.tabs.get(target.route)
      if (kept) {
        this.stack = [kept]
        kept.setVisible(true)
        kept.call('onShow')
        this.host.onRouteDone?.('switchTab', kept)
      } else {
        this.open('switchTab', target.route, {})
      }
    })
  }

  navigateBack(delta = 1): Promise<void> {
    return this.serial(() => {
      if (this.stack.length <= 1)
        throw new WxFail('navigateBack', 'cannot navigate back at first page.')
      const n = Math.min(Math.max(1, Math.floor(delta)), this.stack.length - 1)
      for (let i = 0; i < n; i++) {
        const p = this.stack.pop()!
        this.close(p)
      }
      const top = this.current!
      top.setVisible(true)
      top.call('onShow')
      this.host.onRouteDone?.('navigateBack', top)
    })
  }

  private serial<T>(fn: () => T): Promise<T> {
    const run = this.queue.then(async () => {
      // Route changes never happen inside the caller's stack frame, as in WeChat.
      await Promise.resolve()
      return fn()
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  private target(api: RouteType, url: string): { route: string; query: Record<string, string> } {
    if (typeof url !== 'string' || url === '')
      throw new WxFail(api, 'parameter error: url is required')
    const t = parseUrl(url, this.current?.route)
    if (!this.host.pages.includes(t.route)) throw new WxFail(api, `page "${t.route}" is not found`)
    return t
  }

  private isTab(route: string): boolean {
    return this.host.tabBarPages.includes(route)
  }

  private hideCurrent(): void {
    const cur = this.current
    if (!cur) return
    cur.call('onHide')
    cur.setVisible(false)
  }

  private close(p: PageRecord): void {
    if (this.tabs.get(p.route) === p) this.tabs.delete(p.route)
    p.unload()
  }

  private open(
    type: RouteType,
    route: string,
    query: Record<string, string>,
    // Pages not opened by navigateTo still have a channel, with nobody at the other end.
    channel: EventChannel = createEventChannelPair().opened,
  ): PageRecord {
    const page = this.host.createPage(route, query, channel)
    this.stack.push(page)
    if (this.isTab(route)) this.tabs.set(route, page)
    page.call('onLoad', { ...query })
    page.call('onShow')
    page.call('onReady')
    this.host.onRouteDone?.(type, page)
    return page
  }
}
