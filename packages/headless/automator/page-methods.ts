// Page.*: data and methods of a page instance, and element look-ups in its view.
import type { PageRecord } from '../runtime/page'
import { querySelectorAll, SelectorError } from '../runtime/selector'
import { type HandlerTable, type Params, ProtocolError, toJson, unsupported } from './protocol'
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

export async function callMethod(
  target: Record<string, unknown>,
  method: string,
  args: unknown[],
): Promise<unknown> {
  const fn = target[method]
  if (typeof fn !== 'function') throw new ProtocolError(`${method} not exists`)
  return toJson(await (fn as (...a: unknown[]) => unknown).apply(target, args))
}

const WINDOW = {
  document: {
    documentElement: {
      scrollWidth: 375,
      scrollHeight: 667,
      scrollTop: 0,
      clientWidth: 375,
      clientHeight: 667,
    },
    body: { scrollTop: 0 },
  },
  innerWidth: 375,
  innerHeight: 667,
}

export function pageMethods(s: Session): HandlerTable {
  return {
    'Page.getElement': (p) => {
      const page = findPage(s, p)
      const [first] = select(s, page.node, p.string('selector'))
      if (!first) throw new ProtocolError('no such element')
      return s.runtime.elements.describe(first)
    },
    'Page.getElements': (p) => {
      const page = findPage(s, p)
      return {
        elements: select(s, page.node, p.string('selector')).map((n) =>
          s.runtime.elements.describe(n),
        ),
      }
    },
    'Page.getElementByXpath': () => {
      throw unsupported('Page.getElementByXpath')
    },
    'Page.getElementsByXpath': () => {
      throw unsupported('Page.getElementsByXpath')
    },
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
    'Page.getWindowProperties': (p) => {
      findPage(s, p)
      return { properties: p.strings('names').map((n) => toJson(readPath(WINDOW, n))) }
    },
  }
}
