// The size of what an adopter downloads: the wx-login-kit tarball as `npm pack` makes it (what
// `npm publish` would upload), compressed and unpacked, from the current miniprogram_dist.
import { execFileSync } from 'child_process'
import { join } from 'path'

const PACKAGE_DIR = join(__dirname, '../packages/kit')

export interface PackageSize {
  tarballBytes: number
  unpackedBytes: number
  files: number
}

export function packageSize(): PackageSize {
  // --ignore-scripts: measure the build the bench runs on, without rebuilding it
  const out = execFileSync(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: PACKAGE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  )
  const [packed] = JSON.parse(out) as Array<{
    size: number
    unpackedSize: number
    entryCount: number
  }>
  return {
    tarballBytes: packed!.size,
    unpackedBytes: packed!.unpackedSize,
    files: packed!.entryCount,
  }
}
