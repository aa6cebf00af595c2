// A private PostgreSQL cluster for tests that stop, kill or reconfigure a database: its own data
// directory in a temporary folder, its own free port on 127.0.0.1, its own socket directory. The
// shared server at DATABASE_URL is never touched. initdb refuses to run as root, so as root the
// cluster belongs to the `postgres` user and every command runs through `runuser`.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { freePort } from '../../packages/headless/cli/free-port'

const run = promisify(execFile)

/** Where initdb and pg_ctl are: PG_BIN, else the newest /usr/lib/postgresql/<n>/bin. */
export function findPgBin(): string | null {
  const candidates: string[] = []
  if (process.env.PG_BIN !== undefined) candidates.push(process.env.PG_BIN)
  const root = '/usr/lib/postgresql'
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    for (const v of versions) candidates.push(path.join(root, v, 'bin'))
  }
  return candidates.find((d) => fs.existsSync(path.join(d, 'initdb'))) ?? null
}

interface RunAs {
  uid: number
  gid: number
}

function postgresUser(): RunAs | null {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'))
    if (line === undefined) return null
    const [, , uid, gid] = line.split(':')
    return { uid: Number(uid), gid: Number(gid) }
  } catch {
    return null
  }
}

/** Why a private cluster cannot run here, or null when it can. */
export function privateClusterUnavailable(): string | null {
  if (findPgBin() === null) {
    return 'PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql or set PG_BIN'
  }
  if (process.getuid?.() === 0 && postgresUser() === null) {
    return 'running as root without a `postgres` user to own the private cluster'
  }
  return null
}

export class PrivateCluster {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
    private readonly runAs: RunAs | null,
  ) {}

  static async create(): Promise<PrivateCluster> {
    const bin = findPgBin()
    if (bin === null) throw new Error(privateClusterUnavailable() ?? 'no PostgreSQL binaries')
    const runAs = process.getuid?.() === 0 ? postgresUser() : null
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxkit-pg-'))
    if (runAs !== null) fs.chownSync(dir, runAs.uid, runAs.gid)
    const cluster = new PrivateCluster(await freePort(), dir, bin, runAs)
    await cluster.exec('initdb', [
      '-D',
      cluster.dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
    ])
    await cluster.start()
    return cluster
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data')
  }

  private exec(tool: string, args: string[]): Promise<{ stdout: string }> {
    const file = path.join(this.bin, tool)
    return this.runAs !== null
      ? run('runuser', ['-u', 'postgres', '--', file, ...args], { timeout: 60_000 })
      : run(file, args, { timeout: 60_000 })
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`
  }

  /** Starts the cluster and waits until it accepts connections. */
  async start(): Promise<void> {
    // fsync off: a killed postmaster leaves its writes in the OS cache, which survives; commits
    // stay synchronous, so an acknowledged commit is never lost to an immediate stop.
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c max_connections=60',
      '-c shared_buffers=16MB',
    ].join(' ')
    await this.exec('pg_ctl', [
      '-D',
      this.dataDir,
      '-o',
      options,
      '-l',
      path.join(this.dir, 'log'),
      '-w',
      '-t',
      '30',
      'start',
    ])
  }

  /** `fast` disconnects every client cleanly (57P01); `immediate` kills the server outright. */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop'])
  }

  async query<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
    database = 'postgres',
  ): Promise<R[]> {
    const c = new pg.Client({ connectionString: this.url(database) })
    await c.connect()
    try {
      return (await c.query<R>(text, values)).rows
    } finally {
      await c.end()
    }
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined)
    fs.rmSync(this.dir, { recursive: true, force: true })
  }
}

/**
 * Why the private-cluster tests are skipped here, or null when they run. They run with the
 * PostgreSQL suites (DATABASE_URL set), where PostgreSQL is installed; the SQLite run skips them.
 */
export function privateClusterSkipReason(): string | null {
  if (process.env.DATABASE_URL === undefined) {
    return 'run with DATABASE_URL set (the PostgreSQL run of the server suites)'
  }
  return privateClusterUnavailable()
}

/** `describe`, or `describe.skip` with the reason in its name. */
export function describeWithPrivateCluster(name: string, fn: () => void): void {
  const reason = privateClusterSkipReason()
  if (reason === null) describe(name, fn)
  else describe.skip(`${name} [skipped: ${reason}]`, fn)
}
