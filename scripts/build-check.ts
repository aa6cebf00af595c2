// npm run build:check [-- <project>] — compiles the whole mini-program with WeChat's own compiler (miniprogram-ci,
// the compile module of DevTools), offline, the way an upload would, and checks the main package.
//
// 1. Copies the project (project.config.json + miniprogram/) into a temp dir, so nothing is left
//    in the repo (no miniprogram_npm, no build output).
// 2. Packs npm as DevTools' "构建 npm" does (packNpmManually: root package.json dependencies ->
//    miniprogram/miniprogram_npm) into that copy: wx-login-kit (from its built miniprogram_dist,
//    so `npm run build` first) and mobx; the kit's components then compile like the app's own.
// 3. getCompiledResult with a throwaway RSA key and project.attr answered locally (no network):
//    TS through project.config.json's useCompilerPlugins, WXML/WXSS/JSON checks, ES6 -> ES5.
// 4. getCompiledResult keeps WXML and WXSS as source (WeChat compiles them at upload), so they also
//    go through WeChat's official wcc / wcsc (the binaries miniprogram-simulate uses).
// 5. Fails (exit 1) on any compile error, or when the main package exceeds 2 MB; prints the size,
//    the file count, the largest files and the time taken.
import { generateKeyPairSync } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { createRequire } from 'node:module'
import * as ci from 'miniprogram-ci'
import { npmRelations } from '../packages/headless/runtime/pack-npm'

const ROOT = resolve(__dirname, '..')
const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024

interface ProjectConfig {
  appid: string
  miniprogramRoot?: string
}

/** miniprogram-compiler (no typings): the official wcc / wcsc; both throw on a compile error. */
interface WxCompiler {
  wxmlToJs(rootPath: string): string
  wxssToJs(rootPath: string): string
}
const wxCompiler = (): WxCompiler => createRequire(__filename)('miniprogram-compiler') as WxCompiler

interface AppJson {
  pages: string[]
  usingComponents?: Record<string, string>
}

/**
 * A usingComponents value → the component's path from the mp root: `/x` from the root, `./x` or
 * `../x` from the using page, and a bare `pkg/x` through miniprogram_npm (as 构建 npm lays it out).
 */
function componentPath(using: string, fromPage: string | null): string {
  if (using.startsWith('/')) return using.slice(1)
  if (using.startsWith('.')) return join(fromPage ?? '', '..', using)
  return join('miniprogram_npm', using)
}

/** The compiled files each page and component must have (paths relative to the mp root). */
function expectedFiles(mpDir: string): string[] {
  const readJson = <T>(rel: string): T => JSON.parse(readFileSync(join(mpDir, rel), 'utf8')) as T
  const app = readJson<AppJson>('app.json')
  const components = new Set(
    Object.values(app.usingComponents ?? {}).map((c) => componentPath(c, null)),
  )
  const files = ['app.js', 'app.json', 'app.wxss']
  for (const page of app.pages) {
    files.push(`${page}.js`, `${page}.json`, `${page}.wxml`)
    const own = readJson<{ usingComponents?: Record<string, string> }>(`${page}.json`)
    for (const c of Object.values(own.usingComponents ?? {})) components.add(componentPath(c, page))
  }
  for (const c of components) files.push(`${c}.js`, `${c}.json`, `${c}.wxml`)
  return files
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`
const ms = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(2)} s`

/**
 * Builds the project at `projectPath` as DevTools would (构建 npm, then WeChat's compiler) in a
 * temporary copy, and checks it; resolves with the exit code. `npm run build:check` checks the
 * demo app; `npm run example:plain-js` the plain-JavaScript example, installed from the tarball.
 */
export async function buildCheck(projectPath: string = ROOT): Promise<number> {
  const t0 = performance.now()
  const config = JSON.parse(
    readFileSync(join(projectPath, 'project.config.json'), 'utf8'),
  ) as ProjectConfig
  const mpRoot = (config.miniprogramRoot ?? '').replace(/\/+$/, '')

  const work = mkdtempSync(join(tmpdir(), 'mp-build-check-'))
  // miniprogram-ci writes a cache folder into the working directory: keep it in the temp copy.
  const cwd = process.cwd()
  process.chdir(work)
  try {
    // 1. A clean copy of what DevTools would see (no miniprogram_npm from a previous build, no
    //    node_modules: npm is resolved from the original project below).
    cpSync(join(projectPath, 'project.config.json'), join(work, 'project.config.json'))
    cpSync(join(projectPath, mpRoot), join(work, mpRoot), {
      recursive: true,
      filter: (src) =>
        !/[\\/](miniprogram_npm|node_modules)([\\/]|$)/.test(src) && !src.endsWith('.DS_Store'),
    })

    // 2. Build npm as DevTools does for this project (packNpmRelationList, or the package.json in
    //    the miniprogramRoot), each package.json's dependencies resolved from its own
    //    node_modules: for the demo app wx-login-kit (the workspace, its miniprogram_dist, so
    //    `npm run build` first) and mobx.
    const t1 = performance.now()
    const relations = npmRelations(projectPath)
    for (const relation of relations) {
      const packed = await ci.packNpmManually({
        packageJsonPath: relation.packageJsonPath,
        miniprogramNpmDistDir: join(work, relative(projectPath, relation.miniprogramNpmDistDir)),
        ignores: [],
      })
      console.log(
        `npm packed: ${packed.miniProgramPackNum} mini-program package(s), ` +
          `${packed.otherNpmPackNum} other, ${packed.warnList.length} warning(s) (${ms(t1)})`,
      )
      for (const w of packed.warnList) console.warn(`  npm warning: ${JSON.stringify(w)}`)
    }
    const kitDeclared = relations.some((r) => dependsOnKit(r.packageJsonPath))
    if (kitDeclared && !existsSync(join(work, mpRoot, 'miniprogram_npm/wx-login-kit/index.js'))) {
      console.error(
        '构建 npm did not pack wx-login-kit into miniprogram_npm (is it built? `npm run build`)',
      )
      return 1
    }

    // 3. A throwaway key: the offline calls need one, any RSA key works.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const keyPath = join(work, 'private.throwaway.key')
    writeFileSync(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }))

    const project = new ci.Project({
      appid: config.appid,
      type: 'miniProgram',
      projectPath: work,
      privateKeyPath: keyPath,
      ignores: ['node_modules/**/*', 'private.throwaway.key', 'package.json', 'package-lock.json'],
    })
    // Answer the project attributes locally instead of fetching them from servicewechat.com.
    project.attr = async () => ci.DefaultProjectAttr

    const t2 = performance.now()
    const errors: string[] = []
    const result = await ci.getCompiledResult({
      project,
      version: '0.0.0-build-check',
      setting: { useProjectConfig: true },
      onProgressUpdate: (task) => {
        if (typeof task !== 'string' && task.status === 'fail') errors.push(task.message)
      },
    })
    console.log(`compiled (${ms(t2)})`)
    if (errors.length > 0) {
      for (const e of errors) console.error(`compile error: ${e}`)
      return 1
    }

    // 4. WXML and WXSS with the official compilers.
    const t3 = performance.now()
    const mpDir = join(work, mpRoot)
    try {
      const compiler = wxCompiler()
      compiler.wxmlToJs(mpDir)
      compiler.wxssToJs(mpDir)
    } catch (e) {
      console.error(`compile error (wcc/wcsc): ${e instanceof Error ? e.message : String(e)}`)
      return 1
    }
    console.log(`WXML and WXSS checked with wcc/wcsc (${ms(t3)})`)

    // Every page and component app.json names made it into the package.
    const missing = expectedFiles(mpDir).filter((f) => !(f in result))
    if (missing.length > 0) {
      for (const f of missing) console.error(`missing from the compiled package: ${f}`)
      return 1
    }

    // 5. The main package: everything outside subpackages (this app has none).
    const files = Object.entries(result).map(([path, content]) => ({
      path,
      size: typeof content === 'string' ? Buffer.byteLength(content) : content.length,
    }))
    const total = files.reduce((n, f) => n + f.size, 0)
    const largest = [...files].sort((a, b) => b.size - a.size).slice(0, 5)
    console.log(`main package: ${kb(total)} (${total} B) in ${files.length} files`)
    for (const f of largest) console.log(`  ${kb(f.size).padStart(10)}  ${f.path}`)
    console.log(`build:check took ${ms(t0)}`)
    if (total > MAIN_PACKAGE_LIMIT) {
      console.error(`main package exceeds 2 MB (${kb(total)} > ${kb(MAIN_PACKAGE_LIMIT)})`)
      return 1
    }
    return 0
  } finally {
    process.chdir(cwd)
    rmSync(work, { recursive: true, force: true })
  }
}

function dependsOnKit(packageJsonPath: string): boolean {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    dependencies?: Record<string, string>
  }
  return 'wx-login-kit' in (pkg.dependencies ?? {})
}

// Run as a script (npm run build:check), not when imported by another script.
if (resolve(process.argv[1] ?? '').replace(/\.ts$/, '') === __filename.replace(/\.ts$/, '')) {
  buildCheck(process.argv[2] ? resolve(process.argv[2]) : ROOT).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error('build:check failed:', e instanceof Error ? e.message : e)
      process.exit(1)
    },
  )
}
