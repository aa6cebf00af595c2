// npm run conformance -- --base-url URL [--sim-url URL] [--sim-token T] [--session-ttl-sec N]
// Checks a running back end against docs/protocol.md; exits 1 if a check failed, 2 on bad usage.
import { parseConformanceArgs, USAGE } from './args'
import { SECTIONS } from './sections'
import { runSuite, type SuiteOptions } from './suite'

async function main(): Promise<void> {
  let options: SuiteOptions
  try {
    options = parseConformanceArgs(process.argv.slice(2))
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  console.log(`conformance: ${options.baseUrl} (simulated WeChat control: ${options.simUrl})`)
  const totals = await runSuite(SECTIONS, options)
  process.exit(totals.failed > 0 ? 1 : 0)
}

main().catch((e: unknown) => {
  console.error(`conformance: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
