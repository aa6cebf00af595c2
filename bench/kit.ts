// Kit benchmark: bundle size, the npm package's size, login/round-trip counts at cold start, and the kit's added time per
// call over a bare wx.request on the fake wx (both measured in the same run).
import { existsSync } from 'fs'
import { join } from 'path'
import { performance } from 'perf_hooks'
import { gzipSync } from 'zlib'
import { build } from 'esbuild'
import { createAuth } from 'wx-login-kit'
import { installFakeWx } from '../packages/headless/wx'
import { BASE, FakeServer } from '../test/support/fake-server'
import { benchKitLatency } from './kit-latency'
import { packageSize } from './package-size'

const ROOT = join(__dirname, '..')
const AUTH = join(ROOT, 'packages/kit/src')

/** Minified and gzipped (level 9) size of an esbuild bundle, mobx-miniprogram excluded. */
async function bundleSize(entry: { file: string } | { code: string }) {
  const r = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.code, resolveDir: AUTH, loader: 'ts' as const } }),
    bundle: true,
    minify: true,
    format: 'esm',
    external: ['mobx-miniprogram'],
    write: false,
    logLevel: 'silent',
  })
  const bytes = r.outputFiles[0]!.contents
  return { minBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length }
}

/** A fresh fake wx, in-memory server and kit (no latency: counts, not timing). */
function world() {
  const fake = installFakeWx()
  const server = new FakeServer((ms) => fake.control.delay(ms))
  fake.control.setHandler((req) => server.handle(req))
  return { fake, server, auth: createAuth({ baseUrl: BASE }) }
}

async function cold(n: number) {
  const { fake, server, auth } = world()
  const all = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => auth.request({ url: `/p/item/${i}`, auth: 'required' })),
  )
  return {
    calls: n,
    succeeded: all.filter((r) => r.status === 'fulfilled').length,
    wxLoginCalls: fake.control.loginCalls,
    codeExchanges: server.exchanges,
    roundTrips: fake.control.requests.length,
  }
}

async function overhead(iterations: number) {
  const { fake, auth } = world()
  // the handler answers at once, so the numbers are the fake's and the kit's own cost
  fake.control.setHandler(() => ({ statusCode: 200, data: { ok: true } }))
  const wx = fake.wx
  const bare = () =>
    new Promise((resolve, reject) =>
      wx.request({ url: `${BASE}/open/x`, success: resolve, fail: reject }),
    )
  const kit = () => auth.request({ url: '/open/x' })
  const time = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 200; i++) await fn() // warm-up
    fake.control.clearRequests()
    const t0 = performance.now()
    for (let i = 0; i < iterations; i++) await fn()
    return ((performance.now() - t0) * 1000) / iterations
  }
  // interleave two rounds each, keep the better, to damp JIT and GC noise
  const b1 = await time(bare)
  const k1 = await time(kit)
  const b2 = await time(bare)
  const k2 = await time(kit)
  const bareUs = Math.min(b1, b2)
  const kitUs = Math.min(k1, k2)
  const r = (x: number) => Math.round(x * 100) / 100
  return {
    iterations,
    bareWxRequestUsPerCall: r(bareUs),
    kitRequestUsPerCall: r(kitUs),
    kitAddedUsPerCall: r(kitUs - bareUs),
  }
}

export async function benchKit(): Promise<Record<string, unknown>> {
  // The core: session, login, transport, store, events (what createAuth needs without flows).
  const core = await bundleSize({
    code: "export { createCore } from './core'\nexport { AuthKitError } from './errors'",
  })
  // The whole kit's logic: core + flows, what createAuth, AuthKitError and getAuth pull in.
  const whole = existsSync(join(AUTH, 'flows.ts'))
    ? await bundleSize({ code: "export { createAuth, AuthKitError, getAuth } from './index'" })
    : undefined
  // Beside it, no target: the Simplified Chinese message map (UI copy data for components and
  // apps), and the full index bundle (logic + messages + helpers).
  const messages = await bundleSize({ file: join(AUTH, 'messages.ts') })
  const index = await bundleSize({ file: join(AUTH, 'index.ts') })
  return {
    kitCoreMinBytes: core.minBytes,
    kitCoreGzipBytes: core.gzipBytes,
    ...(whole && { kitWholeMinBytes: whole.minBytes, kitWholeGzipBytes: whole.gzipBytes }),
    kitMessagesGzipBytes: messages.gzipBytes,
    kitIndexGzipBytes: index.gzipBytes,
    // beside the min+gzip figures: the npm tarball an adopter installs (miniprogram_dist, README,
    // LICENSE, package.json)
    kitPackage: packageSize(),
    coldFirstProtectedCall: await cold(1),
    concurrentColdCalls20: await cold(20),
    overhead: await overhead(5000),
    // issue 15: wx.login off the critical path and sliding sessions, beside today's behaviour
    latency: await benchKitLatency(),
  }
}
