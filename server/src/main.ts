// `npm start`: the reference server on 127.0.0.1:3000 with zero configuration (simulated WeChat,
// SQLite under server/.data/), or real WeChat / PostgreSQL from the environment.
import path from 'node:path'
import { buildAppWithServices } from './app'
import { ConfigError, loadConfig, type Config } from './config'
import { describeError } from './describe-error'
import { startedByNpm, watchLauncher } from './launcher-watch'
import { createLogger, createPrettyLogger } from './logger'
import type { SimWeChat } from './wechat'

/** How long a graceful stop may take before the process exits anyway (status 1). */
const SHUTDOWN_TIMEOUT_MS = 10_000

function describeWeChat(config: Config, sim: SimWeChat | null): string {
  if (sim !== null) {
    return `simulated (appid ${sim.appid}; unknown wx.login codes map to one local dev user)`
  }
  if (config.wechat.mode === 'simulated') {
    return `simulated over HTTP at ${config.wechat.apiBaseUrl ?? ''} (appid ${config.wechat.appid})`
  }
  return `real (appid ${config.wechat.appid})`
}

async function main(): Promise<void> {
  let config: Config
  try {
    // Relative paths (the SQLite file, avatars) live under server/, whatever the cwd.
    config = loadConfig(process.env, path.resolve(__dirname, '..'))
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message)
      process.exit(1)
    }
    throw e
  }
  const pretty =
    config.nodeEnv === 'development' && process.stdout.isTTY && process.env.LOG_FORMAT !== 'json'
  let log = createLogger(config.logLevel)
  if (pretty) {
    try {
      log = createPrettyLogger(config.logLevel)
    } catch {
      // pino-pretty not installed (production install): JSON logs.
    }
  }
  if (config.sessionSecretIsDefault) {
    log.warn('SESSION_SECRET is not set: using the development default (never in production)')
  }
  const { app, sim } = await buildAppWithServices(config, { logger: log })

  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    log.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      log.error('shutdown timed out, exiting')
      process.exit(1)
    }, SHUTDOWN_TIMEOUT_MS)
    force.unref()
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error during shutdown')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  if (startedByNpm()) watchLauncher(() => shutdown('launcher exited'))

  await app.listen({ host: config.host, port: config.port })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr !== null ? addr.port : config.port
  const origin = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  // For supervisors and tests: the process that serves (under npm it is not npm's child).
  log.info({ pid: process.pid, origin }, 'server ready')
  const storage =
    config.databaseUrl !== null ? 'PostgreSQL (DATABASE_URL)' : `SQLite ${config.sqlitePath}`
  const lines = [
    '',
    `  wx-login-kit server listening on ${origin}`,
    `  WeChat:  ${describeWeChat(config, sim)}`,
    `  Storage: ${storage}`,
    `  OpenAPI: ${origin}/docs/json    Health: ${origin}/healthz`,
    `  Console: ${origin}/console/    ${
      config.consolePasswordIsDefault === true
        ? `password (development default; set CONSOLE_PASSWORD): ${config.consolePassword}`
        : config.consolePassword == null
          ? 'off (set CONSOLE_PASSWORD to sign in)'
          : 'password from CONSOLE_PASSWORD'
    }`,
    '',
    "  WeChat DevTools: the mini-program's develop config calls http://127.0.0.1:3000;",
    '  in DevTools open 详情 → 本地设置 and tick 不校验合法域名、web-view（业务域名）、TLS 版本以及 HTTPS 证书.',
    '',
  ]
  console.log(lines.join('\n'))
}

main().catch((err: unknown) => {
  console.error(`failed to start: ${describeError(err)}`)
  process.exit(1)
})
