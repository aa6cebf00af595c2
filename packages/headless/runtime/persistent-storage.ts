// DevTools keeps a mini-program's storage on disk, per project and user, across restarts; the
// headless runtime does the same when given a file, so a journey can close the app, launch it
// again and find its session (as a user reopening the mini-program would).
import fs from 'node:fs'
import path from 'node:path'

export function loadStorage(file: string, into: Map<string, unknown>): void {
  let parsed: unknown
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return // no file yet (first launch) or unreadable: start empty, like a fresh install
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) into.set(k, v)
}

/** Synchronous on purpose: it runs in process.on('exit'). */
export function saveStorage(file: string, from: Map<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, JSON.stringify(Object.fromEntries(from)), 'utf8')
}

/** One file per test user, as DevTools keeps storage per logged-in account. */
export function storageFile(dir: string, openid: string): string {
  return path.join(dir, `${openid.replace(/[^\w-]/g, '_')}.storage.json`)
}
