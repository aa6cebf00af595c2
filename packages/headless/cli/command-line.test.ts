// The command line as the README's "Command line" section promises it, run as a user runs it: the
// CLI spawned with DevTools' arguments, its exit code, stdout and stderr, and the automation port
// answering the client.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import automator from 'miniprogram-automator'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import { WebSocket } from 'ws'
import { BASIC_PROJECT } from '../fixtures'
import { freePort } from './free-port'
import { HEADLESS_CLI } from './paths'

jest.setTimeout(60_000)

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [HEADLESS_CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HEADLESS_LOG: '' },
  })

test('-h and --help print the usage with every command; exit 0', () => {
  for (const flag of ['-h', '--help']) {
    const run = cli(flag)
    expect(run.status).toBe(0)
    for (const command of ['auto', 'build-npm', 'smoke', 'open', 'auto-replay', 'quit'])
      expect(run.stdout).toContain(command)
    expect(run.stdout).toMatch(/^usage: miniprogram-headless /)
  }
})

test("-v and --version print the package's name and version; exit 0", () => {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'),
  ) as { name: string; version: string }
  for (const flag of ['-v', '--version']) {
    const run = cli(flag)
    expect(run.status).toBe(0)
    expect(run.stdout.trim()).toBe(`${manifest.name} ${manifest.version}`)
  }
})

test('close, quit, islogin, login, reset-fileutils and cache do nothing and exit 0', () => {
  for (const command of ['close', 'quit', 'islogin', 'login', 'reset-fileutils', 'cache']) {
    const run = cli(command, '--project', BASIC_PROJECT)
    expect({ command, status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      command,
      status: 0,
      stdout: '',
      stderr: '',
    })
  }
})

test("DevTools' options that mean nothing headless are accepted and ignored", () => {
  const run = cli(
    '--lang',
    'zh',
    '--port',
    '9527',
    '--debug',
    'quit',
    '--project',
    BASIC_PROJECT,
    '--ticket',
    't',
    '--trust-project',
    '--appid',
    'wx123',
    '--ext-appid',
    'wx456',
    '--test-ticket',
    'tt',
    '--disable-gpu',
    '--compile-type',
    'miniprogram',
    '--qr-format',
    'base64',
    '--qr-size',
    'small',
    '--qr-output',
    '/tmp/qr',
    '--info-output',
    '/tmp/info',
    '--result-output',
    '/tmp/result',
  )
  expect([run.status, run.stderr]).toEqual([0, ''])
})

test("preview, auto-preview, upload and cloud fail saying they need WeChat's servers; exit 2", () => {
  for (const command of ['preview', 'auto-preview', 'upload', 'cloud']) {
    const run = cli(command, '--project', BASIC_PROJECT)
    expect(run.status).toBe(2)
    expect(run.stderr).toContain(`${command} needs WeChat's servers`)
  }
})

test('a bad command line exits 2 with the reason on stderr', () => {
  const cases: [string[], string][] = [
    [['--lang', 'fr', 'auto', '--project', BASIC_PROJECT], '--lang must be en or zh, not fr'],
    [['auto', '--project', BASIC_PROJECT, '--port', 'x'], 'bad port for --port: x'],
    [['auto', '--project', BASIC_PROJECT, '--auto-port', 'x'], 'bad port for --auto-port: x'],
    [['auto', '--project', BASIC_PROJECT, '--bogus'], 'unknown option: --bogus'],
    [['bogus', '--project', BASIC_PROJECT], 'unknown command: bogus'],
    [['auto'], '--project is required'],
  ]
  for (const [args, reason] of cases) {
    const run = cli(...args)
    expect({ args, status: run.status }).toEqual({ args, status: 2 })
    expect(run.stderr).toContain(reason)
  }
})

/** Resolves once something accepts WebSocket connections on the port (the CLI starts it). */
async function listening(port: number): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`)
      ws.once('open', () => {
        ws.terminate()
        resolve(true)
      })
      ws.once('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The unmodified client, connected to the CLI's port once it listens. */
async function connectWhenListening(port: number): Promise<MiniProgram> {
  await listening(port)
  return automator.connect({ wsEndpoint: `ws://127.0.0.1:${port}` })
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/** Spawns the CLI with `args` plus a free --auto-port: it serves the basic fixture's home page,
 * and close() ends it with exit 0. */
async function servesHomeAndExitsOnClose(args: string[]): Promise<void> {
  const port = await freePort()
  const child = spawn(process.execPath, [HEADLESS_CLI, ...args, '--auto-port', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, HEADLESS_LOG: '' },
  })
  try {
    const mp = await connectWhenListening(port)
    expect((await mp.currentPage())!.path).toBe('pages/home/index')
    await mp.close()
    expect(await exited(child)).toBe(0)
  } finally {
    child.kill()
  }
}

test.each(['open', 'auto-replay'])(
  '%s serves the project as auto does; close() ends the CLI with exit 0',
  (command) => servesHomeAndExitsOnClose([command, '--project', BASIC_PROJECT]),
)

test('a launch failure answers the client on --auto-port=N (the = form) with its cause', async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-no-app-'))
  fs.writeFileSync(path.join(project, 'project.config.json'), '{}')
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [HEADLESS_CLI, 'auto', '--project', project, `--auto-port=${port}`],
    { stdio: 'ignore', env: { ...process.env, HEADLESS_LOG: '' } },
  )
  try {
    await expect(connectWhenListening(port)).rejects.toThrow(
      /^the headless runtime failed to start: /,
    )
    expect(await exited(child)).toBe(1)
  } finally {
    child.kill()
    fs.rmSync(project, { recursive: true, force: true })
  }
})

test('build-npm packs the npm packages of the miniprogram root into miniprogram_npm', () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-build-npm-'))
  try {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true })
      fs.writeFileSync(path.join(project, file), text)
    }
    write('project.config.json', JSON.stringify({ appid: 'touristappid' }))
    write('app.json', JSON.stringify({ pages: ['pages/index/index'] }))
    write('package.json', JSON.stringify({ name: 'app', dependencies: { 'tiny-ui': '1.0.0' } }))
    write(
      'node_modules/tiny-ui/package.json',
      JSON.stringify({ name: 'tiny-ui', version: '1.0.0', miniprogram: 'dist' }),
    )
    write('node_modules/tiny-ui/dist/index.js', 'module.exports = { tiny: true }')
    // miniprogram-ci writes its cache into the working directory: keep it in the temp project.
    const run = spawnSync(process.execPath, [HEADLESS_CLI, 'build-npm', '--project', project], {
      encoding: 'utf8',
      cwd: project,
      env: { ...process.env, HEADLESS_LOG: '' },
    })
    expect(run.status).toBe(0)
    expect(run.stdout).toContain(`构建 npm: ${project}/miniprogram_npm (1 mini-program`)
    expect(fs.existsSync(path.join(project, 'miniprogram_npm/tiny-ui/index.js'))).toBe(true)
  } finally {
    fs.rmSync(project, { recursive: true, force: true })
  }
})

test('--compile-condition chooses the first page; launch() with a ticket and trustProject starts', async () => {
  const mp = await automator.launch({
    cliPath: HEADLESS_CLI,
    projectPath: BASIC_PROJECT,
    port: await freePort(),
    ticket: 'devtools-ticket',
    trustProject: true,
    args: ['--compile-condition', '{"pathName":"pages/detail/index","query":"id=5"}'],
  })
  try {
    const page = (await mp.currentPage())!
    expect([page.path, page.query]).toEqual(['pages/detail/index', { id: '5' }])
    // The launch options name that page, its query apart from its path.
    expect(await mp.callWxMethod('getLaunchOptionsSync')).toMatchObject({
      path: 'pages/detail/index',
      query: { id: '5' },
      scene: 1001,
    })
  } finally {
    await mp.close()
  }
})

test('the v1 form --auto <project> serves the project', () =>
  servesHomeAndExitsOnClose(['--auto', BASIC_PROJECT]))

test('build-npm with nothing to pack, or no project, fails with the reason; exit 1', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-build-npm-empty-'))
  try {
    fs.writeFileSync(path.join(empty, 'project.config.json'), '{}')
    const nothing = spawnSync(process.execPath, [HEADLESS_CLI, 'build-npm', '--project', empty], {
      encoding: 'utf8',
      cwd: empty,
      env: { ...process.env, HEADLESS_LOG: '' },
    })
    expect(nothing.status).toBe(1)
    expect(nothing.stderr).toContain('build-npm failed: no npm packages to build')
  } finally {
    fs.rmSync(empty, { recursive: true, force: true })
  }
  const missing = cli('build-npm', '--project', '/no/such/project')
  expect(missing.status).toBe(1)
  expect(missing.stderr).toContain(
    'build-npm failed: the project folder /no/such/project does not exist',
  )
})

test('a --project that is not a mini-program project names what is wrong; exit 1', () => {
  const missing = cli('auto', '--project', '/no/such/project')
  expect(missing.status).toBe(1)
  expect(missing.stderr).toContain(
    'the headless runtime failed to start: the project folder /no/such/project does not exist',
  )
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-not-a-project-'))
  try {
    const noApp = cli('auto', '--project', empty)
    expect(noApp.status).toBe(1)
    expect(noApp.stderr).toContain(
      `no app.json in ${empty}: --project must be the folder with project.config.json`,
    )
  } finally {
    fs.rmSync(empty, { recursive: true, force: true })
  }
})
