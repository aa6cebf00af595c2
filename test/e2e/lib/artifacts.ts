// Screenshots of each journey's key screens under e2e-artifacts/<target>/<journey>/.
import fs from 'node:fs/promises'
import path from 'node:path'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import { REPO_ROOT, target } from './target'

export function artifactsDir(journey: string): string {
  return path.join(
    process.env.E2E_ARTIFACTS ?? path.join(REPO_ROOT, 'e2e-artifacts'),
    target().name,
    journey,
  )
}

const counters = new Map<string, number>()

export async function screenshot(mp: MiniProgram, journey: string, name: string): Promise<string> {
  const dir = artifactsDir(journey)
  await fs.mkdir(dir, { recursive: true })
  const n = (counters.get(journey) ?? 0) + 1
  counters.set(journey, n)
  const file = path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`)
  try {
    await mp.screenshot({ path: file })
  } catch (e) {
    // A missing Chromium must not hide the journey's real outcome; the runner lists what is missing.
    const msg = e instanceof Error ? e.message : String(e)
    const hint = /ENOENT/.test(msg) ? ' (install Chromium: apt-get install chromium)' : ''
    console.warn(`screenshot ${journey}/${name} failed: ${msg}${hint}`)
  }
  return file
}
