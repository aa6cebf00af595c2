// npm as DevTools loads it after 构建 npm (packed here by miniprogram-ci): require and
// usingComponents through miniprogram_npm (nested folders first), a package name alone, ES-module
// syntax in npm code, app.json's global components, and loud errors for what does not resolve.
import fs from 'node:fs'
import path from 'node:path'
import { buildFixture, type BuiltFixture } from '../fixtures/build'
import { BASIC_PROJECT, NPM_INSTALLS, NPM_PROJECT } from '../fixtures'
import { HeadlessRuntime } from './runtime'

type RouteFn = (o: Record<string, unknown>) => Promise<{ errMsg: string }>

let built: BuiltFixture
let rt: HeadlessRuntime
const warnings: string[] = []
const exceptions: string[] = []

const navigateTo = (url: string): Promise<{ errMsg: string }> =>
  (rt.facade.wx.navigateTo as RouteFn)({ url })

beforeAll(async () => {
  built = await buildFixture(NPM_PROJECT, NPM_INSTALLS)
  rt = new HeadlessRuntime({ projectPath: built.projectPath, onWarning: (m) => warnings.push(m) })
  rt.on('exception', (e) => exceptions.push(e.message))
  await rt.launch()
}, 60_000)

afterAll(() => built.remove())

test('构建 npm produced both miniprogram_npm folders the fixture declares', () => {
  const root = path.join(built.projectPath, 'miniprogram')
  expect(fs.existsSync(path.join(root, 'miniprogram_npm/fixture-ui/button/index.json'))).toBe(true)
  expect(fs.existsSync(path.join(root, 'nested/miniprogram_npm/fixture-util/index.js'))).toBe(true)
})

test('require of a package name and of an ES-module package resolve through miniprogram_npm', () => {
  const data = rt.currentPage!.instance.data
  expect(data.copy).toBe('root')
  expect(data.library).toBe('fixture-ui')
  expect(data.shouted).toBe('hi!')
  expect(warnings).toEqual([])
})

test('npm components render, from the page json and from app.json', () => {
  const html = rt.currentPage!.container.innerHTML
  expect(html).toContain('own!')
  expect(html).toContain('global!')
})

test('a page under a folder with its own miniprogram_npm gets that copy of the package', async () => {
  await navigateTo('/nested/pages/deep/index')
  expect(rt.currentPage!.route).toBe('nested/pages/deep/index')
  expect(rt.currentPage!.instance.data.copy).toBe('nested')
})

test('an unresolved component fails the navigation, naming the page, the tag and the path', async () => {
  await expect(navigateTo('/pages/broken/index')).rejects.toMatchObject({
    errMsg: expect.stringMatching(
      /^navigateTo:fail page pages\/broken\/index: component <t-missing> "fixture-ui\/nothing\/index" declared in pages\/broken\/index\.json was not found \(looked in miniprogram_npm\/fixture-ui\)/,
    ),
  })
  expect(exceptions.at(-1)).toMatch(/<t-missing>/)
})

test('an unresolved module fails the navigation, naming the module, the file and the page', async () => {
  await expect(navigateTo('/pages/missing-module/index')).rejects.toMatchObject({
    errMsg: expect.stringMatching(
      /^navigateTo:fail Cannot find module 'not-installed\/thing' required from pages\/missing-module\/index\.js \(while loading page pages\/missing-module\/index\): not in miniprogram_npm\/not-installed/,
    ),
  })
  expect(exceptions.at(-1)).toMatch(/not-installed\/thing/)
})

test('a project that was never built reads JS packages from node_modules and says so', () => {
  // The basic fixture has no miniprogram_npm; its mobx-miniprogram comes from node_modules.
  const basicWarnings: string[] = []
  const other = new HeadlessRuntime({
    projectPath: BASIC_PROJECT,
    onWarning: (m) => basicWarnings.push(m),
  })
  const file = other.loader.resolve('mobx-miniprogram', other.project.root)
  expect(file).toContain(`${path.sep}node_modules${path.sep}mobx-miniprogram${path.sep}`)
  expect(basicWarnings).toEqual([
    expect.stringMatching(/miniprogram_npm was not built: "mobx-miniprogram"/),
  ])
})
