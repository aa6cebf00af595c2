// A journey is a plain automator script: `run()` drives the app from launch to close. Each file
// can also be executed on its own (`npx tsx test/e2e/<file>.ts`) against a running server.
import path from 'node:path'

export interface Journey {
  name: string
  /** What the journey proves, for the runner's report. */
  title: string
  run(): Promise<void>
}

export function runIfMain(filename: string, journey: Journey): void {
  const entry = process.argv[1]
  if (!entry || path.resolve(entry).replace(/\.ts$/, '') !== filename.replace(/\.ts$/, '')) return
  journey.run().then(
    () => console.log(`ok   ${journey.name}`),
    (e: unknown) => {
      console.error(
        `FAIL ${journey.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      )
      process.exit(1)
    },
  )
}
