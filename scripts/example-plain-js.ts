// npm run example:plain-js — proves the kit the way an adopter meets it, on examples/plain-js (a
// plain-JavaScript mini-program, no TypeScript, no compiler plugin):
// 1. `npm pack` the kit (built just before by the npm script, so pack runs no scripts and its
//    --json output stays clean) into a temp folder;
// 2. copy the example next to it and `npm install` the tarball there, with mobx from its
//    package.json (the npm cache first: `npm ci` of the repo already fetched them);
// 3. build:check it: 构建 npm (DevTools' default, the package.json in the miniprogramRoot), then
//    miniprogram-ci's compile and wcc/wcsc;
// 4. run its automator journey headless against the reference server (simulated WeChat).
// Exits 1 on any failure. Artifacts (screenshots, logs) go to e2e-artifacts/.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runPlainJsJourney } from '../test/e2e/examples/plain-js'
import { freePort } from '../packages/headless/cli/free-port'
import { packProjectNpm } from '../packages/headless/runtime/pack-npm'
import { buildCheck } from './build-check'
import { startServer, stopServer } from './lib/reference-server'

const ROOT = path.resolve(__dirname, '..')
const EXAMPLE = path.join(ROOT, 'examples/plain-js')
const ARTIFACTS = path.join(ROOT, 'e2e-artifacts')
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const npm = (args: string[], cwd: string): string =>
  execFileSync(NPM, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })

const step = (what: string): void => console.log(`example:plain-js: ${what}`)

async function main(): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wx-example-plain-js-'))
  try {
    // 1. The tarball, exactly what `npm publish` would upload.
    const packed = JSON.parse(
      npm(
        ['pack', '-w', 'wx-login-kit', '--pack-destination', work, '--json', '--ignore-scripts'],
        ROOT,
      ),
    ) as Array<{ filename: string; size: number }>
    const tarball = path.join(work, packed[0]!.filename)
    step(`packed ${path.basename(tarball)} (${packed[0]!.size} B)`)

    // 2. The adopter's install, in a copy of the example (the repo keeps no node_modules there).
    const app = path.join(work, 'app')
    fs.cpSync(EXAMPLE, app, {
      recursive: true,
      filter: (src) => !/[\\/](node_modules|miniprogram_npm)([\\/]|$)/.test(src),
    })
    npm(
      ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
      app,
    )
    step('installed the tarball, mobx-miniprogram and mobx-miniprogram-bindings')

    // 3. 构建 npm and WeChat's compiler, as DevTools would.
    if ((await buildCheck(app)) !== 0) return 1

    // 4. One journey on the headless runtime, which loads the kit from miniprogram_npm.
    await packProjectNpm(app)
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    const log = fs.createWriteStream(path.join(ARTIFACTS, 'server-example-plain-js.log'))
    const { origin, child } = await startServer(await freePort(), path.join(work, 'data'), log)
    process.env.WX_SIM_SERVER = origin
    process.env.WX_SIM_STORAGE_DIR = path.join(work, 'storage')
    process.env.HEADLESS_LOG ??= path.join(ARTIFACTS, 'headless-example-plain-js.log')
    process.env.E2E_ARTIFACTS = ARTIFACTS
    try {
      const t0 = Date.now()
      await runPlainJsJourney(app, `o-example-${Date.now().toString(36)}`)
      step(`ok    journey on headless (${Date.now() - t0} ms)`)
    } finally {
      await stopServer(child)
    }
    return 0
  } finally {
    // the server has exited (its database is closed); a headless child may still be writing its
    // storage as it exits: retry briefly
    fs.rmSync(work, { recursive: true, force: true, maxRetries: 10 })
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('example:plain-js failed:', e instanceof Error ? (e.stack ?? e.message) : e)
    process.exit(1)
  },
)
