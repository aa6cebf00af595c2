// `npx tsx bench/kit-files.ts`: the kit's size per module (minified, gzipped; each module bundled
// alone, the kit's other modules and mobx-miniprogram external), beside the entry bundles that
// `npm run bench` measures. Tells where the bytes of the logic bundle are. With `--marginal`, also
// what each top-level declaration of the logic bundle costs it: the gzip bytes saved by deleting it.
import { parse } from 'acorn'
import { readdirSync } from 'fs'
import { join } from 'path'
import { gzipSync } from 'zlib'
import { build } from 'esbuild'

const SRC = join(__dirname, '../packages/kit/src')

async function minified(code: string, externalLocal: boolean) {
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
  return r.outputFiles[0]!.text
}

const gzip = (text: string) => gzipSync(text, { level: 9 }).length
const size = async (code: string, externalLocal: boolean) =>
  gzip(await minified(code, externalLocal))

/** Each top-level declaration's cost: the bundle's gzip size minus the size without it. */
function marginal(text: string) {
  const whole = gzip(text)
  const program = parse(text, { ecmaVersion: 'latest', sourceType: 'module' })
  const parts: Array<{ start: number; end: number }> = program.body.flatMap(
    (node): Array<{ start: number; end: number }> =>
      node.type === 'VariableDeclaration' ? node.declarations : [node],
  )
  return parts
    .map((p) => ({
      bytes: whole - gzip(text.slice(0, p.start) + text.slice(p.end)),
      text: text.slice(p.start, p.start + 70),
    }))
    .sort((a, b) => b.bytes - a.bytes)
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
  if (process.argv.includes('--marginal'))
    for (const { bytes, text } of marginal(await minified(entries.logic!, false)))
      console.log(`${String(bytes).padStart(5)} B  ${text}`)
}

void main()
