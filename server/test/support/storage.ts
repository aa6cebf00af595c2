// Storage that two app instances share, as two replicas of the server share one database: a
// PostgreSQL schema when DATABASE_URL is set, otherwise one SQLite file in a temporary folder
// (an in-memory SQLite database belongs to one connection, so it cannot be shared).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { newSchema, onPostgres } from '../helpers'

export type SharedStorage = { schema: string } | { sqlitePath: string }

const tmpDirs: string[] = []

/** Removes the temporary folders of the file's shared SQLite databases after its last test. */
export function useSharedStorageCleanup(): void {
  afterAll(() => {
    for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
  })
}

/** New storage to pass (spread) to createTestApp for every instance that should share it. */
export async function sharedStorage(): Promise<SharedStorage> {
  if (onPostgres) return { schema: await newSchema() }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxkit-shared-'))
  tmpDirs.push(dir)
  return { sqlitePath: path.join(dir, 'db.sqlite') }
}
