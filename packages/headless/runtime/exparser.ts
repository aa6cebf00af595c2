// Typed views of the untyped engines underneath miniprogram-simulate: miniprogram-exparser (the
// base library's component framework) and j-component's RootComponent. Only what the runtime uses.

export interface VirtualTree {
  tagName?: string
  componentId?: string
  attrs?: Array<{ name: string; value: unknown }>
  event?: Record<string, { name: string; isCapture?: boolean; isCatch?: boolean }>
}

export interface ExparserNode {
  parentNode: ExparserNode | null
  childNodes: ExparserNode[]
  shadowRoot?: ExparserNode | null
  ownerShadowRoot?: ExparserNode | null
  __virtual?: boolean
  __wxSlotChildren?: ExparserNode[]
  $$?: HTMLElement | null
  id?: string
  is?: string
  dataset?: Record<string, unknown>
  textContent?: string
  classList?: { toString(): string }
  _vt?: VirtualTree
  data?: Record<string, unknown>
  triggerPageLifeTime?(name: string, args: unknown[]): void
}

/** The `this` of a page or component: data, setData, methods. */
export interface MethodCaller {
  data: Record<string, unknown>
  setData(data: Record<string, unknown>, cb?: () => void): void
  [key: string]: unknown
}

export interface ExparserEvent {
  readonly type: string
}

export interface Exparser {
  /** Errors thrown by handlers and lifetimes that exparser catches itself. */
  addGlobalErrorListener?(fn: (err: unknown, info?: unknown) => boolean | void): void
  Component: {
    new (...a: never[]): unknown
    hasPublicProperty(node: ExparserNode, name: string): boolean
    listPublicProperties?(node: ExparserNode): string[]
  }
  Element: {
    new (...a: never[]): unknown
    getMethodCaller(node: ExparserNode): MethodCaller | undefined
    setMethodCaller(node: ExparserNode, caller: MethodCaller): void
    pretendDetached(node: ExparserNode): void
  }
  TextNode: new (...a: never[]) => unknown
  Event: {
    create(
      name: string,
      detail: unknown,
      options: {
        bubbles?: boolean
        composed?: boolean
        capturePhase?: boolean
        originalEvent?: unknown
        extraFields?: Record<string, unknown>
      },
    ): ExparserEvent
    dispatchEvent(target: ExparserNode, event: ExparserEvent): void
  }
}

export interface RootComponent {
  readonly dom: HTMLElement
  readonly instance: MethodCaller
  readonly _exparserNode: ExparserNode
  attach(parent: HTMLElement): void
  detach(): void
  triggerPageLifeTime(name: string, ...args: unknown[]): void
}

export interface Simulate {
  load(path: string, tagName: string, options: Record<string, unknown>): string
  render(id: string, props?: Record<string, unknown>): RootComponent | undefined
}

export function isComponentNode(exparser: Exparser, n: ExparserNode): boolean {
  return n instanceof exparser.Component
}

export function isTextNode(exparser: Exparser, n: ExparserNode): boolean {
  return n instanceof exparser.TextNode
}
