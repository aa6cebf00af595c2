// npm run pack:npm — 构建 npm for the demo app, in place, as DevTools' 工具 → 构建 npm does it
// (project.config.json's packNpmRelationList): the root package.json's dependencies (wx-login-kit,
// mobx-miniprogram, mobx-miniprogram-bindings) into miniprogram/miniprogram_npm/ (git-ignored),
// where the headless runtime, the page suites and DevTools load them from. wx-login-kit is copied
// from its miniprogram_dist, so run it after the kit's build (`npm run build` runs both).
import { existsSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { packProjectNpm } from '../packages/headless/runtime/pack-npm'

const ROOT = resolve(__dirname, '..')

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'packages/kit/miniprogram_dist/index.js')))
    throw new Error('wx-login-kit is not built: run `npm run build -w wx-login-kit` first')
  const t0 = performance.now()
  for (const r of await packProjectNpm(ROOT)) {
    for (const w of r.warnings) console.warn(`npm warning: ${w}`)
    console.log(
      `构建 npm: ${r.miniProgramPackNum} mini-program package(s), ${r.otherNpmPackNum} other ` +
        `into ${relative(ROOT, r.miniprogramNpmDistDir)}/miniprogram_npm ` +
        `(${((performance.now() - t0) / 1000).toFixed(2)} s)`,
    )
  }
}

main().catch((e: unknown) => {
  console.error('pack:npm failed:', e instanceof Error ? e.message : e)
  process.exit(1)
})
