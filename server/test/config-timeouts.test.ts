// The request and statement timeouts come from the environment, with bounded defaults.
import { loadConfig } from '../src/config'

test('defaults: 30 s per request, 5 s per statement', () => {
  const c = loadConfig({})
  expect(c.requestTimeoutMs).toBe(30_000)
  expect(c.dbStatementTimeoutMs).toBe(5_000)
})

test('REQUEST_TIMEOUT_MS and DATABASE_STATEMENT_TIMEOUT_MS are read and checked', () => {
  const c = loadConfig({ REQUEST_TIMEOUT_MS: '1500', DATABASE_STATEMENT_TIMEOUT_MS: '250' })
  expect(c.requestTimeoutMs).toBe(1500)
  expect(c.dbStatementTimeoutMs).toBe(250)
  expect(() =>
    loadConfig({ REQUEST_TIMEOUT_MS: '0', DATABASE_STATEMENT_TIMEOUT_MS: 'soon' }),
  ).toThrow(
    /REQUEST_TIMEOUT_MS must be between 100 and 600000[\s\S]*DATABASE_STATEMENT_TIMEOUT_MS must be an integer/,
  )
})
