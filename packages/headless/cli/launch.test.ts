// An unmodified automator script: automator.launch({ cliPath }) spawns the headless CLI exactly
// as it spawns DevTools' cli, then drives the fixture app. (launch() sleeps 5 s by design.)
// A launch that cannot succeed fails with its real cause, from the CLI and through the client.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import automator from 'miniprogram-automator'
import { BASIC_PROJECT } from '../fixtures'
import { freePort } from './free-port'
import { HEADLESS_CLI } from './paths'

jest.setTimeout(60_000)

test('automator.launch({ cliPath }) starts the runtime and a plain script passes', async () => {
  const port = await freePort()
  const mp = await automator.launch({
    cliPath: HEADLESS_CLI,
    projectPath: BASIC_PROJECT,
    port,
    account: 'o-launch',
    // DevTools' global options, as a script written for DevTools passes them.
    args: ['--lang', 'zh', '--port', String(await freePort())],
  })
  try {
    const page = (await mp.currentPage())!
    expect(page.path).toBe('pages/home/index')
    const title = await page.$('#title')
    await (await page.$('#inc'))!.tap()
    await page.waitFor(100)
    expect(await title!.text()).toMatch(/^Count \d+ double \d+$/)
    expect(await page.data('count')).toBe(1)
    const info = (await mp.systemInfo()) as { SDKVersion: string }
    expect(info.SDKVersion).toBe('3.6.0')
  } finally {
    await mp.close()
  }
})

/** A copy of the basic fixture whose home page declares a component that does not exist. */
function brokenProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-broken-'))
  fs.cpSync(BASIC_PROJECT, dir, { recursive: true })
  const json = path.join(dir, 'miniprogram/pages/home/index.json')
  fs.writeFileSync(
    json,
    JSON.stringify({ usingComponents: { 'x-gone': '/components/gone/index' } }),
  )
  return dir
}

test('a launch failure: the CLI exits non-zero at once with the cause on stderr', () => {
  const project = brokenProject()
  try {
    const run = spawnSync(process.execPath, [HEADLESS_CLI, 'auto', '--project', project], {
      encoding: 'utf8',
      env: { ...process.env, HEADLESS_LOG: '' },
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(
      'the headless runtime failed to start: page pages/home/index: component <x-gone> "/components/gone/index" declared in pages/home/index.json was not found',
    )
    const usage = spawnSync(
      process.execPath,
      [HEADLESS_CLI, 'auto', '--project', project, '--nope'],
      {
        encoding: 'utf8',
      },
    )
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('unknown option: --nope')
  } finally {
    fs.rmSync(project, { recursive: true, force: true })
  }
})

test('a launch failure reaches automator.launch() with the real reason', async () => {
  const project = brokenProject()
  try {
    await expect(
      automator.launch({ cliPath: HEADLESS_CLI, projectPath: project, port: await freePort() }),
    ).rejects.toThrow(
      /^the headless runtime failed to start: page pages\/home\/index: component <x-gone>/,
    )
    await expect(
      automator.launch({
        cliPath: HEADLESS_CLI,
        projectPath: project,
        port: await freePort(),
        args: ['--lang', 'klingon'],
      }),
    ).rejects.toThrow('--lang must be en or zh, not klingon')
  } finally {
    fs.rmSync(project, { recursive: true, force: true })
  }
})
