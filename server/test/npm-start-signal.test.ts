// SIGTERM to the `npm start` process stops the server it started: npm forwards the signal only
// to its shell, which dies without passing it on, so the server used to be orphaned and keep its
// port. Both ways in are checked: the repository's `npm start` and the workspace's own.
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../packages/headless/cli/free-port'
import {
  REPO_DIR,
  childEnv,
  listening,
  processAlive,
  spawnProcess,
  until,
  type RunningServer,
} from './server-process'

jest.setTimeout(90_000)

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
let dataDir: string
let server: RunningServer | null = null

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxkit-npm-start-'))
})

afterEach(() => {
  if (server !== null && processAlive(server.pid)) process.kill(server.pid, 'SIGKILL')
  server = null
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

test.each([
  ['npm start', ['start']],
  ['npm start -w server', ['start', '-w', 'server']],
])('SIGTERM to `%s` stops the server and frees its port', async (_name, args) => {
  const port = await freePort()
  const proc = spawnProcess(
    npm,
    args,
    childEnv({ PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'development' }),
    REPO_DIR,
  )
  server = await listening(proc)
  expect(server.pid).not.toBe(proc.child.pid)
  expect(await portAccepts(port)).toBe(true)

  proc.child.kill('SIGTERM')
  await proc.exited
  const pid = server.pid
  await until('the server process to exit', () => !processAlive(pid))
  await until('the port to be released', async () => !(await portAccepts(port)))
  expect(proc.output()).toContain('"msg":"shutting down"')
})
