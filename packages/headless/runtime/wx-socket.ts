// wx.connectSocket(): a SocketTask over a real WebSocket, but only to where the runtime's network
// routes send the app's origin (a loopback test server); an unrouted URL fails clearly, as
// wx.request does without routes. The connection opens asynchronously, like WeChat's.
// https://developers.weixin.qq.com/miniprogram/dev/api/network/websocket/wx.connectSocket.html
// https://developers.weixin.qq.com/miniprogram/dev/api/network/websocket/SocketTask.html
import WebSocket from 'ws'

type Listener = (res: Record<string, unknown>) => void
interface Callbacks {
  success?: (res: { errMsg: string }) => void
  fail?: (res: { errMsg: string }) => void
  complete?: (res: { errMsg: string }) => void
}

/** Why connectSocket fails for a URL no route sends to a test server. */
export const NO_SOCKET_ROUTE =
  'the headless runtime opens sockets only through network routes (WX_SIM_ROUTES) to a test server'

function answer(o: Callbacks, errMsg: string, ok: boolean): void {
  if (ok) o.success?.({ errMsg })
  else o.fail?.({ errMsg })
  o.complete?.({ errMsg })
}

/** wx.connectSocket with `socketUrl` telling where a URL really goes (undefined: nowhere). */
export function connectSocket(
  socketUrl: (url: string) => string | undefined,
): (o?: Record<string, unknown> & Callbacks) => Record<string, unknown> {
  return (o = {}) => {
    const listeners = {
      Open: new Set<Listener>(),
      Message: new Set<Listener>(),
      Close: new Set<Listener>(),
      Error: new Set<Listener>(),
    }
    const emit = (event: keyof typeof listeners, res: Record<string, unknown>): void => {
      for (const l of [...listeners[event]]) l(res)
    }
    const url = typeof o.url === 'string' ? o.url : ''
    const target = socketUrl(url)
    let socket: WebSocket | undefined
    if (target === undefined) {
      const errMsg = `connectSocket:fail ${url ? NO_SOCKET_ROUTE : 'parameter error: parameter.url should be String'}`
      queueMicrotask(() => {
        answer(o, errMsg, false)
        emit('Error', { errMsg })
      })
    } else {
      const headers = (o.header ?? {}) as Record<string, string>
      const protocols = Array.isArray(o.protocols) ? o.protocols.map(String) : undefined
      socket = new WebSocket(target, protocols, { headers })
      queueMicrotask(() => answer(o, 'connectSocket:ok', true))
      socket.on('open', () => emit('Open', { header: {}, profile: {} }))
      socket.on('message', (data, isBinary) =>
        emit('Message', {
          data: isBinary ? toArrayBuffer(data) : Buffer.from(toArrayBuffer(data)).toString(),
        }),
      )
      socket.on('close', (code, reason) => emit('Close', { code, reason: reason.toString() }))
      socket.on('error', (e) => emit('Error', { errMsg: e.message }))
    }
    const task: Record<string, unknown> = {
      send: (s: { data?: unknown } & Callbacks = {}) => {
        if (socket?.readyState !== WebSocket.OPEN)
          return answer(s, 'sendSocketMessage:fail WebSocket is not connected', false)
        const data = s.data instanceof ArrayBuffer ? Buffer.from(s.data) : String(s.data ?? '')
        socket.send(data, (e) =>
          answer(s, e ? `sendSocketMessage:fail ${e.message}` : 'sendSocketMessage:ok', !e),
        )
      },
      close: (c: { code?: number; reason?: string } & Callbacks = {}) => {
        socket?.close(c.code ?? 1000, c.reason ?? '')
        queueMicrotask(() => answer(c, 'closeSocket:ok', true))
      },
    }
    for (const event of Object.keys(listeners) as Array<keyof typeof listeners>) {
      task[`on${event}`] = (fn: unknown) => {
        if (typeof fn === 'function') listeners[event].add(fn as Listener)
      }
      task[`off${event}`] = (fn?: unknown) => {
        if (typeof fn === 'function') listeners[event].delete(fn as Listener)
        else listeners[event].clear()
      }
    }
    return task
  }
}

function toArrayBuffer(data: WebSocket.RawData): ArrayBuffer {
  const bytes = Array.isArray(data)
    ? Buffer.concat(data)
    : data instanceof ArrayBuffer
      ? Buffer.from(data)
      : data
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/**
 * Where the app's socket URL goes: its ws(s) origin is routed like the http(s) one
 * (wss://api.shop.example → the route of https://api.shop.example, as ws://); unrouted: nowhere.
 */
export function routedSocketUrl(
  url: string,
  route: (httpUrl: string) => string,
): string | undefined {
  const match = /^ws(s?):\/\//i.exec(url)
  if (!match) return undefined
  const asHttp = `http${match[1] ?? ''}://${url.slice(match[0].length)}`
  const routed = route(asHttp)
  if (routed === asHttp) return undefined
  return routed.replace(/^http/i, 'ws')
}
