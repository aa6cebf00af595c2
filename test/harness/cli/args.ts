// The command line DevTools' CLI receives from automator.launch():
//   auto --project <abs path> --auto-port <port> [--auto-account <openid> | --ticket <t>] [--trust-project]
export interface CliArgs {
  projectPath: string
  port: number
  account?: string
  ticket?: string
  trustProject: boolean
}

export class UsageError extends Error {}

export const USAGE =
  'usage: headless-cli auto --project <path> --auto-port <port> [--auto-account <openid>] [--ticket <t>] [--trust-project]'

export function parseArgs(argv: readonly string[]): CliArgs {
  const rest = [...argv]
  if (rest[0] !== 'auto') throw new UsageError(`unknown command: ${rest[0] ?? '(none)'}\n${USAGE}`)
  rest.shift()
  let projectPath: string | undefined
  let port: number | undefined
  let account: string | undefined
  let ticket: string | undefined
  let trustProject = false
  while (rest.length > 0) {
    const flag = rest.shift()!
    const value = (): string => {
      const v = rest.shift()
      if (v === undefined) throw new UsageError(`${flag} needs a value\n${USAGE}`)
      return v
    }
    switch (flag) {
      case '--project':
        projectPath = value()
        break
      case '--auto-port':
      case '--port': {
        const v = value()
        port = Number(v)
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new UsageError(`bad port: ${v}`)
        break
      }
      case '--auto-account':
        account = value()
        break
      case '--ticket':
        ticket = value()
        break
      case '--trust-project':
        trustProject = true
        break
      default:
        throw new UsageError(`unknown option: ${flag}\n${USAGE}`)
    }
  }
  if (!projectPath) throw new UsageError(`--project is required\n${USAGE}`)
  const out: CliArgs = { projectPath, port: port ?? 9420, trustProject }
  if (account !== undefined) out.account = account
  if (ticket !== undefined) out.ticket = ticket
  return out
}
