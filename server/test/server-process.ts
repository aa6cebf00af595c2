// The real server (src/main.ts) in a child process, as `npm start` runs it: for tests of what
// only a process shows (signals, exit status, crashes, start-up failures).
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import path from 'node:path'

export const SERVER_DIR = path.resolve(__dirname, '..')
export const REPO_DIR = path.resolve(SERVER_DIR, '..')

export interface ServerProcess {
  child: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output(): string
  /** Resolves with the first output line matching `re` (rejects at the deadline or exit). */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** The environment of a child server: the test's own, minus what would change its storage. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const dropped = new Set([
    'DATABASE_URL',
    'DATABASE_SCHEMA',
    'SQLITE_PATH',
    'NODE_ENV',
    'PORT',
    'HOST',
  ])
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !dropped.has(k)))
  return { ...base, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env }
}

export function spawnProcess(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  const waiters = new Set<() => void>()
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8')
    for (const w of [...waiters]) w()
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }))
  const proc: ServerProcess = {
    child,
    output: () => text,
    exited,
    waitForLine(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = text.split('\n').find((l) => re.test(l))
          if (line !== undefined) finish(() => resolve(line))
        }
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no line matching ${re} in:\n${text}`))),
          timeoutMs,
        )
        const finish = (f: () => void): void => {
          clearTimeout(timer)
          waiters.delete(check)
          f()
        }
        waiters.add(check)
        void exited.then(() => {
          check()
          if (waiters.has(check)) {
            finish(() => reject(new Error(`exited before a line matching ${re}:\n${text}`)))
          }
        })
        check()
      })
    },
  }
  return proc
}

export interface RunningServer extends ServerProcess {
  base: string
  /** The server's own process id (from its log; under npm it is not the child's). */
  pid: number
}

/** Starts src/main.ts with `node --import tsx` and waits until it listens. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const proc = spawnProcess(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts'],
    childEnv({ PORT: '0', ...env }),
    SERVER_DIR,
  )
  return listening(proc)
}

/** Waits for the "server ready" log line of a starting server and reads its address and pid. */
export async function listening(proc: ServerProcess): Promise<RunningServer> {
  const line = await proc.waitForLine(/"msg":"server ready"/)
  const { pid, origin } = JSON.parse(line) as { pid: number; origin: string }
  return { ...proc, base: origin, pid }
}

/** Whether a process with this id still exists (and is not a zombie awaiting its parent). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^\d+ \(.*\) Z/.test(stat)
  } catch {
    return true
  }
}

/** Polls `probe` until it returns true, or fails at the deadline. */
export async function until(
  what: string,
  probe: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await probe()) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
