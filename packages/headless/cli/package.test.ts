// The README's "Install" promises: the package installs on its own (its package.json lists what
// it needs; nothing reaches into the demo app or server of this repository), and
// `require.resolve('miniprogram-headless/cli/headless-cli.js')` or the bin is the cliPath.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import path from 'node:path'
import { HEADLESS_CLI } from './paths'

const PACKAGE_DIR = path.join(__dirname, '..')
const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  name: string
  bin: Record<string, string>
  dependencies: Record<string, string>
  peerDependencies: Record<string, string>
}

/** The files `npm pack` (and so an install from the registry or a tarball) ships. */
function packedFiles(): Set<string> {
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
  })
  expect(run.status).toBe(0)
  const [pack] = JSON.parse(run.stdout) as [{ files: { path: string }[] }]
  return new Set(pack.files.map((f) => f.path))
}

/** Module requests written as plain string literals (import … from, import '…', require(), import()). */
function requestsIn(source: string): string[] {
  const found: string[] = []
  const patterns = [
    /\bfrom\s+'([^'$]+)'/g,
    /\bimport\s+'([^'$]+)'/g,
    /\brequire\(\s*'([^'$]+)'\s*\)/g,
    /\bimport\(\s*'([^'$]+)'\s*\)/g,
  ]
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1]!)
  return found
}

function packageNameOf(request: string): string {
  const parts = request.split('/')
  return request.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!
}

test('every module a shipped file loads is shipped too, or a declared dependency', () => {
  const files = packedFiles()
  const declared = new Set([
    ...Object.keys(manifest.dependencies),
    ...Object.keys(manifest.peerDependencies),
  ])
  const problems: string[] = []
  for (const file of files) {
    if (!/\.(ts|js)$/.test(file)) continue
    const source = fs.readFileSync(path.join(PACKAGE_DIR, file), 'utf8')
    for (const request of requestsIn(source)) {
      if (request.startsWith('.')) {
        const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), request))
        const candidates = [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`]
        if (!candidates.some((c) => files.has(c)))
          problems.push(`${file}: ${request} is not shipped`)
      } else if (
        !request.startsWith('node:') &&
        !builtinModules.includes(request) &&
        !declared.has(packageNameOf(request))
      ) {
        problems.push(`${file}: ${request} is not a dependency`)
      }
    }
  }
  expect(problems).toEqual([])
  // Tests, fixtures and test helpers stay out of the package.
  expect([...files].filter((f) => /\.test\.ts$|^fixtures\/|^test-support\//.test(f))).toEqual([])
})

test('the cliPath the README shows resolves to the CLI, and the bin is that executable file', () => {
  expect(
    fs.realpathSync(createRequire(__filename).resolve(`${manifest.name}/cli/headless-cli.js`)),
  ).toBe(fs.realpathSync(HEADLESS_CLI))
  const bin = path.join(PACKAGE_DIR, manifest.bin['miniprogram-headless']!)
  expect(fs.realpathSync(bin)).toBe(fs.realpathSync(HEADLESS_CLI))
  expect(fs.readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/)
  // automator.launch() spawns cliPath itself, so it must be executable.
  expect(fs.statSync(bin).mode & 0o111).not.toBe(0)
})
