// Command-line options of the conformance suite.
import type { SuiteOptions } from './suite'

export const USAGE = `usage: npm run conformance -- --base-url URL [--sim-url URL] [--sim-token TOKEN] [--session-ttl-sec N]
  --base-url         the back end under test (it must use the simulated WeChat at --sim-url)
  --sim-url          the simulated WeChat's control routes (default: --base-url, where the
                     reference server serves them in simulated mode)
  --sim-token        sent as X-Sim-Token to the control routes (default: $SIM_CONTROL_TOKEN)
  --session-ttl-sec  the back end's session lifetime; enables the (slow) session expiry check`

function origin(flag: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`${flag} must be a URL, got ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${flag} must be http or https`)
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

export function parseConformanceArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): SuiteOptions {
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(base-url|sim-url|sim-token|session-ttl-sec)(?:=(.*))?$/.exec(argv[i]!)
    if (m === null) throw new Error(`unknown argument ${JSON.stringify(argv[i])}`)
    const value = m[2] ?? argv[++i]
    if (value === undefined || value === '') throw new Error(`--${m[1]} needs a value`)
    flags.set(m[1]!, value)
  }
  const base = flags.get('base-url')
  if (base === undefined) throw new Error('--base-url is required')
  const ttl = flags.get('session-ttl-sec')
  if (ttl !== undefined && !/^[1-9]\d{0,4}$/.test(ttl)) {
    throw new Error('--session-ttl-sec must be a whole number of seconds')
  }
  return {
    baseUrl: origin('--base-url', base),
    simUrl: origin('--sim-url', flags.get('sim-url') ?? base),
    simToken: flags.get('sim-token') ?? (env.SIM_CONTROL_TOKEN?.trim() || null),
    sessionTtlSec: ttl === undefined ? null : Number(ttl),
  }
}
