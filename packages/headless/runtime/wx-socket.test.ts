// wx.connectSocket as an app calls it: a routed wss:// origin reaches a loopback echo server;
// an unrouted one fails with the reason.
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { BASIC_PROJECT } from '../fixtures'
import { createRuntimeWx } from './fake-wx-bridge'
import { HeadlessRuntime } from './runtime'
import { NO_SOCKET_ROUTE } from './wx-socket'

type Listener = (res: Record<string, unknown>) => void
interface SocketTask {
  send(o: Record<string, unknown>): void
  close(o?: Record<string, unknown>): void
  onOpen(fn: Listener): void
  onMessage(fn: Listener): void
  onClose(fn: Listener): void
  onError(fn: Listener): void
}

let rt: HeadlessRuntime
let server: WebSocketServer
const connect = (o: Record<string, unknown>): SocketTask =>
  (rt.facade.wx.connectSocket as (o: Record<string, unknown>) => SocketTask)(o)

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((r) => server.once('listening', r))
  server.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo:${String(m)}`)))
  const port = (server.address() as AddressInfo).port
  const bridge = createRuntimeWx({
    routes: {
      'https://chat.shop.example': `http://127.0.0.1:${port}`,
      'http://plain.shop.example': `http://127.0.0.1:${port}`,
    },
  })
  rt = new HeadlessRuntime({ projectPath: BASIC_PROJECT, ...bridge.runtimeOptions })
  await rt.launch()
})

afterAll(() => new Promise<void>((r) => server.close(() => r())))

test('a routed socket opens, echoes and closes', async () => {
  const task = connect({ url: 'wss://chat.shop.example/live' })
  await new Promise((r) => task.onOpen(r))
  const message = new Promise<Record<string, unknown>>((r) => task.onMessage(r))
  const sent = await new Promise((r) => task.send({ data: 'hi', success: r }))
  expect(sent).toEqual({ errMsg: 'sendSocketMessage:ok' })
  expect(await message).toEqual({ data: 'echo:hi' })
  const closed = new Promise<Record<string, unknown>>((r) => task.onClose(r))
  task.close({ code: 1000, reason: 'bye' })
  expect(await closed).toMatchObject({ code: 1000 })
})

test('an unrouted socket fails with the reason', async () => {
  const fail = new Promise((r) => connect({ url: 'wss://elsewhere.example/x', fail: r }))
  expect(await fail).toEqual({ errMsg: `connectSocket:fail ${NO_SOCKET_ROUTE}` })
})

test('a ws:// URL follows the route of its http:// origin', async () => {
  const task = connect({ url: 'ws://plain.shop.example/live' })
  await new Promise((r) => task.onOpen(r))
  const message = new Promise<Record<string, unknown>>((r) => task.onMessage(r))
  task.send({ data: 'plain' })
  expect(await message).toEqual({ data: 'echo:plain' })
  const closed = new Promise<Record<string, unknown>>((r) => task.onClose(r))
  task.close({})
  await closed
})
