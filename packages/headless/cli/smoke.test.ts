// `smoke`: every page opened once, each failure named with its page, the exit code telling CI.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs, UsageError } from './args'
import { HEADLESS_CLI } from './paths'

jest.setTimeout(60_000)

/** Writes a small app (our own) into a temp folder: files by path under the project root. */
function writeApp(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-smoke-'))
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }
  return dir
}

const page = (js: string, wxml = '<view>page</view>', json: object = {}) => ({
  js,
  wxml,
  json: JSON.stringify(json),
})

function appWith(pages: Record<string, { js: string; wxml: string; json: string }>): string {
  const routes = Object.keys(pages)
  const inSub = routes.filter((r) => r.startsWith('sub/')).map((r) => r.slice('sub/'.length))
  const files: Record<string, string> = {
    'project.config.json': JSON.stringify({ appid: 'touristappid' }),
    'app.js': 'App({})',
    'app.json': JSON.stringify({
      pages: routes.filter((r) => !r.startsWith('sub/')),
      ...(inSub.length > 0 ? { subpackages: [{ root: 'sub', pages: inSub }] } : {}),
    }),
  }
  for (const [route, p] of Object.entries(pages)) {
    files[`${route}.js`] = p.js
    files[`${route}.wxml`] = p.wxml
    files[`${route}.json`] = p.json
  }
  return writeApp(files)
}

const smoke = (project: string, ...more: string[]) =>
  spawnSync(process.execPath, [HEADLESS_CLI, 'smoke', '--project', project, ...more], {
    encoding: 'utf8',
    env: { ...process.env, HEADLESS_LOG: path.join(os.tmpdir(), 'headless-smoke.log') },
  })

test('an app whose pages all open: one ok line a page, subpackages included, exit 0', () => {
  const project = appWith({
    'pages/home/index': page(
      'Page({ data: { items: [1, 2, 3] } })',
      '<view wx:for="{{items}}" wx:key="*this">{{item}}</view>',
    ),
    'sub/detail/index': page('Page({ onLoad() { wx.setNavigationBarTitle({ title: "详情" }) } })'),
  })
  const run = smoke(project)
  expect(run.stdout).toMatch(/^ok {4}launch on pages\/home\/index \(\d+ elements/m)
  expect(run.stdout).toMatch(/^ok {4}pages\/home\/index \(3 elements/m)
  expect(run.stdout).toMatch(/^ok {4}sub\/detail\/index /m)
  expect(run.stdout).toContain('smoke: 3 of 3 pages opened cleanly')
  expect(run.status).toBe(0)
})

test('a page that throws, or leaves a rejection unhandled, fails with its cause named; exit 1', () => {
  const project = appWith({
    'pages/home/index': page('Page({})'),
    'pages/throws/index': page('Page({ onLoad() { this.data.missing.field = 1 } })'),
    'pages/rejects/index': page('Page({ onReady() { setTimeout(() => wx.navigateBack(), 10) } })'),
  })
  const run = smoke(project)
  expect(run.stdout).toMatch(
    /^FAIL {2}pages\/throws\/index .*\n {8}.*Cannot set properties of undefined/m,
  )
  // navigateBack on the only page fails; with no callbacks its Promise is rejected unhandled.
  expect(run.stdout).toMatch(
    /^FAIL {2}pages\/rejects\/index .*\n {8}Unhandled promise rejection: navigateBack:fail/m,
  )
  expect(run.stdout).toMatch(/^ok {4}pages\/home\/index /m)
  expect(run.stdout).toContain('smoke: 2 of 4 pages opened cleanly')
  expect(run.status).toBe(1)
})

test('an npm component never packed: the page fails once, saying to run 构建 npm', () => {
  const project = appWith({
    'pages/home/index': page('Page({})', '<x-button>go</x-button>', {
      usingComponents: { 'x-button': 'some-ui/button/index' },
    }),
  })
  const run = smoke(project)
  const failing = run.stdout.split('\n').filter((l) => l.includes('"some-ui/button/index"'))
  // the launch and the page's own open: each names the cause once
  expect(failing).toHaveLength(2)
  expect(failing[0]).toContain('run 构建 npm after npm install')
  expect(run.status).toBe(1)
})

test('--screenshots writes one PNG a page', () => {
  const project = appWith({ 'pages/home/index': page('Page({})') })
  const shots = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-smoke-shots-'))
  const run = smoke(project, '--screenshots', shots)
  expect(run.status).toBe(0)
  const png = fs.readFileSync(path.join(shots, 'pages_home_index.png'))
  expect(png.subarray(1, 4).toString()).toBe('PNG')
})

test('--screenshots belongs to smoke only', () => {
  expect(() => parseArgs(['auto', '--project', 'p', '--screenshots', 'd'])).toThrow(UsageError)
  expect(parseArgs(['smoke', '--project', 'p', '--screenshots', 'd'])).toMatchObject({
    command: 'smoke',
    screenshotsDir: 'd',
  })
})

test('app.json fields that only matter on a phone are ignored; a missing WXSS @import is a warning', () => {
  const project = writeApp({
    'project.config.json': JSON.stringify({ appid: 'touristappid' }),
    'app.js': 'App({})',
    'app.json': JSON.stringify({
      pages: ['pages/home/index'],
      style: 'v2',
      sitemapLocation: 'sitemap.json',
      lazyCodeLoading: 'requiredComponents',
      renderer: 'skyline',
      permission: { 'scope.userLocation': { desc: '门店' } },
      requiredPrivateInfos: ['getLocation'],
    }),
    'app.wxss': '@import "styles/gone.wxss";\n.home { color: red; }',
    'pages/home/index.js': 'Page({})',
    'pages/home/index.wxml': '<view class="home">home</view>',
    'pages/home/index.json': '{}',
  })
  const log = path.join(project, 'headless.log')
  const run = spawnSync(process.execPath, [HEADLESS_CLI, 'smoke', '--project', project], {
    encoding: 'utf8',
    env: { ...process.env, HEADLESS_LOG: log },
  })
  expect(run.stdout).toMatch(/^ok {4}pages\/home\/index /m)
  expect(run.status).toBe(0)
  expect(fs.readFileSync(log, 'utf8')).toMatch(/warning: .*styles\/gone\.wxss/)
})
