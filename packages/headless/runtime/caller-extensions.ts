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

/** The CSS properties animate() set on each element, which clearAnimation() removes. */
const animated = new WeakMap<ExparserNode, Set<string>>()

function applyCss(node: ExparserNode, css: Record<string, string>): void {
  const el = node.$$
  if (!el) return
  let props = animated.get(node)
  if (!props) animated.set(node, (props = new Set()))
  for (const [k, v] of Object.entries(css)) {
    el.style.setProperty(k, v)
    props.add(k)
  }
}

/** The CSS property a clearAnimation() option names (every transform key clears `transform`). */
function clearedProperty(option: string): string {
  if (/^(translate|rotate|scale|skew|matrix)/.test(option)) return 'transform'
  return option === 'zIndex' ? 'z-index' : option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
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
  // No interpolation (jsdom has no Web Animations): the first keyframe applies at once, the last
  // when the animation ends, `duration` ms later (the runtime's clock), just before the callback.
  caller.animate = (
    selector: string,
    keyframes: Keyframe[],
    duration: number,
    callback?: unknown,
  ): void => {
    const nodes = root()?.querySelectorAll(selector) ?? []
    const first = keyframeToCss(keyframes[0] ?? {})
    const last = keyframeToCss(keyframes[keyframes.length - 1] ?? {})
    for (const n of nodes) applyCss(n, first)
    clearTimeout(timers.get(selector))
    // A scroll-driven animation (a ScrollTimeline in place of the callback) stays at its start.
    if (typeof callback === 'object' && callback !== null) return
    timers.set(
      selector,
      setTimeout(
        () => {
          timers.delete(selector)
          for (const n of nodes) applyCss(n, last)
          if (typeof callback === 'function') (callback as () => void).call(caller)
        },
        Number(duration) || 0,
      ),
    )
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
    // Without options every property the animations set is removed, as WeChat's clearAnimation.
    for (const n of root()?.querySelectorAll(selector) ?? []) {
      const style = n.$$?.style
      const props = animated.get(n)
      if (!style || !props) continue
      const cleared = which
        ? Object.entries(which)
            .filter(([, clear]) => clear)
            .map(([option]) => clearedProperty(option))
        : [...props]
      for (const prop of cleared) {
        style.removeProperty(prop)
        props.delete(prop)
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
