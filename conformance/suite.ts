// What a check is, the context every check gets, and the runner that prints one line per check
// and the totals.
import crypto from 'node:crypto'
import { HttpClient } from './http'
import { SimControl } from './sim-control'

export interface SuiteOptions {
  baseUrl: string
  simUrl: string
  simToken: string | null
  /** When given, the expiry check waits this long (plus a second) for a session to expire. */
  sessionTtlSec: number | null
}

export class Context {
  readonly api: HttpClient
  readonly sim: SimControl
  /** Every openid the suite logged in, so the last section can read their session_keys. */
  readonly openids = new Set<string>()
  /** Every token the back end issued (bodies and X-Session-Token headers). */
  readonly tokens = new Set<string>()
  /** session_keys WeChat gave the back end at the suite's logins. */
  readonly sessionKeys = new Set<string>()

  constructor(readonly options: SuiteOptions) {
    this.api = new HttpClient(options.baseUrl)
    this.sim = new SimControl(options.simUrl, options.simToken)
  }

  /** A test user of its own for each check, so checks never share state. */
  newOpenid(): string {
    const openid = `o-conformance-${crypto.randomBytes(6).toString('hex')}`
    this.openids.add(openid)
    return openid
  }
}

/** A failed expectation; its message is printed after FAIL. */
export class CheckFailure extends Error {}

/** Thrown by a check that does not apply to this back end; its message is the note. */
export class CheckSkipped extends Error {}

export interface Check {
  name: string
  run(ctx: Context): Promise<void>
}

export interface Section {
  name: string
  /** Returns a reason when the whole section does not apply (optional sections only). */
  skipReason?(ctx: Context): Promise<string | null>
  checks: Check[]
}

export interface Totals {
  passed: number
  failed: number
  skipped: number
}

export async function runSuite(
  sections: readonly Section[],
  options: SuiteOptions,
  print: (line: string) => void = console.log,
): Promise<Totals> {
  const ctx = new Context(options)
  const totals: Totals = { passed: 0, failed: 0, skipped: 0 }
  for (const section of sections) {
    print(`# ${section.name}`)
    const reason = section.skipReason ? await section.skipReason(ctx) : null
    for (const check of section.checks) {
      if (reason !== null) {
        totals.skipped++
        print(`skip ${check.name} (${reason})`)
        continue
      }
      try {
        await check.run(ctx)
        totals.passed++
        print(`ok   ${check.name}`)
      } catch (e) {
        if (e instanceof CheckSkipped) {
          totals.skipped++
          print(`skip ${check.name} (${e.message})`)
        } else {
          totals.failed++
          print(`FAIL ${check.name}: ${e instanceof Error ? e.message : String(e)}`)
        }
      } finally {
        // A check that failed half-way must not leave a fault for the next one.
        await ctx.sim.clearFaults().catch(() => undefined)
      }
    }
  }
  print(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
  return totals
}
