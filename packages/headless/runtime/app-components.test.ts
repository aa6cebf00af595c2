// app.json's usingComponents, as the README describes them: they work on every page and inside
// components, and a page's or component's own declaration of the same tag wins.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { HeadlessRuntime } from './runtime'

let project: string
let rt: HeadlessRuntime

const component = (text: string, json: object = {}) => ({
  js: 'Component({})',
  wxml: text,
  json: JSON.stringify({ component: true, ...json }),
})

beforeAll(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-app-components-'))
  const parts: Record<string, { js: string; wxml: string; json: string }> = {
    'components/badge/index': component('<text>app badge</text>'),
    'components/own-badge/index': component('<text>own badge</text>'),
    // A component that uses the app-level tag without declaring it.
    'components/card/index': component('<view class="card"><x-badge /></view>'),
    // A component that declares the tag itself.
    'components/own-card/index': component('<view class="own-card"><x-badge /></view>', {
      usingComponents: { 'x-badge': '/components/own-badge/index' },
    }),
    'pages/a/index': {
      js: 'Page({})',
      wxml: '<x-badge id="on-page" /><x-card /><x-own-card />',
      json: '{}',
    },
    'pages/b/index': {
      js: 'Page({})',
      wxml: '<x-badge id="on-page" />',
      json: JSON.stringify({ usingComponents: { 'x-badge': '/components/own-badge/index' } }),
    },
  }
  const files: Record<string, string> = {
    'project.config.json': JSON.stringify({ appid: 'touristappid' }),
    'app.js': 'App({})',
    'app.json': JSON.stringify({
      pages: ['pages/a/index', 'pages/b/index'],
      usingComponents: {
        'x-badge': '/components/badge/index',
        'x-card': '/components/card/index',
        'x-own-card': '/components/own-card/index',
      },
    }),
  }
  for (const [base, p] of Object.entries(parts)) {
    files[`${base}.js`] = p.js
    files[`${base}.wxml`] = p.wxml
    files[`${base}.json`] = p.json
  }
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true })
    fs.writeFileSync(path.join(project, file), text)
  }
  rt = new HeadlessRuntime({ projectPath: project, onWarning: () => undefined })
  await rt.launch()
})

afterAll(() => fs.rmSync(project, { recursive: true, force: true }))

const text = (): string => rt.currentPage!.container.textContent ?? ''

test('app-level components render on a page and inside a component that does not declare them', () => {
  expect(text()).toContain('app badge')
  // x-card's own <x-badge> comes from app.json; x-own-card's from its own declaration.
  expect(text().match(/app badge/g)).toHaveLength(2)
  expect(text().match(/own badge/g)).toHaveLength(1)
})

test("a page's own declaration of the tag wins over app.json's", async () => {
  await (rt.facade.wx.reLaunch as (o: object) => Promise<unknown>)({ url: '/pages/b/index' })
  expect(text()).toContain('own badge')
  expect(text()).not.toContain('app badge')
})
