// `npx tsx bench/kit-files.ts`: the kit's size per module (minified, gzipped; each module bundled
// alone, the kit's other modules and mobx-miniprogram external), beside the entry bundles that
// `npm run bench` measures. Tells where the bytes of the logic bundle are.
import { readdirSync } from 'fs'
import { join } from 'path'
import { gzipSync } from 'zlib'
import { build } from 'esbuild'

const SRC = join(__dirname, '../packages/kit/src')

async function size(code: string, externalLocal: boolean) {
  const r = await build({
    stdin: { contents: code, resolveDir: SRC, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    external: ['mobx-miniprogram'],
    plugins: externalLocal
      ? [
          {
            name: 'local-external',
            setup(b) {
              b.onResolve({ filter: /^\.\// }, (a) =>
                a.importer === '<stdin>' ? undefined : { path: a.path, external: true },
              )
            },
          },
        ]
      : [],
    write: false,
    logLevel: 'silent',
  })
  return gzipSync(r.outputFiles[0]!.contents, { level: 9 }).length
}

async function main() {
  const entries: Record<string, string> = {
    core: "export { createCore } from './core'\nexport { AuthKitError } from './errors'",
    logic: "export { createAuth, AuthKitError, getAuth } from './index'",
    messages: "export * from './messages'",
    index: "export * from './index'",
  }
  for (const [name, code] of Object.entries(entries))
    console.log(`${name.padEnd(14)} ${await size(code, false)} B (bundle)`)
  for (const f of readdirSync(SRC).filter((f) => f.endsWith('.ts')))
    console.log(
      `${f.padEnd(14)} ${await size(`export * from './${f.slice(0, -3)}'`, true)} B (alone)`,
    )
}

void main()
