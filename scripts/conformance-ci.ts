// npm run conformance:ci — the conformance suite (docs/protocol.md) against the back ends this
// repository ships, each on fresh state:
// 1. the reference server with the simulated WeChat in process (its own /__sim routes);
// 2. the reference server reaching the simulated WeChat over HTTP (npm run sim on its own port,
//    WECHAT_API_BASE_URL pointing at it);
// 3. examples/express (an Express back end on the server library's middleware), over HTTP to
//    the simulated WeChat too.
// Exits 1 if any check failed. Server logs go to e2e-artifacts/conformance-*.log.
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SECTIONS } from '../conformance/sections'
import { runSuite, type SuiteOptions } from '../conformance/suite'
import { freePort } from '../packages/headless/cli/free-port'
import {
  startChildServer,
  startServer,
  stopServer,
  TSX_CLI,
  type RunningServer,
} from './lib/reference-server'

const ROOT = path.resolve(__dirname, '..')
const ARTIFACTS = path.join(ROOT, 'e2e-artifacts')

/** Generous limits: the suite logs in some forty times from one address within seconds. */
const SUITE_LIMITS: Record<string, string> = {
  RATE_LIMIT_LOGIN_MAX: '100000',
  RATE_LIMIT_PHONE_MAX: '100000',
}

interface Target {
  name: string
  /** Starts the back end (and its simulator); returns the suite's URLs and what to stop. */
  start(
    work: string,
    log: fs.WriteStream,
  ): Promise<{ options: SuiteOptions; children: ChildProcess[] }>
}

function suiteOptions(baseUrl: string, simUrl = baseUrl): SuiteOptions {
  return { baseUrl, simUrl, simToken: null, sessionTtlSec: null }
}

/** The simulated WeChat on its own port, as `npm run sim` starts it. */
async function startSim(log: fs.WriteStream): Promise<RunningServer> {
  const port = await freePort()
  return startChildServer({
    args: [path.join(ROOT, 'server/bin/wx-sim-wechat.cjs'), '--port', String(port)],
    cwd: ROOT,
    port,
    log,
    env: { ...process.env, LOG_LEVEL: 'warn' },
  })
}

const TARGETS: Target[] = [
  {
    name: 'reference server, simulated WeChat in process',
    async start(work, log) {
      const { origin, child } = await startServer(await freePort(), work, log, SUITE_LIMITS)
      return { options: suiteOptions(origin), children: [child] }
    },
  },
  {
    name: 'reference server, simulated WeChat over HTTP',
    async start(work, log) {
      const sim = await startSim(log)
      try {
        const server = await startServer(await freePort(), work, log, {
          ...SUITE_LIMITS,
          WECHAT_API_BASE_URL: sim.origin,
        })
        return {
          options: suiteOptions(server.origin, sim.origin),
          children: [server.child, sim.child],
        }
      } catch (e) {
        sim.child.kill('SIGTERM')
        throw e
      }
    },
  },
  {
    name: 'examples/express, simulated WeChat over HTTP',
    async start(_work, log) {
      const sim = await startSim(log)
      try {
        const express = await startExpressExample(sim.origin, log)
        return {
          options: suiteOptions(express.origin, sim.origin),
          children: [express.child, sim.child],
        }
      } catch (e) {
        sim.child.kill('SIGTERM')
        throw e
      }
    },
  },
]

/** examples/express as its `npm start` runs it, on a free port, with an in-memory database. */
async function startExpressExample(simOrigin: string, log: fs.WriteStream): Promise<RunningServer> {
  const port = await freePort()
  return startChildServer({
    args: [TSX_CLI, 'src/main.ts'],
    cwd: path.join(ROOT, 'examples/express'),
    port,
    log,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WECHAT_API_BASE_URL: simOrigin,
      WECHAT_APPID: '',
      WECHAT_SECRET: '',
      DATABASE_URL: '',
      SQLITE_PATH: ':memory:',
    },
  })
}

async function main(): Promise<number> {
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  let failed = 0
  for (const [i, target] of TARGETS.entries()) {
    console.log(`\nconformance:ci: ${target.name}`)
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wx-conformance-'))
    const log = fs.createWriteStream(path.join(ARTIFACTS, `conformance-${i + 1}.log`))
    let children: ChildProcess[] = []
    try {
      const started = await target.start(work, log)
      children = started.children
      const totals = await runSuite(SECTIONS, started.options)
      failed += totals.failed
    } catch (e) {
      failed++
      console.error(`conformance:ci: ${target.name}: ${e instanceof Error ? e.message : String(e)}`)
    } finally {
      await Promise.all(children.map((child) => stopServer(child)))
      log.end()
      fs.rmSync(work, { recursive: true, force: true })
    }
  }
  console.log(
    failed === 0
      ? '\nconformance:ci: every back end conforms'
      : `\nconformance:ci: ${failed} failure(s)`,
  )
  return failed === 0 ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e)
    process.exit(1)
  },
)
