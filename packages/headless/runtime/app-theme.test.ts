// themeLocation as the README describes it for page .json files: a page's `@name` values take the
// theme file's light values (the device's theme), as the navigation bar shows them.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { HeadlessRuntime } from './runtime'
import { pageHtml } from './screenshot'

let project: string

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-theme-'))
  const files: Record<string, string> = {
    'project.config.json': JSON.stringify({ appid: 'touristappid' }),
    'app.js': 'App({})',
    'app.json': JSON.stringify({ pages: ['pages/a/index'], themeLocation: 'theme.json' }),
    'theme.json': JSON.stringify({
      light: { pageTitle: '浅色标题' },
      dark: { pageTitle: '深色标题' },
    }),
    'pages/a/index.js': 'Page({})',
    'pages/a/index.wxml': '<view>a</view>',
    'pages/a/index.json': JSON.stringify({ navigationBarTitleText: '@pageTitle' }),
  }
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true })
    fs.writeFileSync(path.join(project, file), text)
  }
})

afterAll(() => fs.rmSync(project, { recursive: true, force: true }))

test("a page .json's @variable takes the light theme's value in the navigation bar", async () => {
  const rt = new HeadlessRuntime({ projectPath: project, onWarning: () => undefined })
  await rt.launch()
  expect(pageHtml(rt)).toContain('<div class="headless-nav">浅色标题</div>')
})
