// The reference server for automator runs (npm run e2e, npm run example:plain-js): a child
// process with the simulated WeChat and a fresh SQLite database, never real WeChat.
import { spawn, type ChildProcess } from 'node:child_process'
import type fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '../..')

/** Polls `<origin>/healthz` until it answers 2xx; fails if the child exits first. */
export async function waitHealthy(
  origin: string,
  server: ChildProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`)
    try {
      const res = await fetch(`${origin}/healthz`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`the server did not become healthy at ${origin}`)
}

/** tsx's CLI, to run a TypeScript entry point with the Node that runs this script. */
export const TSX_CLI = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs')

export interface RunningServer {
  origin: string
  child: ChildProcess
}

/**
 * Runs a server as a child Node process (`args` are node's) that listens on 127.0.0.1:`port`,
 * its output into `log`; resolves once its /healthz answers.
 */
export async function startChildServer(o: {
  args: string[]
  cwd: string
  port: number
  env: NodeJS.ProcessEnv
  log: fs.WriteStream
}): Promise<RunningServer> {
  const child = spawn(process.execPath, o.args, {
    cwd: o.cwd,
    env: o.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(o.log)
  child.stderr?.pipe(o.log)
  const origin = `http://127.0.0.1:${o.port}`
  await waitHealthy(origin, child)
  return { origin, child }
}

export async function startServer(
  port: number,
  dataDir: string,
  log: fs.WriteStream,
  /** More environment for the server (e.g. rate limits or WECHAT_API_BASE_URL); wins last. */
  extraEnv: Record<string, string> = {},
): Promise<RunningServer> {
  return startChildServer({
    args: [TSX_CLI, path.join(ROOT, 'server/src/main.ts')],
    cwd: ROOT,
    port,
    log,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SQLITE_PATH: path.join(dataDir, 'e2e.sqlite'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // Never real WeChat, whatever the developer's shell has.
      WECHAT_APPID: '',
      WECHAT_SECRET: '',
      DATABASE_URL: '',
      ...extraEnv,
    },
  })
}

/**
 * SIGTERM, then resolves once the child has exited (SIGKILL after `graceMs`): its files (the
 * SQLite database, logs) are closed before the caller removes the folder they live in.
 */
export function stopServer(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
