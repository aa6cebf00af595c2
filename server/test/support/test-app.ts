// The two lifetimes a server suite gives a test app: one app for the whole file (most suites),
// or one app for a single test that needs its own configuration, clock or simulated WeChat.
import { createTestApp, useLeakCheck, type TestApp, type TestAppOptions } from '../helpers'

/**
 * One app for the whole file, created before its first test and closed after its last, with the
 * file's leak check registered. The returned app forwards to the live one, so suites write
 * `t.inject(…)` as with a plain TestApp; touching it outside a test (at collection) throws.
 */
export function useTestApp(options: TestAppOptions = {}): TestApp {
  useLeakCheck()
  let current: TestApp | null = null
  beforeAll(async () => {
    current = await createTestApp(options)
  })
  afterAll(async () => {
    await current?.close()
  })
  const live = (): TestApp => {
    if (current === null) throw new Error('the file’s test app is used outside a test')
    return current
  }
  return {
    get app() {
      return live().app
    },
    get services() {
      return live().services
    },
    get sim() {
      return live().sim
    },
    get config() {
      return live().config
    },
    inject: (opts) => live().inject(opts),
    login: (openid) => live().login(openid),
    mintCode: (openid) => live().mintCode(openid),
    close: () => live().close(),
  }
}

/** Runs `body` on an app of its own, closed afterwards whether `body` passed or threw. */
export async function withTestApp<T>(
  options: TestAppOptions,
  body: (t: TestApp) => Promise<T>,
): Promise<T> {
  const t = await createTestApp(options)
  try {
    return await body(t)
  } finally {
    await t.close()
  }
}
