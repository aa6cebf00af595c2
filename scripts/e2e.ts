// `npm run e2e [-- journey-name …]`: runs the user journeys (test/e2e) against the headless
// runtime, or against WeChat DevTools when WECHAT_DEVTOOLS_CLI is set. It starts the reference
// server with the simulated WeChat and a fresh SQLite database (on a free port for the headless
// runtime; on 3000 for DevTools, whose develop build calls http://127.0.0.1:3000), runs the
// journeys one by one and saves their screenshots and a report under e2e-artifacts/.
import fs from 'node:fs'
import { freePort } from '../packages/headless/cli/free-port'
import os from 'node:os'
import path from 'node:path'
import { journeys } from '../test/e2e/index'
import { artifactsDir } from '../test/e2e/lib/artifacts'
import { packProjectNpm } from '../packages/headless/runtime/pack-npm'
import { target } from '../test/e2e/lib/target'
import { startServer, stopServer } from './lib/reference-server'

const ROOT = path.resolve(__dirname, '..')
const ARTIFACTS = path.join(ROOT, 'e2e-artifacts')

interface Result {
  name: string
  title: string
  ok: boolean
  ms: number
  error?: string
}

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const selected = only.length > 0 ? journeys.filter((j) => only.includes(j.name)) : journeys
  if (selected.length === 0) throw new Error(`no journey named ${only.join(', ')}`)
  const t = target()
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  if (t.name === 'headless') {
    // The runtime loads npm from miniprogram_npm, as DevTools does after 构建 npm: build it here
    // (the folder is git-ignored). On DevTools, run 工具 → 构建 npm yourself.
    for (const r of await packProjectNpm(ROOT)) {
      console.log(
        `e2e: 构建 npm → ${path.relative(ROOT, r.miniprogramNpmDistDir) || '.'}/miniprogram_npm (${r.miniProgramPackNum} mini-program, ${r.otherNpmPackNum} other)`,
      )
    }
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wx-e2e-'))
  const serverLog = fs.createWriteStream(path.join(ARTIFACTS, `server-${t.name}.log`))
  const port = t.name === 'devtools' ? 3000 : await freePort()
  const { origin, child } = await startServer(port, path.join(work, 'data'), serverLog)
  process.env.WX_SIM_SERVER = origin
  process.env.WX_SIM_STORAGE_DIR = path.join(work, 'storage')
  process.env.HEADLESS_LOG ??= path.join(ARTIFACTS, 'headless.log')
  process.env.E2E_ARTIFACTS = ARTIFACTS
  console.log(`e2e: ${selected.length} journeys on ${t.name} (${t.cliPath}); server ${origin}`)

  const results: Result[] = []
  try {
    for (const j of selected) {
      // Screenshots of an earlier run of this journey must not mix with this one's.
      fs.rmSync(artifactsDir(j.name), { recursive: true, force: true })
      const started = Date.now()
      try {
        await j.run()
        results.push({ name: j.name, title: j.title, ok: true, ms: Date.now() - started })
        console.log(`  ok    ${j.name} (${Date.now() - started} ms)`)
      } catch (e) {
        const error = e instanceof Error ? (e.stack ?? e.message) : String(e)
        results.push({ name: j.name, title: j.title, ok: false, ms: Date.now() - started, error })
        console.log(`  FAIL  ${j.name}\n${error.replace(/^/gm, '        ')}`)
      }
    }
  } finally {
    await stopServer(child)
    // the server has exited (its database is closed); a headless child may still be writing its storage as it exits: retry briefly
    fs.rmSync(work, { recursive: true, force: true, maxRetries: 10 })
  }
  fs.writeFileSync(path.join(ARTIFACTS, `report-${t.name}.json`), JSON.stringify(results, null, 2))
  const failed = results.filter((r) => !r.ok).length
  console.log(
    `e2e: ${results.length - failed} passed, ${failed} failed; artifacts in ${path.relative(ROOT, ARTIFACTS)}/`,
  )
  process.exit(failed === 0 ? 0 : 1)
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e)
  process.exit(1)
})
