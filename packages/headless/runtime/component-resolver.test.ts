// usingComponents values public apps write: resolveAlias paths, and weui-miniprogram from
// useExtendedLib, which the runtime does not bundle and must say so.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ComponentResolver } from './component-resolver'
import { NpmResolver } from './npm-resolver'

let root: string

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-components-'))
  fs.mkdirSync(path.join(root, 'components/card'), { recursive: true })
  for (const ext of ['json', 'js', 'wxml'])
    fs.writeFileSync(path.join(root, `components/card/index.${ext}`), ext === 'json' ? '{}' : '')
})

afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const resolver = (): ComponentResolver =>
  new ComponentResolver(root, new NpmResolver(root), {}, () => 'page pages/a/index', {
    '@/*': '/*',
  })

test('a usingComponents value through resolveAlias', () => {
  const json = resolver().rewrite(path.join(root, 'pages/a/index.json'), {
    usingComponents: { card: '@/components/card/index' },
  })
  expect(json?.usingComponents).toEqual({ card: '/components/card/index' })
})

test('weui-miniprogram without 构建 npm fails with the reason and the way out', () => {
  expect(() =>
    resolver().rewrite(path.join(root, 'pages/a/index.json'), {
      usingComponents: { 'mp-cells': 'weui-miniprogram/cells/cells' },
    }),
  ).toThrow(
    /useExtendedLib, which the headless runtime does not bundle; install the weui-miniprogram/,
  )
})

test('a plugin component is an error that names it, where it was declared, and why', () => {
  for (const value of ['plugin://myPlugin/comp', 'plugin-private://wx123/comp'])
    expect(() =>
      resolver().rewrite(path.join(root, 'pages/a/index.json'), {
        usingComponents: { 'x-plugin': value },
      }),
    ).toThrow(
      `page pages/a/index: <x-plugin> "${value}" declared in pages/a/index.json: plugin components are not supported by the headless runtime`,
    )
})
