// The headless stand-in for DevTools' CLI: `auto --project P --auto-port N` loads the project
// into the headless runtime and serves the automator protocol on ws://127.0.0.1:N.
// Environment:
//   WX_SIM_SERVER     origin of the reference server (e.g. http://127.0.0.1:43121); requests the
//                     app sends to http://127.0.0.1:3000 are rewritten to it. Unset: no network.
//   WX_SIM_OPENID     test user when --auto-account is not given (default o-headless-user)
//   WX_SIM_DIALOGS    default dialog policy: wait (default) | confirm | cancel
//   WX_SIM_PRIVACY    'required': privacy APIs need the user's agreement first (as a mini-program
//                     whose privacy guide is not yet agreed to); default: already agreed
//   WX_SIM_PROFILE    getUserProfile answers: anonymous (default, base library ≥ 2.27.1) | real
//   WX_SIM_STORAGE_DIR  keep wx storage on disk per test user across launches (as DevTools does);
//                     unset: storage lives as long as the runtime
//   HEADLESS_LOG      file to append the runtime's diagnostics to (launch() ignores stdio)
import fs from 'node:fs'
import { AutomatorServer } from '../automator/server'
import { createRuntimeWx } from '../runtime/fake-wx-bridge'
import { loadStorage, saveStorage, storageFile } from '../runtime/persistent-storage'
import { HeadlessRuntime } from '../runtime/runtime'
import { captureScreenshot } from '../runtime/screenshot'
import type { DialogPolicy } from '../wx/dialogs'
import { parseArgs, UsageError } from './args'

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

export async function start(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<StartedRuntime> {
  const args = parseArgs(argv)
  const origin = env.WX_SIM_SERVER
  const bridge = createRuntimeWx({
    ...(origin ? { server: { origin } } : {}),
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
    onWarning: (m) => diag(`warning: ${m}`),
  })
  runtime.on('exception', (e) => diag(`exception: ${e.stack || e.message}`))
  await runtime.launch()
  const server = await AutomatorServer.listen({
    runtime,
    dialogs: bridge.dialogs,
    beforeAnswer: bridge.beforeAnswer,
    port: args.port,
    screenshot: () => captureScreenshot(runtime),
    onClose: () => process.exit(0),
  })
  diag(
    `serving ${args.projectPath} on ${server.wsEndpoint} (user ${bridge.openid}, server ${origin ?? 'none'})`,
  )
  return { runtime, server }
}

export async function main(argv: readonly string[]): Promise<void> {
  let started: StartedRuntime
  try {
    started = await start(argv)
  } catch (e) {
    diag(
      e instanceof UsageError
        ? e.message
        : `failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    )
    process.exit(e instanceof UsageError ? 2 : 1)
  }
  const { runtime, server } = started
  // The app's own failures are reported to the client, never fatal to the runtime.
  process.on('unhandledRejection', (e) => runtime.reportError(e))
  process.on('uncaughtException', (e) => runtime.reportError(e))
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(0))
  let idle: NodeJS.Timeout | undefined
  server.onClients((count) => {
    if (idle) clearTimeout(idle)
    idle = count === 0 ? setTimeout(() => process.exit(0), IDLE_EXIT_MS) : undefined
  })
}
