// Reads a mini-program project the way DevTools does: project.config.json's miniprogramRoot,
// then app.json (pages, subpackages, preloadRule, tabBar, window, global usingComponents,
// entryPagePath).
import fs from 'node:fs'
import path from 'node:path'
import { applyThemeVariables, readThemeVariables, type ThemeVariables } from './app-theme'
import { readResolveAlias, type ResolveAlias } from './resolve-alias'

export interface ProjectInfo {
  /** The project directory (where project.config.json lives). */
  projectPath: string
  /** Absolute miniprogramRoot. */
  root: string
  pages: string[]
  tabBarPages: string[]
  entryPage: string
  window: Record<string, unknown>
  /** Global usingComponents as app.json writes them (resolved by component-resolver.ts). */
  usingComponents: Record<string, string>
  /** The tab bar as app.json describes it (for screenshots). */
  tabBar: {
    color?: string
    selectedColor?: string
    items: Array<{ route: string; text: string }>
    /** `custom: true`: the app's own custom-tab-bar component replaces the native bar. */
    custom: boolean
  }
  /** `subpackages` (or the older `subPackages`), their pages included in `pages`. */
  subpackages: Subpackage[]
  /** preloadRule: page route → subpackage roots/names to download when it opens. */
  preloadRule: Record<string, string[]>
  /** resolveAlias: path mappings for require and usingComponents. */
  resolveAlias: ResolveAlias
  /** The theme file's variables (themeLocation), for `@name` values in page .json files too. */
  theme: ThemeVariables
}

export interface Subpackage {
  root: string
  name?: string
  independent: boolean
  /** Full routes ('<root>/<page>'). */
  pages: string[]
}

function readSubpackages(app: Record<string, unknown>, file: string): Subpackage[] {
  const list = app.subpackages ?? app.subPackages
  if (list === undefined) return []
  if (!Array.isArray(list)) throw new Error(`${file}: "subpackages" must be an array`)
  return list.map((entry: unknown, i) => {
    const sub = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
      string,
      unknown
    >
    if (typeof sub.root !== 'string' || sub.root === '')
      throw new Error(`${file}: subpackages[${i}].root is required`)
    const root = sub.root.replace(/^\/+|\/+$/g, '')
    const out: Subpackage = {
      root,
      independent: sub.independent === true,
      pages: strings(sub.pages).map((p) => `${root}/${normalizeRoute(p)}`),
    }
    if (typeof sub.name === 'string') out.name = sub.name
    return out
  })
}

function readPreloadRule(
  app: Record<string, unknown>,
  subpackages: Subpackage[],
  pages: string[],
  file: string,
): Record<string, string[]> {
  const rule = app.preloadRule
  const out: Record<string, string[]> = {}
  if (typeof rule !== 'object' || rule === null) return out
  const known = new Set(subpackages.flatMap((s) => [s.root, ...(s.name ? [s.name] : [])]))
  known.add('__APP__')
  for (const [page, value] of Object.entries(rule as Record<string, unknown>)) {
    const route = normalizeRoute(page)
    // DevTools refuses to compile an app.json whose preloadRule names what does not exist.
    if (!pages.includes(route)) throw new Error(`${file}: preloadRule page "${page}" is not a page`)
    const packages = strings((value as { packages?: unknown } | null)?.packages)
    for (const p of packages)
      if (!known.has(p.replace(/^\/+|\/+$/g, '')))
        throw new Error(`${file}: preloadRule["${page}"] names unknown subpackage "${p}"`)
    out[route] = packages
  }
  return out
}

function readJsonObject(file: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected a JSON object`)
  }
  return parsed as Record<string, unknown>
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

export function normalizeRoute(route: string): string {
  return route.replace(/^\/+/, '').replace(/\.(ts|js)$/, '')
}

export function readProject(projectPath: string): ProjectInfo {
  const abs = path.resolve(projectPath)
  if (!fs.existsSync(abs)) throw new Error(`the project folder ${abs} does not exist`)
  const configFile = path.join(abs, 'project.config.json')
  let rootRel = ''
  if (fs.existsSync(configFile)) {
    const config = readJsonObject(configFile)
    if (typeof config.miniprogramRoot === 'string') rootRel = config.miniprogramRoot
  }
  const root = path.resolve(abs, rootRel)
  const appFile = path.join(root, 'app.json')
  // The usual mistake: --project names the miniprogram folder's parent or child, not the folder
  // with project.config.json (whose miniprogramRoot holds app.json).
  if (!fs.existsSync(appFile))
    throw new Error(
      `no app.json in ${root}: --project must be the folder with project.config.json, whose miniprogramRoot holds app.json`,
    )
  const theme = readThemeVariables(root, readJsonObject(appFile).themeLocation)
  const app = applyThemeVariables(readJsonObject(appFile), theme)
  const mainPages = strings(app.pages).map(normalizeRoute)
  if (mainPages.length === 0) throw new Error(`${appFile}: "pages" is empty`)
  const subpackages = readSubpackages(app, appFile)
  const pages = [...mainPages, ...subpackages.flatMap((s) => s.pages)]
  const tabBar = app.tabBar as
    | {
        list?: Array<{ pagePath?: unknown; text?: unknown }>
        custom?: unknown
        color?: unknown
        selectedColor?: unknown
      }
    | undefined
  const tabBarPages = (tabBar?.list ?? [])
    .map((t) => t.pagePath)
    .filter((p): p is string => typeof p === 'string')
    .map(normalizeRoute)
  const entry =
    typeof app.entryPagePath === 'string' ? normalizeRoute(app.entryPagePath) : mainPages[0]!
  const using: Record<string, string> = {}
  const rawUsing = app.usingComponents
  if (typeof rawUsing === 'object' && rawUsing !== null) {
    for (const [tag, p] of Object.entries(rawUsing as Record<string, unknown>)) {
      if (typeof p === 'string') using[tag] = p
    }
  }
  const window =
    typeof app.window === 'object' && app.window !== null
      ? (app.window as Record<string, unknown>)
      : {}
  const items = (tabBar?.list ?? []).flatMap((t) =>
    typeof t.pagePath === 'string'
      ? [{ route: normalizeRoute(t.pagePath), text: typeof t.text === 'string' ? t.text : '' }]
      : [],
  )
  const bar: ProjectInfo['tabBar'] = { items, custom: tabBar?.custom === true }
  if (typeof tabBar?.color === 'string') bar.color = tabBar.color
  if (typeof tabBar?.selectedColor === 'string') bar.selectedColor = tabBar.selectedColor
  return {
    projectPath: abs,
    root,
    pages,
    tabBarPages,
    entryPage: entry,
    window,
    usingComponents: using,
    tabBar: bar,
    subpackages,
    preloadRule: readPreloadRule(app, subpackages, pages, appFile),
    resolveAlias: readResolveAlias(app.resolveAlias, appFile),
    theme,
  }
}

/** Splits 'pages/a/index?x=1&y=2' (leading slash optional) into route and decoded query. */
export function parseUrl(
  url: string,
  fromRoute?: string,
): { route: string; query: Record<string, string> } {
  const [rawPath = '', rawQuery = ''] = url.split('?', 2)
  let p = rawPath
  if (!p.startsWith('/') && fromRoute) {
    // Relative URLs resolve against the current page's directory, as in WeChat.
    p = path.posix.join(path.posix.dirname(`/${fromRoute}`), p)
  }
  const query: Record<string, string> = {}
  for (const part of rawQuery.split('&')) {
    if (!part) continue
    const [k = '', v = ''] = part.split('=', 2)
    // WeChat hands onLoad the raw (still encoded) values; pages decode them themselves.
    query[k] = v
  }
  return { route: normalizeRoute(path.posix.normalize(p)), query }
}

/** The subpackage a route belongs to (undefined: the main package). */
export function subpackageOf(project: ProjectInfo, route: string): Subpackage | undefined {
  return project.subpackages.find((s) => route.startsWith(`${s.root}/`))
}
