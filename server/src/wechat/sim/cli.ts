// `npm run sim` and the `wx-sim-wechat` bin: the simulated WeChat server API over HTTP on its own
// port. The default credentials are the reference server's simulated ones, so
// `WECHAT_API_BASE_URL=<origin> npm start` uses it with no other setting.
import { SIM_APPID, SIM_SECRET } from '../../config'
import { createLogger } from '../../logger'
import { buildSimHttpServer } from './http-server'
import { createSimWeChat } from './sim'

export interface SimCliOptions {
  host: string
  port: number
  appid: string
  secret: string
  logLevel: string
  /** SIM_CONTROL_TOKEN: the control routes then need it in X-Sim-Token, from any address. */
  controlToken: string | null
}

const USAGE = `usage: wx-sim-wechat [--host 127.0.0.1] [--port 4100] [--appid wx…] [--secret …] [--log-level warn]
  env: SIM_HOST, SIM_PORT, SIM_APPID, SIM_SECRET, LOG_LEVEL (flags win), SIM_CONTROL_TOKEN
  (the /__sim control routes answer loopback callers only, or any caller sending it in X-Sim-Token)`

/** Flags first, then the environment, then the defaults; throws with the usage on a bad flag. */
export function parseSimCliArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): SimCliOptions {
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const m = /^--(host|port|appid|secret|log-level)(?:=(.*))?$/.exec(arg)
    if (m === null) throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`)
    const value = m[2] ?? argv[++i]
    if (value === undefined || value === '') throw new Error(`--${m[1]} needs a value\n${USAGE}`)
    flags.set(m[1]!, value)
  }
  const pick = (flag: string, envName: string, def: string): string =>
    flags.get(flag) ?? (env[envName]?.trim() || def)
  const portText = pick('port', 'SIM_PORT', '4100')
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new Error(`--port must be 0–65535, got ${JSON.stringify(portText)}\n${USAGE}`)
  }
  const controlToken = env.SIM_CONTROL_TOKEN?.trim() || null
  if (controlToken !== null && !/^[\x21-\x7e]{16,256}$/.test(controlToken)) {
    throw new Error('SIM_CONTROL_TOKEN must be 16–256 printable characters without spaces')
  }
  return {
    host: pick('host', 'SIM_HOST', '127.0.0.1'),
    port,
    appid: pick('appid', 'SIM_APPID', SIM_APPID),
    secret: pick('secret', 'SIM_SECRET', SIM_SECRET),
    logLevel: pick('log-level', 'LOG_LEVEL', 'warn'),
    controlToken,
  }
}

async function main(): Promise<void> {
  let o: SimCliOptions
  try {
    o = parseSimCliArgs(process.argv.slice(2))
  } catch (e) {
    console.error((e as Error).message)
    process.exit(2)
  }
  const log = createLogger(o.logLevel)
  const sim = createSimWeChat({
    appid: o.appid,
    secret: o.secret,
    log: log.child({ component: 'sim' }),
  })
  const app = await buildSimHttpServer({ sim, log, controlToken: o.controlToken })
  const stop = (): void => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  await app.listen({ host: o.host, port: o.port })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr !== null ? addr.port : o.port
  const origin = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`
  console.log(
    [
      `simulated WeChat listening on ${origin}`,
      `  appid ${sim.appid}  secret ${sim.secret}`,
      '  WeChat paths: /sns/jscode2session /cgi-bin/stable_token /cgi-bin/token',
      '                /wxa/business/getuserphonenumber /wxa/checksession /cgi-bin/message/subscribe/send',
      '  control:      POST /__sim/login-code, /__sim/phone-code, /__sim/profile-payload, /__sim/subscribe-accept,',
      '                /__sim/faults, /__sim/clock; DELETE /__sim/faults; GET /__sim/users/:openid, /__sim/messages',
      `  reference server: WECHAT_API_BASE_URL=${origin} npm start`,
    ].join('\n'),
  )
}

/** Starts the simulator; a start-up failure prints its reason and exits 1. */
export function runSimCli(): void {
  main().catch((e: unknown) => {
    console.error(`failed to start: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  })
}
