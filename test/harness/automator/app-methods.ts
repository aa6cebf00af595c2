// App.*: page stack, wx calls and mocks, evaluate, console, bindings, screenshots.
import type { PageRecord } from '../runtime/page'
import { functionFromSource } from './evaluate'
import { forwardConsole } from './console-forward'
import { type HandlerTable, ProtocolError, toJson, unsupported } from './protocol'
import type { Session } from './session'
import { callWxMethod, mockWithFunction, mockWithResult } from './wx-call'

export function pageDescriptor(p: PageRecord): {
  pageId: number
  path: string
  query: Record<string, string>
} {
  return { pageId: p.pageId, path: p.route, query: { ...p.query } }
}

export function appMethods(s: Session): HandlerTable {
  let stopConsole: (() => void) | undefined
  return {
    'App.getPageStack': () => ({ pageStack: s.runtime.router.pageStack.map(pageDescriptor) }),
    'App.getCurrentPage': () => {
      const p = s.runtime.currentPage
      if (!p) throw new ProtocolError('no page is open')
      return pageDescriptor(p)
    },
    'App.callWxMethod': async (p) => {
      if (p.has('pluginId'))
        throw unsupported(
          'App.callWxMethod with pluginId',
          'miniProgram.callPluginWxMethod() needs a plugin, which only WeChat DevTools loads',
        )
      const result = await callWxMethod(s.runtime.facade, p.string('method'), p.array('args'))
      return { result: toJson(result) }
    },
    'App.mockWxMethod': (p) => {
      if (p.has('pluginId'))
        throw unsupported(
          'App.mockWxMethod with pluginId',
          'miniProgram.mockPluginWxMethod() / restorePluginWxMethod() need a plugin, which only WeChat DevTools loads',
        )
      const method = p.string('method')
      const facade = s.runtime.facade
      if (/^(on|off)[A-Z]/.test(method)) throw new ProtocolError("You can't mock wx.on*/off*")
      if (!facade.has(method)) throw new ProtocolError(`wx.${method} not exists`)
      if (p.has('functionDeclaration')) {
        facade.mock(
          method,
          mockWithFunction(facade, method, p.string('functionDeclaration'), p.array('args')),
        )
      } else if ('result' in p.raw) {
        facade.mock(method, mockWithResult(method, p.raw.result))
      } else {
        facade.restore(method)
      }
      return {}
    },
    'App.callFunction': async (p) => {
      const fn = functionFromSource(p.string('functionDeclaration'))
      try {
        return { result: toJson(await fn.call(undefined, ...p.array('args'))) }
      } catch (e) {
        throw new ProtocolError(e instanceof Error ? e.message : String(e))
      }
    },
    'App.enableLog': () => {
      s.logEnabled = true
      stopConsole ??= forwardConsole((type, args) => {
        if (s.logEnabled) s.emit('App.logAdded', { type, args })
      })
      return {}
    },
    'App.addBinding': (p) => {
      const name = p.string('name')
      ;(globalThis as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        s.emit('App.bindingCalled', { name, args: toJson(args) as unknown[] })
      }
      return {}
    },
    'App.exit': () => ({}),
    'App.captureScreenshot': async () => ({ data: await s.screenshot() }),
  }
}
