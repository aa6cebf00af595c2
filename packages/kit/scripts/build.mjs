// npm run build (and prepare): src/ -> miniprogram_dist/, the folder DevTools' 构建 npm copies into
// miniprogram_npm/wx-login-kit/ (package.json `miniprogram` field). tsc emits ES2015 CommonJS, which
// a plain JavaScript mini-program runs with no compiler plugin, and a .d.ts beside every module;
// the components' .wxml/.wxss/.json are copied as they are. The folder is rebuilt from scratch so a
// module deleted from src/ never lingers in a published package.
//
// The layout follows WeChat's rules for a 小程序 npm 包 (developers.weixin.qq.com, devtools/npm
// "发布小程序 npm 包的约束"): 构建 npm copies only the folder named by `miniprogram` (default
// miniprogram_dist) into miniprogram_npm, and counts only it in the package size, so build and
// test code stays outside it. mobx-miniprogram-bindings does the same (`miniprogram: "dist"`,
// mobx-miniprogram as a peer dependency), which is why this kit also leaves mobx to the app: one
// copy in miniprogram_npm, shared by the kit, the bindings and the app's own stores.
import { spawnSync } from 'node:child_process'
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, extname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
const SRC = join(PACKAGE_DIR, 'src')
const DIST = join(PACKAGE_DIR, 'miniprogram_dist')
const COMPONENT_FILES = new Set(['.wxml', '.wxss', '.json'])

const t0 = performance.now()
rmSync(DIST, { recursive: true, force: true })

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const compiled = spawnSync(process.execPath, [tsc, '-p', join(PACKAGE_DIR, 'tsconfig.json')], {
  stdio: 'inherit',
})
if (compiled.status !== 0) {
  console.error('wx-login-kit: tsc failed, miniprogram_dist/ is incomplete')
  process.exit(compiled.status ?? 1)
}

let copied = 0
const copyAssets = (dir) => {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name)
    if (statSync(file).isDirectory()) copyAssets(file)
    else if (COMPONENT_FILES.has(extname(name))) {
      cpSync(file, join(DIST, relative(SRC, file)))
      copied++
    }
  }
}
copyAssets(SRC)

const ms = Math.round(performance.now() - t0)
console.log(`wx-login-kit: built miniprogram_dist/ (${copied} component files copied, ${ms} ms)`)
