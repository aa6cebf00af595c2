// The conformance suite (conformance/, docs/protocol.md) against the reference server, and
// against the same server behind a proxy that breaks one rule at a time: the suite must notice.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseConformanceArgs } from '../../conformance/args'
import { SECTIONS } from '../../conformance/sections'
import { runSuite, type Totals } from '../../conformance/suite'
import type { FastifyInstance } from 'fastify'
import { buildSimHttpServer } from '../src/wechat/sim/http-server'
import { createTestApp, useLeakCheck, type TestApp } from './helpers'

useLeakCheck()

let t: TestApp
let origin: string
/** The app's simulated WeChat on its own port: its /__sim/users answers hold session_keys by
 * design, so they stay out of the app's own answers (which the leak check reads). */
let simServer: FastifyInstance
let simUrl: string

beforeAll(async () => {
  t = await createTestApp()
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  simServer = await buildSimHttpServer({ sim: t.sim })
  await simServer.listen({ host: '127.0.0.1', port: 0 })
  simUrl = `http://127.0.0.1:${(simServer.server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await t.close()
  await simServer.close()
})

interface Run extends Totals {
  lines: string[]
  failedChecks: string[]
}

async function run(baseUrl: string): Promise<Run> {
  const lines: string[] = []
  const totals = await runSuite(
    SECTIONS,
    { baseUrl, simUrl, simToken: null, sessionTtlSec: null },
    (line) => lines.push(line),
  )
  const failedChecks = lines.filter((l) => l.startsWith('FAIL ')).map((l) => l.slice(5))
  return { ...totals, lines, failedChecks }
}

interface Proxied {
  status: number
  headers: Record<string, string>
  body: string
}

/** An HTTP proxy to the reference server that rewrites every answer with `mutate`. */
async function brokenBackEnd(
  mutate: (req: http.IncomingMessage, res: Proxied) => Proxied,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v
      }
      const body = Buffer.concat(chunks)
      fetch(`${origin}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      })
        .then(async (r) => {
          const out = mutate(req, {
            status: r.status,
            headers: Object.fromEntries(
              [...r.headers].filter(([k]) => k !== 'content-length' && k !== 'content-encoding'),
            ),
            body: await r.text(),
          })
          res.writeHead(out.status, out.headers).end(out.body)
        })
        .catch(() => res.writeHead(502).end())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe('the conformance suite', () => {
  test('the reference server passes every check; only the slow session expiry is skipped', async () => {
    const r = await run(origin)
    expect(r.failedChecks).toEqual([])
    expect(r.passed).toBeGreaterThanOrEqual(25)
    expect(r.lines.filter((l) => l.startsWith('skip '))).toEqual([
      expect.stringMatching(/session past its expiresIn.*--session-ttl-sec/),
    ])
    expect(r.lines.at(-1)).toBe(`${r.passed} passed, 0 failed, ${r.skipped} skipped`)
  })

  test('a back end that forgets the CORS expose header fails that check alone', async () => {
    const proxy = await brokenBackEnd((_req, res) => {
      const { 'access-control-expose-headers': _dropped, ...headers } = res.headers
      return { ...res, headers }
    })
    try {
      const r = await run(proxy.url)
      expect(r.failedChecks).toEqual([
        expect.stringMatching(/^Access-Control-Expose-Headers names X-Session-Token/),
      ])
    } finally {
      await proxy.close()
    }
  })

  test('a back end that echoes the bearer token in a body fails the secrets check', async () => {
    const proxy = await brokenBackEnd((req, res) => {
      const auth = req.headers.authorization
      if (req.url !== '/me' || auth === undefined || res.status !== 200) return res
      const body = JSON.stringify({ ...(JSON.parse(res.body) as object), debug: auth })
      return { ...res, body }
    })
    try {
      const r = await run(proxy.url)
      expect(r.failedChecks).toEqual([
        expect.stringMatching(/^no body but POST \/auth\/login carries a token: GET \/me/),
      ])
    } finally {
      await proxy.close()
    }
  })

  test('a back end answering 403 for a dead session fails the 401 checks', async () => {
    const proxy = await brokenBackEnd((_req, res) =>
      res.status === 401 ? { ...res, status: 403 } : res,
    )
    try {
      const r = await run(proxy.url)
      expect(r.failedChecks).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^the protected route without credentials is 401.*expected 401 SESSION_INVALID, got 403/,
          ),
          expect.stringMatching(/^POST \/auth\/logout answers 200.*got 403 SESSION_REVOKED/),
        ]),
      )
      expect(r.failed).toBe(r.failedChecks.length)
    } finally {
      await proxy.close()
    }
  })
})

describe('conformance arguments', () => {
  test('--sim-url defaults to --base-url; the token comes from SIM_CONTROL_TOKEN', () => {
    expect(
      parseConformanceArgs(['--base-url', 'http://127.0.0.1:3000/'], {
        SIM_CONTROL_TOKEN: 'tok-from-env-0123456789',
      }),
    ).toEqual({
      baseUrl: 'http://127.0.0.1:3000',
      simUrl: 'http://127.0.0.1:3000',
      simToken: 'tok-from-env-0123456789',
      sessionTtlSec: null,
    })
  })

  test('refuses a missing --base-url, a non-URL and a bad --session-ttl-sec', () => {
    expect(() => parseConformanceArgs([], {})).toThrow(/--base-url is required/)
    expect(() => parseConformanceArgs(['--base-url', 'localhost'], {})).toThrow(/must be a URL/)
    expect(() =>
      parseConformanceArgs(['--base-url', 'http://x', '--session-ttl-sec', '0'], {}),
    ).toThrow(/--session-ttl-sec/)
  })
})
