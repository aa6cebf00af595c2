// app.json as DevTools reads it: subpackages under either spelling, independent ones, preloadRule
// checked against what exists, and the custom tab bar flag.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readProject, subpackageOf } from './project'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

function projectWith(app: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-project-'))
  dirs.push(dir)
  fs.writeFileSync(path.join(dir, 'app.json'), JSON.stringify(app))
  return dir
}

test('subPackages (older spelling) add their pages under their root', () => {
  const p = readProject(
    projectWith({
      pages: ['pages/a/index'],
      subPackages: [{ root: 'sub/', pages: ['b/index'], independent: true, name: 's' }],
      tabBar: { custom: true, list: [{ pagePath: 'pages/a/index', text: 'A' }] },
    }),
  )
  expect(p.pages).toEqual(['pages/a/index', 'sub/b/index'])
  expect(subpackageOf(p, 'sub/b/index')).toMatchObject({
    root: 'sub',
    independent: true,
    name: 's',
  })
  expect(subpackageOf(p, 'pages/a/index')).toBeUndefined()
  expect(p.tabBar.custom).toBe(true)
  expect(p.entryPage).toBe('pages/a/index')
})

test('a preloadRule naming a missing page or subpackage is refused, as DevTools refuses it', () => {
  const base = { pages: ['pages/a/index'], subpackages: [{ root: 'sub', pages: ['b/index'] }] }
  expect(() =>
    readProject(projectWith({ ...base, preloadRule: { 'pages/a/index': { packages: ['nope'] } } })),
  ).toThrow('preloadRule["pages/a/index"] names unknown subpackage "nope"')
  expect(() =>
    readProject(projectWith({ ...base, preloadRule: { 'pages/x/index': { packages: ['sub'] } } })),
  ).toThrow('preloadRule page "pages/x/index" is not a page')
  expect(
    readProject(projectWith({ ...base, preloadRule: { 'pages/a/index': { packages: ['sub'] } } }))
      .preloadRule,
  ).toEqual({ 'pages/a/index': ['sub'] })
})

test('themeLocation: @variables in window and tabBar take the light theme values', () => {
  const dir = projectWith({
    pages: ['pages/a/index'],
    themeLocation: 'theme.json',
    window: { navigationBarTitleText: '@title', navigationBarBackgroundColor: '@missing' },
    tabBar: { color: '@tab', list: [{ pagePath: 'pages/a/index', text: 'A' }] },
  })
  fs.writeFileSync(
    path.join(dir, 'theme.json'),
    JSON.stringify({
      light: { title: '浅色', tab: '#111111' },
      dark: { title: '深色', tab: '#eeeeee' },
    }),
  )
  const p = readProject(dir)
  expect(p.window).toEqual({
    navigationBarTitleText: '浅色',
    navigationBarBackgroundColor: '@missing',
  })
  expect(p.tabBar.color).toBe('#111111')
})

test('resolveAlias: keys and values must end with /*', () => {
  expect(
    readProject(projectWith({ pages: ['pages/a/index'], resolveAlias: { '@/*': '/*' } }))
      .resolveAlias,
  ).toEqual({ '@/*': '/*' })
  expect(() =>
    readProject(projectWith({ pages: ['pages/a/index'], resolveAlias: { '@': '/' } })),
  ).toThrow('resolveAlias "@" and its value must both end with "/*"')
})
