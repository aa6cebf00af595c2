// npm run pack:npm — 构建 npm for the demo app, in place: miniprogram/miniprogram_npm/ (git-ignored),
// the folder the headless runtime, the page suites and DevTools load wx-login-kit and mobx from.
// Run after `npm run build -w wx-login-kit` (the kit's miniprogram_dist is what gets copied).
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { packNpm } from './lib/pack-npm'

const ROOT = resolve(__dirname, '..')

async function main(): Promise<void> {
  const kitDist = join(ROOT, 'packages/kit/miniprogram_dist/index.js')
  if (!existsSync(kitDist)) throw new Error('wx-login-kit is not built: run `npm run build` first')
  const t0 = performance.now()
  const r = await packNpm(join(ROOT, 'package.json'), join(ROOT, 'miniprogram'))
  for (const w of r.warnings) console.warn(`npm warning: ${w}`)
  const s = ((performance.now() - t0) / 1000).toFixed(2)
  console.log(
    `构建 npm: ${r.miniProgramPackNum} mini-program package(s), ${r.otherNpmPackNum} other ` +
      `into miniprogram/miniprogram_npm (${s} s)`,
  )
}

main().catch((e: unknown) => {
  console.error('pack:npm failed:', e instanceof Error ? e.message : e)
  process.exit(1)
})
