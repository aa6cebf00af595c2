// SIGTERM with keep-alive clients: the request in flight is answered, the idle keep-alive
// connection is closed by the server, and the process exits 0 (it used to wait out its 10 s
// limit on the idle connection and exit 1).
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { startServer, type RunningServer } from './server-process'

jest.setTimeout(60_000)

let dataDir: string
let server: RunningServer | null = null

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxkit-shutdown-'))
})

afterEach(() => {
  if (server !== null && server.child.exitCode === null) server.child.kill('SIGKILL')
  server = null
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function get(
  agent: http.Agent,
  base: string,
  p: string,
): Promise<{ statusCode: number | undefined; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${p}`, { agent }, (res) => {
      res.resume()
      res.on('end', () => resolve({ statusCode: res.statusCode, socket: req.socket! }))
    })
    req.on('error', reject)
  })
}

/** A raw connection, to hold a request half-sent. */
function connect(base: string): Promise<net.Socket> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname, () => {
      // A write racing the server's close may fail (EPIPE): the answer read so far is what counts.
      s.on('error', () => undefined)
      resolve(s)
    })
    s.once('error', reject)
  })
}

function readAll(socket: net.Socket): Promise<string> {
  let text = ''
  socket.on('data', (d: Buffer) => (text += d.toString('utf8')))
  return new Promise((resolve) => socket.once('close', () => resolve(text)))
}

test('SIGTERM answers the request in flight, closes idle keep-alive connections and exits 0', async () => {
  // Development mode: the simulated WeChat maps any login code to the local dev user.
  server = await startServer({ NODE_ENV: 'development', DATA_DIR: dataDir })
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const first = await get(agent, server.base, '/healthz')
  expect(first.statusCode).toBe(200)
  // The agent now holds one idle keep-alive connection to the server.
  const idle = first.socket
  const idleClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()))

  // A login whose body is only half sent when the signal comes. `Expect: 100-continue` makes
  // the server say when it has taken the request in (Node answers 100 as it routes it).
  const body = JSON.stringify({ code: 'shutdown-test-code' })
  const inFlight = await connect(server.base)
  const answer = readAll(inFlight)
  const taken = new Promise<void>((resolve) => inFlight.once('data', () => resolve()))
  inFlight.write(
    'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n' +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
      'Expect: 100-continue\r\n\r\n' +
      body.slice(0, 5),
  )
  await taken

  server.child.kill('SIGTERM')
  await server.waitForLine(/"msg":"shutting down"/)
  inFlight.write(body.slice(5))

  const text = await answer
  expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /)
  expect(text.toLowerCase()).toContain('connection: close')
  expect(text).toContain('"token"')
  await idleClosed
  expect(await server.exited).toEqual({ code: 0, signal: null })
  agent.destroy()
})

test('a request arriving on a kept-alive connection during the close is refused, not left hanging', async () => {
  server = await startServer({ NODE_ENV: 'development', DATA_DIR: dataDir })
  const socket = await connect(server.base)
  const text = readAll(socket)
  // One request answered with keep-alive, then the signal, then a second request on the same
  // connection (if the server has not closed it yet, it must answer and close).
  socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  await new Promise<void>((resolve) => socket.once('data', () => resolve()))
  server.child.kill('SIGTERM')
  await server.waitForLine(/"msg":"shutting down"/)
  if (!socket.destroyed) socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  const all = await text
  expect(all).toMatch(/^HTTP\/1\.1 200 /)
  expect(await server.exited).toEqual({ code: 0, signal: null })
})
