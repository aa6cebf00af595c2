// How DevTools finds npm code after 构建 npm: a bare request ('pkg' or 'pkg/sub/path') in a
// `require` or a `usingComponents` value is looked up in `miniprogram_npm/<pkg>` next to the
// requiring file, then in each parent directory's `miniprogram_npm` up to the miniprogram root
// (nested miniprogram_npm folders from packNpmRelationList or subpackages win over the root one).
// A package name alone means the package's `main` (when packNpm kept a package.json) or its
// index.js / index component, as https://developers.weixin.qq.com/miniprogram/dev/devtools/npm.html
// says ("只引入包名,则默认寻找包名下的 index.js 文件或者 index 组件").
//
// Fallback, for JS modules of a project that was never built: when no `miniprogram_npm` folder
// exists anywhere on that path, the package is read from node_modules as packNpm would copy it: a
// mini-program package's `miniprogram` directory (default miniprogram_dist), or a plain package's
// Node entry. Each fallback is reported through `onFallback` so the user knows 构建 npm was
// skipped. Components never fall back: their WXML must be inside the root to be compiled.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

export const MODULE_EXTENSIONS = ['.ts', '.js', '.json']

export type NpmKind = 'module' | 'component'

export interface NpmLookup {
  /** The resolved file (module) or extensionless component path; undefined when not found. */
  found?: string
  /** The places looked at, for the error message. */
  searched: string[]
}

export function isBareRequest(request: string): boolean {
  return !request.startsWith('.') && !request.startsWith('/') && !/^[a-z]+:/i.test(request)
}

/** 'pkg/a/b' → ['pkg', 'a/b']; '@scope/pkg/a' → ['@scope/pkg', 'a']. */
export function splitPackageRequest(request: string): [name: string, subpath: string] {
  const parts = request.split('/')
  const nameLength = request.startsWith('@') ? 2 : 1
  return [parts.slice(0, nameLength).join('/'), parts.slice(nameLength).join('/')]
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory()
  } catch {
    return false
  }
}

/** A module path as require() takes it → the file: exact, with an extension, or its index. */
export function resolveModuleFile(base: string): string | undefined {
  if (isFile(base)) return base
  for (const ext of MODULE_EXTENSIONS) if (isFile(base + ext)) return base + ext
  for (const ext of MODULE_EXTENSIONS) {
    const index = path.join(base, `index${ext}`)
    if (isFile(index)) return index
  }
  return undefined
}

/** A component path as usingComponents takes it → the extensionless path whose .json exists. */
export function resolveComponentBase(base: string): string | undefined {
  const clean = base.replace(/\.(json|js|ts|wxml)$/, '')
  if (isFile(`${clean}.json`)) return clean
  if (isFile(path.join(clean, 'index.json'))) return path.join(clean, 'index')
  return undefined
}

function readMain(packageDir: string): string | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
      main?: unknown
    }
    return typeof json.main === 'string' ? json.main : undefined
  } catch {
    return undefined
  }
}

function within(dir: string, root: string): boolean {
  const rel = path.relative(root, dir)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

export class NpmResolver {
  private readonly reportedFallbacks = new Set<string>()

  constructor(
    private readonly root: string,
    private readonly onFallback: (message: string) => void = () => undefined,
  ) {}

  resolve(request: string, fromDir: string, kind: NpmKind): NpmLookup {
    const [name, subpath] = splitPackageRequest(request)
    const searched: string[] = []
    let anyNpmFolder = false
    for (const dir of this.ancestors(fromDir)) {
      const npmDir = path.join(dir, 'miniprogram_npm')
      if (!isDirectory(npmDir)) continue
      anyNpmFolder = true
      const packageDir = path.join(npmDir, name)
      searched.push(packageDir)
      if (!isDirectory(packageDir)) continue
      const found = this.entry(packageDir, subpath, kind)
      if (found) return { found, searched }
    }
    // Components need their WXML compiled with the app's (wcc compiles the miniprogram root):
    // only modules can fall back to node_modules.
    if (anyNpmFolder || kind === 'component') return { searched }
    return this.fromNodeModules(name, subpath, request, kind, searched)
  }

  /** fromDir, its parents, … up to the miniprogram root (only fromDir when it is outside). */
  private ancestors(fromDir: string): string[] {
    const dirs = [fromDir]
    let dir = fromDir
    while (within(dir, this.root) && dir !== this.root) {
      dir = path.dirname(dir)
      dirs.push(dir)
    }
    return dirs
  }

  private entry(packageDir: string, subpath: string, kind: NpmKind): string | undefined {
    const base = subpath ? path.join(packageDir, subpath) : undefined
    const bases = base
      ? [base]
      : [
          ...(readMain(packageDir) ? [path.join(packageDir, readMain(packageDir)!)] : []),
          path.join(packageDir, 'index'),
        ]
    for (const b of bases) {
      const found = kind === 'module' ? resolveModuleFile(b) : resolveComponentBase(b)
      if (found) return found
    }
    return undefined
  }

  private fromNodeModules(
    name: string,
    subpath: string,
    request: string,
    kind: NpmKind,
    searched: string[],
  ): NpmLookup {
    const packageDir = this.findNodeModulesPackage(name)
    searched.push(`node_modules/${name} (fallback: no miniprogram_npm folder was built)`)
    if (!packageDir) return { searched }
    const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
      miniprogram?: unknown
    }
    const distName = typeof pkg.miniprogram === 'string' ? pkg.miniprogram : 'miniprogram_dist'
    const distDir = path.join(packageDir, distName)
    let found: string | undefined
    if (isDirectory(distDir)) {
      found = this.entry(distDir, subpath, kind)
    } else if (kind === 'module') {
      // A plain npm package: packNpm bundles it from its Node entry point.
      try {
        found = createRequire(path.join(this.root, 'noop.js')).resolve(request)
      } catch {
        found = undefined
      }
    }
    if (found && !this.reportedFallbacks.has(name)) {
      this.reportedFallbacks.add(name)
      this.onFallback(
        `miniprogram_npm was not built: "${name}" is read from ${packageDir} (run 构建 npm / miniprogram-ci packNpm to load it as WeChat does)`,
      )
    }
    return found ? { found, searched } : { searched }
  }

  private findNodeModulesPackage(name: string): string | undefined {
    let dir = this.root
    for (;;) {
      const candidate = path.join(dir, 'node_modules', name)
      if (isFile(path.join(candidate, 'package.json'))) return candidate
      const parent = path.dirname(dir)
      if (parent === dir) return undefined
      dir = parent
    }
  }
}
