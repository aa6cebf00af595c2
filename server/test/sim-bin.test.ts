// `npm run sim` / the wx-sim-wechat bin as a separate process: it prints its origin, serves the
// control routes and WeChat's paths there, and exits 0 on SIGTERM. Then the reference server,
// started with only WECHAT_API_BASE_URL, logs a user in through it.
import path from 'node:path'
import {
  childEnv,
  spawnProcess,
  startServer,
  SERVER_DIR,
  type ServerProcess,
} from './server-process'

jest.setTimeout(60_000)

const running: ServerProcess[] = []

afterAll(async () => {
  for (const p of running) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL')
      await p.exited
    }
  }
})

async function startSim(): Promise<{ proc: ServerProcess; origin: string }> {
  const proc = spawnProcess(
    process.execPath,
    [path.join(SERVER_DIR, 'bin/wx-sim-wechat.cjs'), '--port', '0'],
    childEnv({}),
    SERVER_DIR,
  )
  running.push(proc)
  const line = await proc.waitForLine(/simulated WeChat listening on /)
  return { proc, origin: /listening on (\S+)/.exec(line)![1]! }
}

async function mintCode(origin: string, openid: string): Promise<string> {
  const res = await fetch(`${origin}/__sim/login-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid }),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { code: string }).code
}

test('the bin serves the simulated WeChat on its own port and stops cleanly on SIGTERM', async () => {
  const { proc, origin } = await startSim()
  expect(proc.output()).toMatch(/appid wx\S+ {2}secret \S+/)
  const code = await mintCode(origin, 'o-bin-alice')
  const res = await fetch(`${origin}/sns/jscode2session?js_code=${code}`)
  expect(await res.json()).toMatchObject({ errcode: 41002 })
  proc.child.kill('SIGTERM')
  expect(await proc.exited).toEqual({ code: 0, signal: null })
})

test('the reference server with WECHAT_API_BASE_URL logs in through the bin over HTTP', async () => {
  const sim = await startSim()
  const server = await startServer({
    NODE_ENV: 'test',
    SQLITE_PATH: ':memory:',
    SESSION_SECRET: 'sim-bin-test-secret-0123456789abcdef',
    WECHAT_API_BASE_URL: sim.origin,
  })
  running.push(server)
  const code = await mintCode(sim.origin, 'o-bin-bob')
  const login = await fetch(`${server.base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  })
  expect(login.status).toBe(200)
  expect((await fetch(`${server.base}/__sim/login-code`, { method: 'POST' })).status).toBe(404)
})
