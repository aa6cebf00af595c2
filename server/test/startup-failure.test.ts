// Every start-up failure says its real cause, and the process exits 1: not "failed to start:"
// followed by a summary (or, for a refused dual-stack connection, an empty message).
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../packages/headless/cli/free-port'
import { describeError } from '../src/describe-error'
import { childEnv, SERVER_DIR, spawnProcess } from './server-process'

jest.setTimeout(60_000)

let dataDir: string
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxkit-startup-'))
})
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function failedStart(env: Record<string, string>): Promise<string> {
  const proc = spawnProcess(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts'],
    childEnv({ DATA_DIR: dataDir, PORT: '0', ...env }),
    SERVER_DIR,
  )
  const { code } = await proc.exited
  expect(code).toBe(1)
  return proc.output()
}

test('an unreachable database: the refused connection is named', async () => {
  const port = await freePort()
  const out = await failedStart({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere` })
  expect(out).toContain('failed to start')
  expect(out).toContain('ECONNREFUSED')
  expect(out).toContain(`127.0.0.1:${port}`)
})

test('a port already taken: EADDRINUSE is named', async () => {
  const holder = net.createServer()
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  const { port } = holder.address() as net.AddressInfo
  try {
    const out = await failedStart({ PORT: String(port) })
    expect(out).toContain('failed to start')
    expect(out).toContain('EADDRINUSE')
  } finally {
    holder.close()
  }
})

test('invalid configuration: every bad variable is named at once, and the process exits 1', async () => {
  const out = await failedStart({
    PORT: 'eighty',
    SESSION_SECRET: 'short',
    TRUST_PROXY: 'true',
    REDIS_URL: 'http://127.0.0.1:6379',
  })
  for (const name of ['PORT', 'SESSION_SECRET', 'TRUST_PROXY', 'REDIS_URL']) {
    expect(out).toContain(name)
  }
})

describe('describeError', () => {
  test('follows causes and the errors of an AggregateError, with their codes', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), {
      code: 'ECONNREFUSED',
    })
    const refused4 = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    })
    const aggregate = Object.assign(new AggregateError([refused, refused4], ''), {
      code: 'ECONNREFUSED',
    })
    const top = new Error('database migration failed at 0001_init', { cause: aggregate })
    expect(describeError(top).split('\n')).toEqual([
      'database migration failed at 0001_init',
      '  caused by: AggregateError (ECONNREFUSED)',
      '    - connect ECONNREFUSED ::1:5432',
      '    - connect ECONNREFUSED 127.0.0.1:5432',
    ])
  })

  test('a code not in the message is appended; a non-error is printed as is', () => {
    const e = Object.assign(new Error('relation "kysely_migration" does not exist'), {
      code: '42P01',
    })
    expect(describeError(e)).toBe('relation "kysely_migration" does not exist (42P01)')
    expect(describeError('plain')).toBe('plain')
  })
})
