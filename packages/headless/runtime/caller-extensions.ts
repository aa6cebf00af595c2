// What WeChat's base library puts on every page's and component's `this` beyond what j-component
// gives: selectComponent answering null when nothing matches (j-component throws), and
// animate()/clearAnimation() (absent in j-component). Pages get more in page.ts (getTabBar,
// getOpenerEventChannel). Installed by wrapping exparser's setMethodCaller, which j-component's
// initiator calls once for every instance it creates.
import type { Exparser, ExparserNode, MethodCaller } from './exparser'

interface QueryRoot {
  querySelector(selector: string): ExparserNode | null
  querySelectorAll(selector: string): ExparserNode[]
}

type Keyframe = Record<string, unknown>

/** A keyframe of this.animate() → CSS declarations (the properties WeChat documents). */
export function keyframeToCss(frame: Keyframe): Record<string, string> {
  const css: Record<string, string> = {}
  const transforms: string[] = []
  const px = (v: unknown): string => (typeof v === 'number' ? `${v}px` : String(v))
  for (const [key, value] of Object.entries(frame)) {
    if (value === undefined || key === 'offset' || key === 'ease') continue
    switch (key) {
      case 'translate':
      case 'translate3d':
      case 'scale':
      case 'scale3d':
      case 'rotate3d': {
        const args = Array.isArray(value) ? value : [value]
        const unit = key.startsWith('translate') ? px : String
        transforms.push(`${key}(${args.map(unit).join(', ')})`)
        break
      }
      case 'translateX':
      case 'translateY':
      case 'translateZ':
        transforms.push(`${key}(${px(value)})`)
        break
      case 'rotate':
      case 'rotateX':
      case 'rotateY':
      case 'rotateZ':
      case 'skew':
      case 'skewX':
      case 'skewY':
        transforms.push(`${key}(${typeof value === 'number' ? `${value}deg` : String(value)})`)
        break
      case 'scaleX':
      case 'scaleY':
      case 'scaleZ':
        transforms.push(`${key}(${String(value)})`)
        break
      case 'opacity':
      case 'zIndex':
        css[key === 'zIndex' ? 'z-index' : key] = String(value)
        break
      case 'matrix':
      case 'matrix3d':
        transforms.push(`${key}(${(Array.isArray(value) ? value : [value]).join(', ')})`)
        break
      default:
        css[key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)] = px(value)
    }
  }
  if (transforms.length > 0) css.transform = transforms.join(' ')
  return css
}

function applyCss(node: ExparserNode, css: Record<string, string>): void {
  const el = node.$$
  if (!el) return
  for (const [k, v] of Object.entries(css)) el.style.setProperty(k, v)
}

function extend(caller: MethodCaller): void {
  const node = caller._exparserNode as
    (ExparserNode & { shadowRoot?: QueryRoot | null }) | undefined
  const root = (): QueryRoot | undefined => node?.shadowRoot ?? undefined
  const original = caller.selectComponent as ((s: string) => unknown) | undefined
  if (original) {
    caller.selectComponent = (selector: string): unknown =>
      root()?.querySelector(selector) ? original(selector) : null
  }
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  // The final keyframe's styles apply at once (jsdom has no Web Animations); the callback runs
  // when the animation would have ended.
  caller.animate = (
    selector: string,
    keyframes: Keyframe[],
    duration: number,
    callback?: () => void,
  ): void => {
    const last = keyframes[keyframes.length - 1] ?? {}
    const css = keyframeToCss(last)
    for (const n of root()?.querySelectorAll(selector) ?? []) applyCss(n, css)
    if (typeof callback === 'function') {
      clearTimeout(timers.get(selector))
      timers.set(
        selector,
        setTimeout(() => {
          timers.delete(selector)
          callback.call(caller)
        }, duration),
      )
    }
  }
  caller.clearAnimation = (
    selector: string,
    options?: Record<string, boolean> | (() => void),
    callback?: () => void,
  ): void => {
    clearTimeout(timers.get(selector))
    timers.delete(selector)
    const done = typeof options === 'function' ? options : callback
    const which = typeof options === 'object' && options !== null ? options : undefined
    for (const n of root()?.querySelectorAll(selector) ?? []) {
      const style = n.$$?.style
      if (!style) continue
      if (!which) {
        style.removeProperty('transform')
        style.removeProperty('opacity')
        continue
      }
      for (const [prop, clear] of Object.entries(which)) {
        if (!clear) continue
        const transformKey = /^(translate|rotate|scale|skew|matrix)/.test(prop)
        style.removeProperty(
          transformKey ? 'transform' : prop.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
        )
      }
    }
    if (typeof done === 'function') void Promise.resolve().then(() => done.call(caller))
  }
}

let installed = false

export function installCallerExtensions(exparser: Exparser): void {
  if (installed) return
  installed = true
  const setMethodCaller = exparser.Element.setMethodCaller.bind(exparser.Element)
  exparser.Element.setMethodCaller = (node, caller) => {
    extend(caller)
    setMethodCaller(node, caller)
  }
}
