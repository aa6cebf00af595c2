// The headless stand-in for DevTools' CLI: `auto --project P --auto-port N` loads the project
// into the headless runtime and serves the automator protocol on ws://127.0.0.1:N. It takes
// DevTools' command line (args.ts). When the runtime cannot start, the cause goes to stderr at
// once, the automation port answers the client with it (launch-failure.ts) and the CLI exits
// non-zero (2: bad command line, 1: the project failed to load).
// Environment:
//   WX_SIM_SERVER     origin of the reference server (e.g. http://127.0.0.1:43121); requests the
//                     app sends to http://127.0.0.1:3000 are rewritten to it, and login codes are
//                     minted by its simulated WeChat.
//   WX_SIM_ROUTES, WX_SIM_LOGIN_CODE_URL, WX_SIM_DEVICE: see env-config.ts. No server and no
//                     routes: the fake wx's canned network.
//   WX_SIM_OPENID     test user when --auto-account is not given (default o-headless-user)
//   WX_SIM_DIALOGS    default dialog policy: wait (default) | confirm | cancel
//   WX_SIM_PRIVACY    'required': privacy APIs need the user's agreement first (as a mini-program
//                     whose privacy guide is not yet agreed to); default: already agreed
//   WX_SIM_PROFILE    getUserProfile answers: anonymous (default, base library ≥ 2.27.1) | real
//   WX_SIM_STORAGE_DIR  keep wx storage on disk per test user across launches (as DevTools does);
//                     unset: storage lives as long as the runtime
//   HEADLESS_LOG      file to append the runtime's diagnostics to (launch() ignores stdio)
import fs from 'node:fs'
import path from 'node:path'
import { answerLaunchFailure } from '../automator/launch-failure'
import { AutomatorServer } from '../automator/server'
import { packProjectNpm } from '../runtime/pack-npm'
import { createRuntimeWx } from '../runtime/fake-wx-bridge'
import { loadStorage, saveStorage, storageFile } from '../runtime/persistent-storage'
import { HeadlessRuntime } from '../runtime/runtime'
import { captureScreenshot } from '../runtime/screenshot'
import type { DialogPolicy } from '../wx/dialogs'
import { parseArgs, USAGE, UsageError, type CliArgs } from './args'
import { formatPageCheck, smokeProject } from './smoke'
import { readEnvConfig } from './env-config'

/** `-v`: the name and version of the installed package, read from its package.json so they never drift. */
export const HEADLESS_VERSION = ((): string => {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'),
  ) as { name: string; version: string }
  return `${manifest.name} ${manifest.version}`
})()

/** Exit this long after the last client left, so an abandoned runtime frees its port. */
const IDLE_EXIT_MS = 60_000

function diag(line: string): void {
  const text = `[headless ${new Date().toISOString()}] ${line}\n`
  const file = process.env.HEADLESS_LOG
  if (file) fs.appendFileSync(file, text)
  else process.stderr.write(text)
}

function dialogPolicy(v: string | undefined): DialogPolicy {
  return v === 'confirm' || v === 'cancel' ? v : 'wait'
}

export interface StartedRuntime {
  runtime: HeadlessRuntime
  server: AutomatorServer
}

/** The runtime for `args.projectPath` with its fake wx, configured from `env`; not launched yet. */
export function createRuntime(
  args: CliArgs,
  env: NodeJS.ProcessEnv = process.env,
): { runtime: HeadlessRuntime; bridge: ReturnType<typeof createRuntimeWx> } {
  const origin = env.WX_SIM_SERVER
  const config = readEnvConfig(env)
  const bridge = createRuntimeWx({
    ...(origin ? { server: { origin } } : {}),
    ...(config.routes ? { routes: config.routes } : {}),
    ...(config.loginCodeUrl ? { loginCodeUrl: config.loginCodeUrl } : {}),
    openid: args.account ?? env.WX_SIM_OPENID ?? 'o-headless-user',
    anonymousProfile: env.WX_SIM_PROFILE !== 'real',
  })
  bridge.dialogs.policy = dialogPolicy(env.WX_SIM_DIALOGS)
  if (env.WX_SIM_PRIVACY === 'required') bridge.fake.control.setPrivacy({ needAuthorization: true })
  const storageDir = env.WX_SIM_STORAGE_DIR
  if (storageDir) {
    const file = storageFile(storageDir, bridge.openid)
    const storage = bridge.fake.control.ctx.storage
    loadStorage(file, storage)
    process.on('exit', () => saveStorage(file, storage))
  }
  const runtime = new HeadlessRuntime({
    projectPath: args.projectPath,
    ...bridge.runtimeOptions,
    ...(config.device ? { device: config.device } : {}),
    ...(args.entry ? { entry: args.entry } : {}),
    onWarning: (m) => diag(`warning: ${m}`),
  })
  runtime.on('exception', (e) => diag(`exception: ${e.stack || e.message}`))
  return { runtime, bridge }
}

export async function start(
  argv: readonly string[] | CliArgs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StartedRuntime> {
  const args = Array.isArray(argv) ? parseArgs(argv as readonly string[]) : (argv as CliArgs)
  const { runtime, bridge } = createRuntime(args, env)
  await runtime.launch()
  const server = await AutomatorServer.listen({
    runtime,
    dialogs: bridge.dialogs,
    beforeAnswer: bridge.beforeAnswer,
    port: args.port,
    screenshot: () => captureScreenshot(runtime),
    onClose: () => process.exit(0),
  })
  const routes = Object.entries(bridge.routes).map(([from, to]) => `${from} → ${to}`)
  diag(
    `serving ${args.projectPath} on ${server.wsEndpoint} (user ${bridge.openid}, routes ${routes.join(', ') || 'none'})`,
  )
  return { runtime, server }
}

/**
 * The --auto-port of a command line that may not parse, to tell the waiting client why. Both
 * spellings parseArgs takes count: `--auto-port N` and `--auto-port=N`.
 */
function autoPortOf(argv: readonly string[]): number | undefined {
  let text: string | undefined
  argv.forEach((arg, i) => {
    if (arg === '--auto-port') text = argv[i + 1]
    else if (arg.startsWith('--auto-port=')) text = arg.slice('--auto-port='.length)
  })
  const port = Number(text)
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined
}

async function fail(argv: readonly string[], e: unknown): Promise<never> {
  const usage = e instanceof UsageError
  const cause = e instanceof Error ? e.message : String(e)
  const message = usage ? cause : `the headless runtime failed to start: ${cause}`
  // stderr always (the caller's), the log too when there is one.
  process.stderr.write(`${message}\n`)
  if (process.env.HEADLESS_LOG)
    diag(usage ? message : `failed to start: ${e instanceof Error ? (e.stack ?? cause) : cause}`)
  const port = autoPortOf(argv)
  if (port !== undefined) await answerLaunchFailure(port, message.split('\n')[0]!)
  process.exit(usage ? 2 : 1)
}

/** `build-npm`: 构建 npm; like DevTools, having nothing to pack is an error, not a silent success. */
async function buildNpm(args: CliArgs): Promise<number> {
  try {
    if (!fs.existsSync(args.projectPath))
      throw new Error(`the project folder ${path.resolve(args.projectPath)} does not exist`)
    const packed = await packProjectNpm(args.projectPath)
    if (packed.length === 0) throw new Error(NOTHING_TO_PACK)
    for (const r of packed)
      process.stdout.write(
        `构建 npm: ${r.miniprogramNpmDistDir}/miniprogram_npm (${r.miniProgramPackNum} mini-program, ${r.otherNpmPackNum} other package(s))\n`,
      )
    return 0
  } catch (e) {
    process.stderr.write(`build-npm failed: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}

/** DevTools' answer when 构建 npm finds no package.json to pack (its wording, in English). */
export const NOTHING_TO_PACK =
  'no npm packages to build: put package.json in the miniprogramRoot, or set packNpmManually and packNpmRelationList in project.config.json'

/** `smoke`: opens every page once and prints what happened; the exit code is 1 if any failed. */
async function smoke(args: CliArgs): Promise<number> {
  const { runtime } = createRuntime(args)
  reportAppFailuresTo(runtime)
  const checks = await smokeProject(runtime, {
    ...(args.screenshotsDir ? { screenshotsDir: args.screenshotsDir } : {}),
    onPage: (c) => process.stdout.write(`${formatPageCheck(c)}\n`),
  })
  const failed = checks.filter((c) => !c.ok).length
  process.stdout.write(
    `smoke: ${checks.length - failed} of ${checks.length} pages opened cleanly\n`,
  )
  await runtime.close()
  return failed === 0 ? 0 : 1
}

/** The app's own failures are reported (to the client, to the smoke check), never fatal. */
function reportAppFailuresTo(runtime: HeadlessRuntime): void {
  process.on('unhandledRejection', (reason, promise) =>
    runtime.reportUnhandledRejection(reason, promise),
  )
  process.on('uncaughtException', (e) => runtime.reportError(e))
}

export async function main(argv: readonly string[]): Promise<void> {
  let started: StartedRuntime
  try {
    const args = parseArgs(argv)
    switch (args.command) {
      case 'help':
        process.stdout.write(`${USAGE}\n`)
        return
      case 'version':
        process.stdout.write(`${HEADLESS_VERSION}\n`)
        return
      case 'noop':
        return
      case 'build-npm':
        return process.exit(await buildNpm(args))
      case 'smoke':
        return process.exit(await smoke(args))
      case 'auto':
        started = await start(args)
    }
  } catch (e) {
    return fail(argv, e)
  }
  const { runtime, server } = started
  reportAppFailuresTo(runtime)
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0))
  let idle: NodeJS.Timeout | undefined
  server.onClients((count) => {
    if (idle) clearTimeout(idle)
    idle = count === 0 ? setTimeout(() => process.exit(0), IDLE_EXIT_MS) : undefined
  })
}
