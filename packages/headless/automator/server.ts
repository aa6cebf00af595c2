// The automator WebSocket server: one envelope loop dispatching to the Tool/App/Page/Element
// method tables. Every method not in the tables answers "<Method> is not supported by the
// headless runtime".
import { WebSocketServer, type WebSocket } from 'ws'
import type { HeadlessRuntime } from '../runtime/runtime'
import type { Dialogs } from '../wx/dialogs'
import { appMethods } from './app-methods'
import { elementMethods } from './element-methods'
import { pageMethods } from './page-methods'
import { type HandlerTable, Params, parseRequest, ProtocolError, unsupported } from './protocol'
import type { Session } from './session'
import { toolMethods } from './tool-methods'

export interface AutomatorServerOptions {
  runtime: HeadlessRuntime
  dialogs?: Dialogs
  /** 0 picks a free port. */
  port: number
  host?: string
  screenshot?: () => Promise<string>
  beforeAnswer?: Session['beforeAnswer']
  /** Called after Tool.close was answered. */
  onClose?: () => void
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message
  if (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { errMsg?: unknown }).errMsg === 'string'
  ) {
    return (e as { errMsg: string }).errMsg
  }
  return String(e)
}

export class AutomatorServer {
  private readonly wss: WebSocketServer
  private readonly clients = new Set<WebSocket>()
  private readonly clientListeners = new Set<(count: number) => void>()
  readonly session: Session
  readonly methods: HandlerTable

  private constructor(
    wss: WebSocketServer,
    private readonly options: AutomatorServerOptions,
  ) {
    this.wss = wss
    this.session = {
      runtime: options.runtime,
      ...(options.dialogs ? { dialogs: options.dialogs } : {}),
      ...(options.beforeAnswer ? { beforeAnswer: options.beforeAnswer } : {}),
      logEnabled: false,
      emit: (method, params) => this.broadcast(method, params),
      screenshot:
        options.screenshot ?? (() => Promise.reject(unsupported('App.captureScreenshot'))),
      close: () => {
        void this.close().then(() => options.onClose?.())
      },
    }
    this.methods = {
      ...toolMethods(this.session),
      ...appMethods(this.session),
      ...pageMethods(this.session),
      ...elementMethods(this.session),
    }
    options.runtime.on('exception', (e) => this.broadcast('App.exceptionThrown', e))
    wss.on('connection', (ws) => this.accept(ws))
  }

  static listen(options: AutomatorServerOptions): Promise<AutomatorServer> {
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({ port: options.port, host: options.host ?? '127.0.0.1' })
      wss.once('error', reject)
      wss.once('listening', () => resolve(new AutomatorServer(wss, options)))
    })
  }

  get port(): number {
    const addr = this.wss.address()
    return typeof addr === 'object' && addr !== null ? addr.port : this.options.port
  }

  get wsEndpoint(): string {
    return `ws://127.0.0.1:${this.port}`
  }

  /** Handles one request as the WebSocket loop does (also used by tests). */
  async handle(
    method: string,
    params: Record<string, unknown>,
  ): Promise<{ result: unknown } | { error: { message: string } }> {
    const handler = this.methods[method]
    try {
      if (!handler) throw unsupported(method)
      const result = await handler(new Params(method, params))
      return { result: result ?? {} }
    } catch (e) {
      return { error: { message: e instanceof ProtocolError ? e.message : messageOf(e) } }
    }
  }

  close(): Promise<void> {
    // Tool.close was answered already: drop connections at once (a graceful close handshake
    // would keep the process alive until the client answers it).
    for (const ws of this.clients) ws.terminate()
    return new Promise((resolve) => this.wss.close(() => resolve()))
  }

  /** Called with the number of connected clients whenever one connects or leaves. */
  onClients(listener: (count: number) => void): void {
    this.clientListeners.add(listener)
  }

  private accept(ws: WebSocket): void {
    this.clients.add(ws)
    for (const l of this.clientListeners) l(this.clients.size)
    ws.on('close', () => {
      this.clients.delete(ws)
      for (const l of this.clientListeners) l(this.clients.size)
    })
    ws.on('message', (data) => {
      const req = parseRequest(String(data))
      if (!req) return
      void this.handle(req.method, req.params).then((answer) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: req.id, ...answer }))
      })
    })
  }

  private broadcast(method: string, params: Record<string, unknown>): void {
    const msg = JSON.stringify({ method, params })
    for (const ws of this.clients) if (ws.readyState === ws.OPEN) ws.send(msg)
  }
}
