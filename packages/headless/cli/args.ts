// The command line of DevTools' CLI (v2, https://developers.weixin.qq.com/miniprogram/dev/devtools/cli.html),
// as automator.launch() and people type it. automator.launch({ args }) puts `args` BEFORE its own
// `auto --project P --auto-port N [--auto-account A | --ticket T] [--trust-project]`, so global
// options may come before or after the command. The v1 form `--auto <project>` is accepted too.
//
// Commands: `auto` (and `open`, `auto-replay`: the same headless start), `build-npm` (构建 npm),
// `smoke` (headless only: open every page once and report what failed),
// `close` / `quit` / `islogin` / `login` / `reset-fileutils` / `cache` (nothing to do headless);
// `preview`, `auto-preview`, `upload` and `cloud` need WeChat's servers: an error says so.
// Options that mean nothing headless are accepted and ignored: --lang, --port (DevTools' HTTP
// service port, not the automation port), --debug, --appid / --ext-appid (with --project),
// --ticket, --test-ticket, --trust-project, --disable-gpu, --compile-type, --info-output,
// --qr-format, --qr-size, --qr-output, --result-output. --compile-condition's pathName/query
// choose the entry page. -h / --help prints the usage, -v / --version the runtime's version.
export type Command = 'auto' | 'build-npm' | 'smoke' | 'noop' | 'help' | 'version'

export interface CliArgs {
  command: Command
  projectPath: string
  port: number
  account?: string
  ticket?: string
  trustProject: boolean
  lang: 'en' | 'zh'
  debug: boolean
  /** --compile-condition's page (and query) to open first. */
  entry?: string
  /** smoke --screenshots: where to write one PNG per page. */
  screenshotsDir?: string
}

export class UsageError extends Error {}

export const USAGE = `usage: miniprogram-headless [--lang en|zh] [--port <n>] [--debug] <command> [options]
commands:
  auto        --project <path> [--auto-port <port>] [--auto-account <openid>] [--ticket <t>]
              [--trust-project] [--compile-condition '{"pathName":"pages/x/index","query":"a=1"}']
  build-npm   --project <path>     packs npm into miniprogram_npm as 构建 npm does
  smoke       --project <path> [--screenshots <dir>]
              opens every page (subpackages too) and reports each one's errors; exit 1 on any
  open, auto-replay                 as auto
  close, quit, islogin, login, reset-fileutils, cache   accepted; nothing to do headless
  preview, auto-preview, upload, cloud                  need WeChat's servers: an error
  -h, --help  this usage           -v, --version  the runtime's version
options that mean nothing headless are accepted and ignored (--lang, --port, --appid, …)`

const COMMANDS: Record<string, Command> = {
  auto: 'auto',
  open: 'auto',
  'auto-replay': 'auto',
  'build-npm': 'build-npm',
  smoke: 'smoke',
  close: 'noop',
  quit: 'noop',
  islogin: 'noop',
  login: 'noop',
  'reset-fileutils': 'noop',
  cache: 'noop',
}

/** Options DevTools takes with a value that the headless runtime has no use for. */
const IGNORED_WITH_VALUE = new Set([
  '--appid',
  '--ext-appid',
  '--test-ticket',
  '--compile-type',
  '--info-output',
  '--qr-format',
  '--qr-size',
  '--qr-output',
  '--result-output',
])

/** DevTools commands that talk to WeChat's servers. */
const SERVER_COMMANDS = new Set(['preview', 'auto-preview', 'upload', 'cloud'])

/** Flags DevTools takes that the headless runtime has no use for. */
const IGNORED_FLAGS = new Set(['--disable-gpu', '--ci', '--no-check'])

function parsePort(flag: string, v: string): number {
  const port = Number(v)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`bad port for ${flag}: ${v}`)
  return port
}

function entryOf(condition: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(condition)
  } catch {
    throw new UsageError(`--compile-condition must be JSON: ${condition}`)
  }
  const c = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
    pathName?: unknown
    query?: unknown
  }
  if (typeof c.pathName !== 'string' || c.pathName === '')
    throw new UsageError('--compile-condition needs a "pathName"')
  const query = typeof c.query === 'string' && c.query !== '' ? `?${c.query}` : ''
  return `${c.pathName.replace(/^\/+/, '')}${query}`
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const rest = [...argv]
  let command: Command | undefined
  let projectPath: string | undefined
  let port: number | undefined
  let account: string | undefined
  let ticket: string | undefined
  let trustProject = false
  let lang: 'en' | 'zh' = 'en'
  let debug = false
  let entry: string | undefined
  let screenshotsDir: string | undefined
  while (rest.length > 0) {
    const arg = rest.shift()!
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg]
    const value = (): string => {
      const v = inline ?? rest.shift()
      if (v === undefined) throw new UsageError(`${flag} needs a value\n${USAGE}`)
      return v
    }
    if (flag === undefined) continue
    if (!flag.startsWith('-')) {
      if (SERVER_COMMANDS.has(flag) && !command)
        throw new UsageError(
          `${flag} needs WeChat's servers and DevTools; the headless runtime only runs projects (auto, build-npm, smoke)`,
        )
      const known = COMMANDS[flag]
      if (!known || command) throw new UsageError(`unknown command: ${flag}\n${USAGE}`)
      command = known
      continue
    }
    switch (flag) {
      case '--project':
        projectPath = value()
        break
      case '--auto':
        // v1: `cli --auto <project>`
        command ??= 'auto'
        projectPath = value()
        break
      case '--auto-port':
        port = parsePort(flag, value())
        break
      case '--port':
        // DevTools' HTTP service port: no such service headless, but a bad value is still wrong.
        parsePort(flag, value())
        break
      case '--auto-account':
        account = value()
        break
      case '--ticket':
        ticket = value()
        break
      case '--trust-project':
        trustProject = true
        break
      case '--lang': {
        const v = value()
        if (v !== 'en' && v !== 'zh') throw new UsageError(`--lang must be en or zh, not ${v}`)
        lang = v
        break
      }
      case '--debug':
        debug = true
        break
      case '--compile-condition':
        entry = entryOf(value())
        break
      case '--screenshots':
        screenshotsDir = value()
        break
      case '-h':
      case '--help':
        command = 'help'
        break
      case '-v':
      case '--version':
        command = 'version'
        break
      default:
        if (IGNORED_WITH_VALUE.has(flag)) value()
        else if (!IGNORED_FLAGS.has(flag)) throw new UsageError(`unknown option: ${flag}\n${USAGE}`)
    }
  }
  if (!command) throw new UsageError(`no command given\n${USAGE}`)
  if (command === 'help' || command === 'version' || command === 'noop')
    return {
      command,
      projectPath: projectPath ?? '',
      port: port ?? 9420,
      trustProject,
      lang,
      debug,
    }
  if (!projectPath) throw new UsageError(`--project is required\n${USAGE}`)
  const out: CliArgs = { command, projectPath, port: port ?? 9420, trustProject, lang, debug }
  if (account !== undefined) out.account = account
  if (ticket !== undefined) out.ticket = ticket
  if (entry !== undefined) out.entry = entry
  if (screenshotsDir !== undefined) {
    if (command !== 'smoke') throw new UsageError(`--screenshots is an option of smoke\n${USAGE}`)
    out.screenshotsDir = screenshotsDir
  }
  return out
}
