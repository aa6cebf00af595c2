// What an adopter downloads: the tarball `npm pack` makes (what `npm publish` would upload), its
// manifest, and JS a plain-JavaScript mini-program runs as it is (ES2015 CommonJS, no compiler
// plugin, no TypeScript left). Needs the kit built (`npm run build`).
import { execFileSync } from 'child_process'
import * as fs from 'fs'
import * as path from 'path'
import { parse } from 'acorn'

const PACKAGE_DIR = path.resolve(__dirname, '..')
const DIST = path.join(PACKAGE_DIR, 'miniprogram_dist')
const COMPONENTS = ['auth-sheet', 'privacy-popup', 'profile-form']

interface PackedFile {
  path: string
  size: number
}
interface PackResult {
  name: string
  version: string
  filename: string
  size: number
  files: PackedFile[]
}

interface Manifest {
  name: string
  version: string
  private?: boolean
  license?: string
  miniprogram?: string
  main?: string
  types?: string
  files?: string[]
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

/** The tarball's listing, without running prepare again (the suite runs on a fresh build). */
function packDryRun(): PackResult {
  const out = execFileSync(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: PACKAGE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  )
  return (JSON.parse(out) as PackResult[])[0]!
}

const manifest = JSON.parse(
  fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'),
) as Manifest

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? filesUnder(p) : [p]
  })
}

describe('the tarball', () => {
  const packed = packDryRun()
  const paths = packed.files.map((f) => f.path).sort()

  test('holds only miniprogram_dist, the README, the license and package.json', () => {
    const stray = paths.filter(
      (p) =>
        !p.startsWith('miniprogram_dist/') && !['README.md', 'LICENSE', 'package.json'].includes(p),
    )
    expect(stray).toEqual([])
    expect(paths).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']))
  })

  test('ships every module the build made, with its .d.ts, and every component file', () => {
    const built = filesUnder(DIST).map((f) =>
      path.relative(PACKAGE_DIR, f).split(path.sep).join('/'),
    )
    expect(paths.filter((p) => p.startsWith('miniprogram_dist/'))).toEqual(built.sort())
    expect(paths).toEqual(
      expect.arrayContaining([
        'miniprogram_dist/index.js',
        'miniprogram_dist/index.d.ts',
        ...COMPONENTS.flatMap((c) =>
          ['js', 'd.ts', 'json', 'wxml', 'wxss'].map((ext) => `miniprogram_dist/${c}/index.${ext}`),
        ),
      ]),
    )
    for (const js of paths.filter((p) => p.endsWith('.js')))
      expect(paths).toContain(js.replace(/\.js$/, '.d.ts'))
  })

  test('is named and versioned for the registry', () => {
    expect(packed.name).toBe('wx-login-kit')
    expect(packed.version).toMatch(/^\d+\.\d+\.\d+$/)
    expect(packed.filename).toBe(`wx-login-kit-${packed.version}.tgz`)
  })
})

describe('the manifest', () => {
  test('points 构建 npm, Node and TypeScript at the build', () => {
    expect(manifest.private).toBeUndefined()
    expect(manifest.license).toBe('MIT')
    expect(manifest.miniprogram).toBe('miniprogram_dist')
    expect(manifest.main).toBe('miniprogram_dist/index.js')
    expect(manifest.types).toBe('miniprogram_dist/index.d.ts')
    expect(manifest.files).toEqual(['miniprogram_dist'])
    for (const entry of [manifest.main!, manifest.types!])
      expect(fs.existsSync(path.join(PACKAGE_DIR, entry))).toBe(true)
  })

  test('leaves mobx to the app (peer dependencies), so 构建 npm packs one copy', () => {
    expect(manifest.dependencies ?? {}).toEqual({})
    expect(Object.keys(manifest.peerDependencies ?? {}).sort()).toEqual([
      'miniprogram-api-typings',
      'mobx-miniprogram',
      'mobx-miniprogram-bindings',
    ])
    expect(manifest.peerDependenciesMeta?.['miniprogram-api-typings']?.optional).toBe(true)
    expect(manifest.peerDependenciesMeta?.['mobx-miniprogram']?.optional).toBeFalsy()
  })
})

describe('the built JS', () => {
  const jsFiles = filesUnder(DIST).filter((f) => f.endsWith('.js'))

  test('parses as ES2015 scripts: no later syntax for an old base library to choke on', () => {
    expect(jsFiles.length).toBeGreaterThan(10)
    for (const file of jsFiles) {
      const code = fs.readFileSync(file, 'utf8')
      expect(() => parse(code, { ecmaVersion: 2015, sourceType: 'script' })).not.toThrow()
    }
  })

  test('is CommonJS that requires only its own files and its peer dependencies', () => {
    const peers = new Set(Object.keys(manifest.peerDependencies ?? {}))
    for (const file of jsFiles) {
      const code = fs.readFileSync(file, 'utf8')
      expect(code).not.toMatch(/^\s*(import|export)\s/m)
      for (const [, request] of code.matchAll(/\brequire\("([^"]+)"\)/g)) {
        if (request!.startsWith('.')) {
          // never an app file: everything the kit loads ships inside miniprogram_dist
          const target = path.resolve(path.dirname(file), `${request}.js`)
          expect(target.startsWith(DIST + path.sep)).toBe(true)
          expect(fs.existsSync(target)).toBe(true)
        } else {
          expect(peers).toContain(request)
        }
      }
    }
  })

  test('the public declarations bring WeChat typings for an adopter on TypeScript', () => {
    const index = fs.readFileSync(path.join(DIST, 'index.d.ts'), 'utf8')
    expect(index).toContain('/// <reference types="miniprogram-api-typings" preserve="true" />')
  })
})
