// Element.*: look-ups inside an element, its DOM/WXML/properties, and user input (tap, touches,
// typing, custom events). Taps run inside the fake wx's tap gesture, so tap-only APIs called
// synchronously by the handler work, and built-in buttons start their platform flows.
import type { ExparserNode, MethodCaller } from '../runtime/exparser'
import { fireEvent, touchPoint, type Touch } from '../runtime/events'
import { attribute, attributes, innerText, isCustomComponent, tagName } from '../runtime/tree'
import type { ScrollPosition } from '../runtime/layout'
import { layoutOf } from '../runtime/layout'
import { scrollScrollView } from '../runtime/scroll-view'
import { readPath } from './data-path'
import { callMethod, findPage, select } from './page-methods'
import { videoContextMethod } from './video-context'
import { type HandlerTable, type Params, ProtocolError, toJson, unsupported } from './protocol'
import type { Session } from './session'
import { toWxml } from './wxml'

const LONGPRESS_MS = 350

/** DOM properties that only a layout engine knows (jsdom answers 0): asked of the browser. */
const LAYOUT_PROPERTIES = new Set([
  'offsetWidth',
  'offsetHeight',
  'offsetLeft',
  'offsetTop',
  'clientWidth',
  'clientHeight',
  'clientLeft',
  'clientTop',
  'scrollWidth',
  'scrollHeight',
  'scrollLeft',
  'scrollTop',
])

const camel = (s: string): string => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())

function touches(p: Params, name: string): Record<string, number>[] {
  return p
    .array(name)
    .map((t) => touchPoint(typeof t === 'object' && t !== null ? (t as Touch) : {}))
}

export function elementMethods(s: Session): HandlerTable {
  const rt = s.runtime
  const touchStarts = new WeakMap<ExparserNode, number>()

  const node = (p: Params): ExparserNode => {
    findPage(s, p)
    const n = rt.elements.get(p.string('elementId'))
    if (!n) throw new ProtocolError('element destroyed')
    return n
  }
  /** The element's geometry and the asked styles / DOM properties, from the layout browser. */
  const measure = async (p: Params, o: { styles?: string[]; properties?: string[] } = {}) => {
    const page = findPage(s, p)
    try {
      return await layoutOf(rt).measureOne(page, node(p), o)
    } catch (e) {
      if (e instanceof ProtocolError) throw e
      throw new ProtocolError(`${p.method}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  const onTag = (n: ExparserNode, fn: string): void => {
    const want = fn.split('.')[0]
    if (tagName(n) !== want) throw new ProtocolError(`${fn}: element is a ${tagName(n)}`)
  }
  const caller = (n: ExparserNode): MethodCaller => {
    const c = isCustomComponent(rt.exparser, n) ? rt.exparser.Element.getMethodCaller(n) : undefined
    if (!c) throw new ProtocolError('element is not a custom component')
    return c
  }
  const tap = (n: ExparserNode, detail: Record<string, number> = { x: 0, y: 0 }): void => {
    const point = [touchPoint(detail)]
    rt.runAsTap(() =>
      rt.builtins.tap(n, () =>
        fireEvent(rt.exparser, n, 'tap', detail, { touches: point, changedTouches: point }),
      ),
    )
  }
  const publicProps = (n: ExparserNode): Record<string, boolean> => {
    const props: Record<string, boolean> = {}
    for (const name of attributes(n).keys()) props[camel(name)] = true
    for (const name of ['value', 'checked', 'disabled']) props[name] = true
    if (isCustomComponent(rt.exparser, n)) {
      for (const name of rt.exparser.Component.listPublicProperties?.(n) ?? []) props[name] = true
    }
    return props
  }
  const property = (n: ExparserNode, name: string): unknown => {
    if (name === '__propPublic') return publicProps(n)
    // MovableViewElement.property('x' / 'y') reads these (the view's current translation).
    if (tagName(n) === 'movable-view' && (name === '_translateX' || name === '_translateY'))
      return layoutOf(rt).movablePosition(n)[name === '_translateX' ? 'x' : 'y']
    if (name === 'value') return rt.builtins.value(n)
    if (isCustomComponent(rt.exparser, n)) {
      const data = rt.exparser.Element.getMethodCaller(n)?.data
      if (data && name in data) return data[name]
    }
    return attribute(n, name)
  }
  const domProperty = (n: ExparserNode, name: string): unknown => {
    if (name === 'innerText') return innerText(n)
    if (name === 'value') return rt.builtins.value(n)
    const dom = n.$$ as unknown as Record<string, unknown> | null | undefined
    return dom ? dom[name] : undefined
  }

  return {
    'Element.getElement': (p) => {
      const [first] = select(s, node(p), p.string('selector'))
      if (!first) throw new ProtocolError('no such element')
      return rt.elements.describe(first)
    },
    'Element.getElements': (p) => ({
      elements: select(s, node(p), p.string('selector')).map((n) => rt.elements.describe(n)),
    }),
    'Element.getDOMProperties': async (p) => {
      const n = node(p)
      const names = p.strings('names')
      const layoutNames = names.filter((name) => LAYOUT_PROPERTIES.has(name))
      const measured =
        layoutNames.length > 0 ? (await measure(p, { properties: layoutNames })).properties : []
      return {
        properties: names.map((name) =>
          LAYOUT_PROPERTIES.has(name)
            ? measured[layoutNames.indexOf(name)]
            : toJson(domProperty(n, name)),
        ),
      }
    },
    'Element.getProperties': (p) => {
      const n = node(p)
      return { properties: p.strings('names').map((name) => toJson(property(n, name))) }
    },
    'Element.getAttributes': (p) => {
      const n = node(p)
      return {
        attributes: p.strings('names').map((name) => {
          const v = name === 'class' ? (attribute(n, 'class') ?? '') : attribute(n, name)
          return v === undefined || v === null ? null : String(v)
        }),
      }
    },
    // Computed by Chromium on the page as the screenshot paints it: CSS variables resolved.
    'Element.getStyles': async (p) => ({
      styles: (await measure(p, { styles: p.strings('names') })).styles,
    }),
    // The element's position in its page's document (scrolling included), in px.
    'Element.getOffset': async (p) => (await measure(p)).offset,
    'Element.getWXML': (p) => {
      const n = node(p)
      return { wxml: toWxml(n, p.optionalString('type') === 'outer') }
    },
    'Element.tap': (p) => {
      tap(node(p))
      return {}
    },
    'Element.touchstart': (p) => {
      const n = node(p)
      touchStarts.set(n, Date.now())
      fireEvent(
        rt.exparser,
        n,
        'touchstart',
        {},
        { touches: touches(p, 'touches'), changedTouches: touches(p, 'changedTouches') },
      )
      return {}
    },
    'Element.touchmove': (p) => {
      const n = node(p)
      touchStarts.delete(n)
      fireEvent(
        rt.exparser,
        n,
        'touchmove',
        {},
        { touches: touches(p, 'touches'), changedTouches: touches(p, 'changedTouches') },
      )
      return {}
    },
    'Element.touchend': (p) => {
      const n = node(p)
      fireEvent(
        rt.exparser,
        n,
        'touchend',
        {},
        { touches: touches(p, 'touches'), changedTouches: touches(p, 'changedTouches') },
      )
      const started = touchStarts.get(n)
      touchStarts.delete(n)
      if (started === undefined) return {}
      // A short touch is a tap; a long one is a longpress (which cancels the tap), as on devices.
      if (Date.now() - started >= LONGPRESS_MS) fireEvent(rt.exparser, n, 'longpress', {})
      else tap(n)
      return {}
    },
    'Element.triggerEvent': (p) => {
      const n = node(p)
      fireEvent(rt.exparser, n, p.string('type'), p.raw.detail ?? {}, { bubbles: false })
      return {}
    },
    'Element.dispatchEvent': (p) => {
      const n = node(p)
      const name = p.string('eventName')
      if (name === 'tap') tap(n)
      else
        fireEvent(rt.exparser, n, name, p.raw.detail ?? {}, {
          touches: touches(p, 'touches'),
          changedTouches: touches(p, 'changedTouches'),
        })
      return {}
    },
    'Element.callFunction': async (p) => {
      const n = node(p)
      const fn = p.string('functionName')
      const args = p.array('args')
      const tag = tagName(n)
      switch (fn) {
        case 'input.input':
        case 'textarea.input':
          if (tag !== fn.split('.')[0]) throw new ProtocolError(`${fn}: element is a ${tag}`)
          rt.builtins.input(n, String(args[0] ?? ''))
          return { result: null }
        case 'switch.tap':
          onTag(n, fn)
          rt.runAsTap(() => rt.builtins.choices.operate(n))
          return { result: null }
        case 'slider.slideTo':
          onTag(n, fn)
          rt.builtins.slide(n, Number(args[0]))
          return { result: null }
        case 'swiper.swipeTo':
          onTag(n, fn)
          rt.builtins.swipe(n, Number(args[0]))
          return { result: null }
        case 'scroll-view.scrollTo':
          onTag(n, fn)
          await scrollScrollView(rt, findPage(s, p), n, Number(args[0] ?? 0), Number(args[1] ?? 0))
          return { result: null }
        case 'scroll-view.scrollTop':
        case 'scroll-view.scrollLeft':
        case 'scroll-view.scrollWidth':
        case 'scroll-view.scrollHeight': {
          onTag(n, fn)
          const key = fn.slice('scroll-view.'.length) as keyof ScrollPosition
          return { result: (await measure(p)).scroll[key] }
        }
        case 'movable-view.moveTo': {
          onTag(n, fn)
          const reached = await layoutOf(rt).moveElement(
            findPage(s, p),
            n,
            Number(args[0] ?? 0),
            Number(args[1] ?? 0),
          )
          fireEvent(rt.exparser, n, 'change', { ...reached, source: '' }, { bubbles: false })
          return { result: null }
        }
        default:
          throw unsupported(`Element.callFunction ${fn}`)
      }
    },
    'Element.getData': (p) => {
      const data = caller(node(p)).data
      const path = p.optionalString('path')
      return { data: toJson(path ? readPath(data, path) : data) }
    },
    'Element.setData': (p) => {
      caller(node(p)).setData(p.object('data'))
      return {}
    },
    'Element.callMethod': async (p) => ({
      result: await callMethod(caller(node(p)), p.string('method'), p.array('args')),
    }),
    'Element.callContextMethod': (p) => ({
      result: toJson(videoContextMethod(rt.exparser, node(p), p.string('method'), p.array('args'))),
    }),
  }
}
