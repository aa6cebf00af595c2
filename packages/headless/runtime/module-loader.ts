// A small CommonJS loader for the mini-program's code, independent of the host's `require`
// (Node's or jest's): TypeScript and ES-module syntax are compiled per file with esbuild, npm
// packages resolve through miniprogram_npm as after DevTools' 构建 npm (npm-resolver.ts), and an
// unresolved request is an error naming the requiring file, the request and the page being loaded.
// Every module is evaluated once per loader, so
// the app, its pages and mobx-miniprogram-bindings share ONE mobx-miniprogram instance.
// Page and component entry files are re-run on demand (`run`), because their Component() call
// must happen while miniprogram-simulate is registering them.
import fs from 'node:fs'
import path from 'node:path'
import { transformSync } from 'esbuild'
import { isBareRequest, NpmResolver, resolveModuleFile } from './npm-resolver'
import { applyResolveAlias, type ResolveAlias } from './resolve-alias'
import { requireFunction } from './require-function'

interface LoadedModule {
  exports: unknown
  loaded: boolean
}

export interface ModuleLoaderOptions {
  /** Told once per npm package read from node_modules because miniprogram_npm was not built. */
  onNpmFallback?: (message: string) => void
  /** What is being loaded (e.g. 'page pages/a/index'), for error messages. */
  context?: () => string | undefined
  /** app.json `resolveAlias`. */
  resolveAlias?: ResolveAlias
}

export class ModuleNotFoundError extends Error {
  constructor(
    readonly request: string,
    readonly from: string,
    detail: string,
  ) {
    super(`Cannot find module '${request}' required from ${from}${detail}`)
    this.name = 'ModuleNotFoundError'
  }
}

export class ModuleLoader {
  private readonly cache = new Map<string, LoadedModule>()
  readonly npm: NpmResolver

  constructor(
    private readonly root: string,
    private readonly options: ModuleLoaderOptions = {},
  ) {
    this.npm = new NpmResolver(root, options.onNpmFallback)
  }

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
    const resolved = resolveModuleFile(path.join(this.root, request.replace(/^\//, '')))
    if (!resolved) throw new ModuleNotFoundError(request, this.root, this.contextSuffix())
    return resolved
  }

  /** An absolute path without extension (as miniprogram-simulate passes it) → a file. */
  resolveAbsolute(base: string): string {
    const resolved = resolveModuleFile(base)
    if (!resolved) throw new ModuleNotFoundError(base, this.root, this.contextSuffix())
    return resolved
  }

  resolve(request: string, fromDir: string, fromFile = fromDir): string {
    const aliased = applyResolveAlias(this.options.resolveAlias ?? {}, request)
    if (aliased !== undefined) request = aliased
    if (!isBareRequest(request)) {
      const base = request.startsWith('/')
        ? path.join(this.root, request)
        : path.resolve(fromDir, request)
      const file = resolveModuleFile(base)
      if (file) return file
      throw new ModuleNotFoundError(request, this.label(fromFile), this.contextSuffix())
    }
    // A mini-program can only require npm packages (no Node built-ins): through miniprogram_npm.
    const lookup = this.npm.resolve(request, fromDir, 'module')
    if (lookup.found) return lookup.found
    // WeChat also accepts 'utils/x' for './utils/x' when no npm package has that name.
    const relative = resolveModuleFile(path.resolve(fromDir, request))
    if (relative) return relative
    throw new ModuleNotFoundError(
      request,
      this.label(fromFile),
      `${this.contextSuffix()}: not in ${lookup.searched.map((s) => this.label(s)).join(', ') || 'any miniprogram_npm folder'}`,
    )
  }

  /** A path relative to the miniprogram root when inside it (for messages). */
  label(file: string): string {
    const rel = path.relative(this.root, file)
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel
  }

  private contextSuffix(): string {
    const context = this.options.context?.()
    return context ? ` (while loading ${context})` : ''
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
        const req = requireFunction((request) => this.require(this.resolve(request, dir, file)))
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
          require: ReturnType<typeof requireFunction>,
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

const compiled = new Map<string, { mtimeMs: number; code: string }>()

/** TypeScript and ES modules (the app's or npm code's) → CommonJS; plain CommonJS from
 *  node_modules is used as is. */
function compile(file: string): string {
  const mtimeMs = fs.statSync(file).mtimeMs
  const hit = compiled.get(file)
  if (hit && hit.mtimeMs === mtimeMs) return hit.code
  const source = fs.readFileSync(file, 'utf8')
  const needsTransform =
    file.endsWith('.ts') ||
    /^\s*(import|export)[\s{*]/m.test(source) ||
    !file.includes('node_modules')
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
