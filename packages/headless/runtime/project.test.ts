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
