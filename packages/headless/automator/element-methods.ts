// Element.*: look-ups inside an element, its DOM/WXML/properties, and user input (tap, touches,
// typing, custom events). Taps run inside the fake wx's tap gesture, so tap-only APIs called
// synchronously by the handler work, and built-in buttons start their platform flows.
import type { ExparserNode, MethodCaller } from '../runtime/exparser'
import { fireEvent, touchPoint, type Touch } from '../runtime/events'
import { attribute, attributes, innerText, isCustomComponent, tagName } from '../runtime/tree'
import { readPath } from './data-path'
import { callMethod, findPage, select } from './page-methods'
import { type HandlerTable, type Params, ProtocolError, toJson, unsupported } from './protocol'
import type { Session } from './session'
import { toWxml } from './wxml'

const LONGPRESS_MS = 350

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
    'Element.getDOMProperties': (p) => {
      const n = node(p)
      return { properties: p.strings('names').map((name) => toJson(domProperty(n, name))) }
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
    'Element.getStyles': (p) => {
      const n = node(p)
      const style = n.$$ ? getComputedStyle(n.$$) : undefined
      return {
        styles: p
          .strings('names')
          .map(
            (name) =>
              style?.getPropertyValue(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)) ?? '',
          ),
      }
    },
    'Element.getOffset': (p) => {
      const dom = node(p).$$
      // jsdom has no layout: offsets are what it reports (0 unless set).
      return { left: dom?.offsetLeft ?? 0, top: dom?.offsetTop ?? 0 }
    },
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
    'Element.callFunction': (p) => {
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
        case 'switch.tap': {
          const checked = !(rt.builtins.value(n) === true)
          rt.runAsTap(() =>
            fireEvent(rt.exparser, n, 'change', { value: checked }, { bubbles: false }),
          )
          return { result: null }
        }
        case 'slider.slideTo':
          fireEvent(rt.exparser, n, 'change', { value: args[0] }, { bubbles: false })
          return { result: null }
        case 'swiper.swipeTo':
          fireEvent(
            rt.exparser,
            n,
            'change',
            { current: args[0], source: 'touch' },
            { bubbles: false },
          )
          return { result: null }
        case 'scroll-view.scrollTop':
        case 'scroll-view.scrollLeft':
          return { result: 0 }
        case 'scroll-view.scrollWidth':
          return { result: 375 }
        case 'scroll-view.scrollHeight':
          return { result: n.$$?.scrollHeight ?? 0 }
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
  }
}
