// Page.*: data and methods of a page instance, and element look-ups in its view.
import { layoutOf, type PageMetrics } from '../runtime/layout'
import type { PageRecord } from '../runtime/page'
import { querySelectorAll, SelectorError } from '../runtime/selector'
import { evaluateXPath, isXPath, XPathError } from '../runtime/xpath'
import { type HandlerTable, type Params, ProtocolError, toJson } from './protocol'
import type { Session } from './session'
import { readPath } from './data-path'

export function findPage(s: Session, p: Params): PageRecord {
  const page = s.runtime.router.findPage(p.number('pageId'))
  if (!page || page.isUnloaded) throw new ProtocolError('page destroyed')
  return page
}

export function select(
  s: Session,
  scope: Parameters<typeof querySelectorAll>[1],
  selector: string,
) {
  try {
    return querySelectorAll(s.runtime.exparser, scope, selector)
  } catch (e) {
    if (e instanceof SelectorError) throw new ProtocolError(e.message)
    throw e
  }
}

/** Elements of a page by XPath over its composed tree (see runtime/xpath.ts). */
function selectByXPath(s: Session, page: PageRecord, expression: string) {
  try {
    return evaluateXPath(s.runtime.exparser, page.node, expression)
  } catch (e) {
    if (e instanceof XPathError) throw new ProtocolError(e.message)
    throw e
  }
}

/**
 * page.$ / page.$$ of client 0.12 send XPath as any other selector (only xpath() and
 * getElement(s)ByXpath name it): a selector starting with '/' or '(' cannot be CSS, so it is
 * evaluated as XPath, as DevTools does.
 */
function selectOnPage(s: Session, page: PageRecord, selector: string) {
  return isXPath(selector) ? selectByXPath(s, page, selector) : select(s, page.node, selector)
}

export async function callMethod(
  target: Record<string, unknown>,
  method: string,
  args: unknown[],
): Promise<unknown> {
  const fn = target[method]
  if (typeof fn !== 'function') throw new ProtocolError(`${method} not exists`)
  return toJson(await (fn as (...a: unknown[]) => unknown).apply(target, args))
}

/**
 * The page's webview window as the client reads it (page.size(): documentElement.scrollWidth /
 * scrollHeight; page.scrollTop(): body.scrollTop || documentElement.scrollTop). In WeChat a page is
 * its own webview between the navigation bar and the tab bar; here, the laid-out page's scroller.
 */
function windowOf(m: PageMetrics) {
  const element = {
    scrollWidth: m.scrollWidth,
    scrollHeight: m.scrollHeight,
    scrollTop: m.scrollTop,
    scrollLeft: m.scrollLeft,
    clientWidth: m.clientWidth,
    clientHeight: m.clientHeight,
  }
  return {
    document: { documentElement: element, body: { ...element, scrollTop: 0, scrollLeft: 0 } },
    innerWidth: m.clientWidth,
    innerHeight: m.clientHeight,
    scrollX: m.scrollLeft,
    scrollY: m.scrollTop,
    pageXOffset: m.scrollLeft,
    pageYOffset: m.scrollTop,
  }
}

export function pageMethods(s: Session): HandlerTable {
  return {
    'Page.getElement': (p) => {
      const page = findPage(s, p)
      const [first] = selectOnPage(s, page, p.string('selector'))
      if (!first) throw new ProtocolError('no such element')
      return s.runtime.elements.describe(first)
    },
    'Page.getElements': (p) => {
      const page = findPage(s, p)
      return {
        elements: selectOnPage(s, page, p.string('selector')).map((n) =>
          s.runtime.elements.describe(n),
        ),
      }
    },
    'Page.getElementByXpath': (p) => {
      const [first] = selectByXPath(s, findPage(s, p), p.string('selector'))
      if (!first) throw new ProtocolError('no such element')
      return s.runtime.elements.describe(first)
    },
    'Page.getElementsByXpath': (p) => ({
      elements: selectByXPath(s, findPage(s, p), p.string('selector')).map((n) =>
        s.runtime.elements.describe(n),
      ),
    }),
    'Page.getData': (p) => {
      const data = findPage(s, p).instance.data
      const path = p.optionalString('path')
      return { data: toJson(path ? readPath(data, path) : data) }
    },
    'Page.setData': (p) => {
      findPage(s, p).instance.setData(p.object('data'))
      return {}
    },
    'Page.callMethod': async (p) => {
      const page = findPage(s, p)
      return { result: await callMethod(page.instance, p.string('method'), p.array('args')) }
    },
    'Page.getWindowProperties': async (p) => {
      const page = findPage(s, p)
      const names = p.strings('names')
      const win = windowOf(await layoutOf(s.runtime).pageMetrics(page))
      return { properties: names.map((n) => toJson(readPath(win, n))) }
    },
  }
}
