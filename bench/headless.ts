// The headless runtime's own speed, beside the fixed sleeps of the miniprogram-automator client
// (0.12: launch() sleeps 5 s after connecting, every route call 3 s, close() 1 s, longpress()
// 350 ms; read from its out/Launcher.js, MiniProgram.js and Element.js). A script's wall time is
// mostly those sleeps; this measures what the runtime adds:
// - start-up: spawning the CLI on the demo app until the automation port answers Tool.getInfo;
// - per-call latency through automator.connect() (no launch sleep): page.data(), page.$(),
//   element.tap(), App.callWxMethod, a route change sent as App.callWxMethod (without the client's
//   3 s sleep), each the median and p95 of repeated calls.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import automator from 'miniprogram-automator'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import { freePort } from '../packages/headless/cli/free-port'
import { HEADLESS_CLI } from '../packages/headless/cli/paths'
import { packProjectNpm } from '../packages/headless/runtime/pack-npm'

const ROOT = path.resolve(__dirname, '..')
const RUNS = 40

export const CLIENT_FIXED_SLEEPS_MS = {
  launchAfterConnect: 5000,
  eachRouteCall: 3000,
  close: 1000,
  longpress: 350,
}

function stats(samples: number[]): { medianMs: number; p95Ms: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  const round = (n: number): number => Math.round(n * 100) / 100
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)) }
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await fn()
    out.push(performance.now() - t0)
  }
  return out
}

async function connectWhenReady(
  port: number,
  child: { exitCode: number | null },
): Promise<MiniProgram> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the headless CLI exited with ${child.exitCode}`)
    try {
      return await automator.connect({ wsEndpoint: `ws://127.0.0.1:${port}` })
    } catch {
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

type Stats = ReturnType<typeof stats>

export interface HeadlessResult {
  app: string
  runs: number
  startupMs: number
  latency: Record<string, Stats | null>
  clientFixedSleepsMs: typeof CLIENT_FIXED_SLEEPS_MS
}

/** One line a person reads: the runtime's times beside the client's sleeps. */
export function headlessSummary(r: HeadlessResult): string {
  const calls = Object.entries(r.latency)
    .map(([name, s]) => `${name} ${s ? `${s.medianMs} ms (p95 ${s.p95Ms})` : 'n/a'}`)
    .join(', ')
  const sleeps = r.clientFixedSleepsMs
  return (
    `headless runtime: start-up ${r.startupMs} ms (the client then sleeps ${sleeps.launchAfterConnect} ms); ` +
    `per call median ${calls} (the client sleeps ${sleeps.eachRouteCall} ms after each route call, ` +
    `${sleeps.close} ms in close(), ${sleeps.longpress} ms in longpress())`
  )
}

export async function benchHeadless(): Promise<HeadlessResult> {
  if (!fs.existsSync(path.join(ROOT, 'miniprogram/miniprogram_npm'))) await packProjectNpm(ROOT)
  const port = await freePort()
  const t0 = performance.now()
  const child = spawn(
    process.execPath,
    [HEADLESS_CLI, 'auto', '--project', ROOT, '--auto-port', String(port)],
    { stdio: 'ignore', env: { ...process.env, HEADLESS_LOG: '', WX_SIM_SERVER: '' } },
  )
  try {
    const mp = await connectWhenReady(port, child)
    const startupMs = Math.round(performance.now() - t0)
    const page = (await mp.currentPage())!
    const selector = '.page, view'
    const first = await page.$(selector)
    const latency = {
      pageData: stats(await time(() => page.data())),
      pageQuerySelector: stats(await time(() => page.$(selector))),
      elementTap: first ? stats(await time(() => first.tap())) : null,
      callWxMethod: stats(await time(() => mp.callWxMethod('getSystemInfoSync'))),
      // The route change itself, as the client sends it before its 3 s sleep.
      routeCallWithoutClientSleep: stats(
        await time(() => mp.callWxMethod('reLaunch', { url: `/${page.path}` })),
      ),
    }
    await mp.callWxMethod('reLaunch', { url: `/${page.path}` })
    mp.disconnect()
    return {
      app: 'demo app (miniprogram/)',
      runs: RUNS,
      startupMs,
      latency,
      clientFixedSleepsMs: CLIENT_FIXED_SLEEPS_MS,
    }
  } finally {
    child.kill('SIGTERM')
  }
}
