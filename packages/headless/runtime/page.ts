// One live page: its j-component root, the DOM container it is attached to, and the page
// lifecycles. Pages written with Component() keep onLoad/onShow/… in methods; Page() pages were
// converted to the same shape (page-definition.ts), so both are driven identically.
import type { EventChannel } from './event-channel'
import type { ExparserNode, MethodCaller, RootComponent } from './exparser'

export type PageLifecycle = 'onLoad' | 'onShow' | 'onReady' | 'onHide' | 'onUnload'

/** Page event handlers the runtime calls for a user's gesture (pull-down, scroll to the bottom). */
export type PageEventHandler = 'onPullDownRefresh' | 'onReachBottom'

let nextPageId = 1

export class PageRecord {
  readonly pageId = nextPageId++
  /** Set by wx.setNavigationBarTitle while this page is on top. */
  navigationBarTitle: string | undefined
  private unloaded = false

  constructor(
    readonly route: string,
    readonly query: Record<string, string>,
    readonly root: RootComponent,
    readonly container: HTMLElement,
    private readonly report: (e: unknown) => void,
    extras: { channel: EventChannel; tabBar?: RootComponent },
  ) {
    const inst = root.instance as MethodCaller & Record<string, unknown>
    // The fields WeChat puts on a page instance.
    inst.route = route
    inst.options = { ...query }
    inst.__wxWebviewId__ = this.pageId
    inst.getOpenerEventChannel = () => extras.channel
    // Only tab pages of an app with a custom tab bar have one (each its own instance).
    inst.getTabBar = () => extras.tabBar?.instance
    this.tabBar = extras.tabBar
  }

  private readonly tabBar: RootComponent | undefined

  get instance(): MethodCaller {
    return this.root.instance
  }

  get node(): ExparserNode {
    return this.root._exparserNode
  }

  get isUnloaded(): boolean {
    return this.unloaded
  }

  call(name: PageLifecycle | PageEventHandler, ...args: unknown[]): void {
    // A throwing lifecycle is a script error in WeChat, not a failed navigation.
    try {
      const fn = (this.instance as Record<string, unknown>)[name]
      if (typeof fn === 'function') (fn as (...a: unknown[]) => void).apply(this.instance, args)
      if (name === 'onShow' || name === 'onHide')
        this.pageLifetimes(name === 'onShow' ? 'show' : 'hide')
    } catch (e) {
      this.report(e)
    }
  }

  /**
   * pageLifetimes of the page itself and of every component inside it: exparser's
   * triggerPageLifeTime walks the whole tree (light and shadow) from the node it is given, so it
   * is called on the page alone; calling it on each component as well ran each handler twice.
   */
  private pageLifetimes(name: 'show' | 'hide'): void {
    this.node.triggerPageLifeTime?.(name, [])
  }

  setVisible(visible: boolean): void {
    this.container.style.display = visible ? '' : 'none'
  }

  unload(): void {
    if (this.unloaded) return
    this.unloaded = true
    this.call('onUnload')
    this.tabBar?.detach()
    this.root.detach()
    this.container.remove()
  }
}
