// A small CommonJS loader for the mini-program's code, independent of the host's `require`
// (Node's or jest's): TypeScript is compiled per file with esbuild, npm packages resolve from
// node_modules as DevTools' "build npm" would, and every module is evaluated once per loader, so
// the app, its pages and mobx-miniprogram-bindings share ONE mobx-miniprogram instance.
// Page and component entry files are re-run on demand (`run`), because their Component() call
// must happen while miniprogram-simulate is registering them.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { transformSync } from 'esbuild'

interface LoadedModule {
  exports: unknown
  loaded: boolean
}

const EXTENSIONS = ['.ts', '.js', '.json']

type Resolve = (request: string, options: { paths: string[] }) => string

// Node's own resolver (only resolution: the loading is ours).
const nodeResolve: Resolve = (request, options) =>
  createRequire(__filename).resolve(request, options)

export class ModuleLoader {
  private readonly cache = new Map<string, LoadedModule>()

  constructor(
    private readonly root: string,
    private readonly resolveNpm: Resolve = nodeResolve,
  ) {}

  /** Loads (once) and returns a module's exports. */
  require(file: string): unknown {
    const cached = this.cache.get(file)
    if (cached) return cached.exports
    return this.evaluate(file, true).exports
  }

  /** Evaluates a file again, outside the cache (its own imports stay cached). */
  run(file: string): unknown {
    return this.evaluate(file, false).exports
  }

  /** `/pages/a/index` or `pages/a/index` (mini-program paths) → an absolute file. */
  resolveFromRoot(request: string): string {
    const resolved = this.resolveFile(path.join(this.root, request.replace(/^\//, '')))
    if (!resolved) throw new Error(`module not found: ${request} (in ${this.root})`)
    return resolved
  }

  /** An absolute path without extension (as miniprogram-simulate passes it) → a file. */
  resolveAbsolute(base: string): string {
    const resolved = this.resolveFile(base)
    if (!resolved) throw new Error(`module not found: ${base}`)
    return resolved
  }

  resolve(request: string, fromDir: string): string {
    if (request.startsWith('.') || request.startsWith('/')) {
      const base = request.startsWith('/')
        ? path.join(this.root, request)
        : path.resolve(fromDir, request)
      const file = this.resolveFile(base)
      if (file) return file
      throw new Error(`module not found: ${request} (from ${fromDir})`)
    }
    // A mini-program can only require npm packages (no Node built-ins); resolve from the
    // project upwards, like the node_modules that "build npm" packs into miniprogram_npm.
    return this.resolveNpm(request, { paths: [fromDir, this.root] })
  }

  private resolveFile(base: string): string | undefined {
    if (isFile(base)) return base
    for (const ext of EXTENSIONS) if (isFile(base + ext)) return base + ext
    for (const ext of EXTENSIONS) {
      const index = path.join(base, `index${ext}`)
      if (isFile(index)) return index
    }
    return undefined
  }

  private evaluate(file: string, cache: boolean): LoadedModule {
    const mod: LoadedModule = { exports: {}, loaded: false }
    if (cache) this.cache.set(file, mod)
    try {
      if (file.endsWith('.json')) {
        mod.exports = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
      } else {
        const code = compile(file)
        const dir = path.dirname(file)
        const req = (request: string): unknown => this.require(this.resolve(request, dir))
        // new Function (not vm): the code must see this realm's globals (wx, Component, getApp …),
        // which inside jest are the test environment's, not Node's.
        const fn = new Function(
          'exports',
          'require',
          'module',
          '__filename',
          '__dirname',
          `${code}\n//# sourceURL=${file}`,
        ) as (
          exports: unknown,
          require: (r: string) => unknown,
          module: LoadedModule,
          filename: string,
          dirname: string,
        ) => void
        fn(mod.exports, req, mod, file, dir)
      }
      mod.loaded = true
      return mod
    } catch (e) {
      if (cache) this.cache.delete(file)
      throw e
    }
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

const compiled = new Map<string, { mtimeMs: number; code: string }>()

/** TypeScript and ES modules → CommonJS; plain CommonJS from node_modules is used as is. */
function compile(file: string): string {
  const mtimeMs = fs.statSync(file).mtimeMs
  const hit = compiled.get(file)
  if (hit && hit.mtimeMs === mtimeMs) return hit.code
  const source = fs.readFileSync(file, 'utf8')
  const needsTransform =
    file.endsWith('.ts') || /^\s*(import|export)\s/m.test(source) || !file.includes('node_modules')
  const code = needsTransform
    ? transformSync(source, {
        loader: file.endsWith('.ts') ? 'ts' : 'js',
        format: 'cjs',
        target: 'es2020',
        sourcemap: 'inline',
        sourcefile: file,
      }).code
    : source
  compiled.set(file, { mtimeMs, code })
  return code
}
