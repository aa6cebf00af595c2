// Which query-layer errors mean "the database cannot answer now" (503) and which are ordinary
// SQL errors the caller handles (a unique violation must never become a 503).
import { isDatabaseUnavailable } from '../src/db/unavailable'

const withCode = (message: string, code: string): Error =>
  Object.assign(new Error(message), { code })

test.each([
  ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
  [
    'a refused dual-stack connection (AggregateError)',
    new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''),
  ],
  ['a connection that died', new Error('Connection terminated unexpectedly')],
  ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
  [
    'the server shutting down',
    withCode('terminating connection due to administrator command', '57P01'),
  ],
  ['the server starting', withCode('the database system is starting up', '57P03')],
  ['statement_timeout', withCode('canceling statement due to statement timeout', '57014')],
  ['too many connections', withCode('sorry, too many clients already', '53300')],
  ['a connection exception', withCode('connection failure', '08006')],
  ['SQLite busy', withCode('database is locked', 'SQLITE_BUSY')],
  ['SQLite busy (extended)', withCode('database is locked', 'SQLITE_BUSY_SNAPSHOT')],
])('%s is unavailability', (_name, err) => {
  expect(isDatabaseUnavailable(err)).toBe(true)
})

test.each([
  ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
  ['a missing relation', withCode('relation "orders" does not exist', '42P01')],
  ['SQLite constraint', withCode('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE')],
  ['a plain error', new Error('boom')],
  ['not an error', 'ECONNREFUSED'],
])('%s is not', (_name, err) => {
  expect(isDatabaseUnavailable(err)).toBe(false)
})
