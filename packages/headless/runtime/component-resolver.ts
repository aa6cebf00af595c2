// usingComponents as DevTools resolves them: '/x' from the miniprogram root, './x' and '../x' from
// the declaring .json's folder, a bare 'pkg/x' through miniprogram_npm (npm-resolver.ts) and
// otherwise relative. app.json's usingComponents are global: every page and component can use
// them, and its own declarations win over them. Each value becomes a root-absolute path
// ('/miniprogram_npm/pkg/x') that miniprogram-simulate can register; one that resolves to nothing
// is an error naming the page, the tag and the declaration, where simulate would have rendered an
// empty tag without a word.
import path from 'node:path'
import { isBareRequest, resolveComponentBase, type NpmResolver } from './npm-resolver'
import { applyResolveAlias, type ResolveAlias } from './resolve-alias'

export class ComponentNotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ComponentNotFoundError'
  }
}

type Using = Record<string, string>

function usingOf(json: Record<string, unknown> | null): Using {
  const raw = json?.usingComponents
  const out: Using = {}
  if (typeof raw !== 'object' || raw === null) return out
  for (const [tag, value] of Object.entries(raw as Record<string, unknown>))
    if (typeof value === 'string') out[tag] = value
  return out
}

/**
 * app.json `useExtendedLib: { weui: true }` makes WeChat serve `weui-miniprogram/…` components
 * itself; the headless runtime has no such library, but finds the same components after 构建 npm.
 */
/** No miniprogram_npm anywhere above the page: npm packages were installed but never packed. */
const NO_NPM_FOLDER =
  'no miniprogram_npm folder: run 构建 npm after npm install, e.g. miniprogram-headless build-npm --project <project>'

function extendedLibHint(value: string): string {
  return value.startsWith('weui-miniprogram/')
    ? ": WeChat serves weui-miniprogram through app.json useExtendedLib, which the headless runtime does not bundle; install the weui-miniprogram npm package and run 构建 npm (the CLI's build-npm) so miniprogram_npm/weui-miniprogram exists"
    : ''
}

export class ComponentResolver {
  private globalUsing: Using | undefined
  private readonly pageBases = new Set<string>()

  constructor(
    private readonly root: string,
    private readonly npm: NpmResolver,
    /** app.json's usingComponents as written. */
    private readonly appUsing: Using,
    /** What is being loaded, e.g. 'page pages/a/index', for messages. */
    private readonly context: () => string | undefined,
    /** app.json `resolveAlias`, which usingComponents values may use too. */
    private readonly aliases: ResolveAlias = {},
  ) {}

  /** Pages may lack a .json; components may not. */
  registerPage(base: string): void {
    this.pageBases.add(base)
  }

  /** The .json of a page or component as simulate reads it, with usingComponents resolved. */
  rewrite(jsonFile: string, json: Record<string, unknown> | null): Record<string, unknown> | null {
    if (json === null) {
      return this.pageBases.has(jsonFile.replace(/\.json$/, ''))
        ? { usingComponents: this.global() }
        : null
    }
    const own = this.resolveAll(usingOf(json), path.dirname(jsonFile), jsonFile)
    return { ...json, usingComponents: { ...this.global(), ...own } }
  }

  /** app.json's usingComponents, resolved once (from the root). */
  private global(): Using {
    this.globalUsing ??= this.resolveAll(this.appUsing, this.root, path.join(this.root, 'app.json'))
    return this.globalUsing
  }

  private resolveAll(using: Using, dir: string, declaredIn: string): Using {
    const out: Using = {}
    for (const [tag, value] of Object.entries(using)) {
      out[tag] = this.resolveOne(tag, value, dir, declaredIn)
    }
    return out
  }

  private resolveOne(tag: string, value: string, dir: string, declaredIn: string): string {
    const where = `<${tag}> "${value}" declared in ${this.label(declaredIn)}`
    const context = this.context()
    const prefix = context ? `${context}: ` : ''
    if (value.startsWith('plugin://') || value.startsWith('plugin-private://')) {
      throw new ComponentNotFoundError(
        `${prefix}${where}: plugin components are not supported by the headless runtime`,
      )
    }
    const searched: string[] = []
    let found: string | undefined
    value = applyResolveAlias(this.aliases, value) ?? value
    if (isBareRequest(value)) {
      const lookup = this.npm.resolve(value, dir, 'component')
      searched.push(...lookup.searched)
      found = lookup.found ?? resolveComponentBase(path.resolve(dir, value))
    } else {
      const candidate = value.startsWith('/')
        ? path.join(this.root, value)
        : path.resolve(dir, value)
      searched.push(candidate)
      found = resolveComponentBase(candidate)
    }
    if (!found) {
      throw new ComponentNotFoundError(
        `${prefix}component ${where} was not found (looked in ${searched.map((s) => this.label(s)).join(', ') || NO_NPM_FOLDER})${extendedLibHint(value)}`,
      )
    }
    return `/${path.relative(this.root, found).split(path.sep).join('/')}`
  }

  private label(file: string): string {
    const rel = path.relative(this.root, file)
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel
  }
}
