// `npm start -w @wx-login-kit/example-express`: the Express back end on 127.0.0.1:3100, talking to
// the simulated WeChat of `npm run sim` (http://127.0.0.1:4100) unless WECHAT_* say otherwise.
import { createLoginCore } from '@wx-login-kit/server/core'
import type { WxRequest } from '@wx-login-kit/server/express'
import { SIM_APPID, SIM_SECRET } from '@wx-login-kit/server/sim'
import { createExampleApp } from './app'

function env(name: string, fallback: string): string {
  const v = process.env[name]?.trim()
  return v === undefined || v === '' ? fallback : v
}

async function main(): Promise<void> {
  const handle = await createLoginCore<WxRequest>({
    wechat: {
      appid: env('WECHAT_APPID', SIM_APPID),
      secret: env('WECHAT_SECRET', SIM_SECRET),
      apiBaseUrl: env('WECHAT_API_BASE_URL', 'http://127.0.0.1:4100'),
    },
    databaseUrl: process.env.DATABASE_URL?.trim() || null,
    sqlitePath: env('SQLITE_PATH', ':memory:'),
    sessionSecret: env('SESSION_SECRET', 'example-express-dev-secret-change-me-0000'),
  })
  const host = env('HOST', '127.0.0.1')
  const port = Number(env('PORT', '3100'))
  const server = createExampleApp(handle.core).listen(port, host, () => {
    console.log(`express example listening on http://${host}:${port}`)
  })
  server.on('error', (e: Error) => {
    console.error(`failed to start: ${e.message}`)
    process.exit(1)
  })
  const stop = (): void => {
    server.close(() => {
      handle.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    })
    server.closeAllConnections()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e: unknown) => {
  console.error(`failed to start: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
