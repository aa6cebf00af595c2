// WXSS `@import "x.wxss";` as DevTools' wcsc resolves it: relative to the importing file, or from
// the miniprogram root when the path starts with `/` (`@import "/styles/common.wxss";`), with or
// without the trailing semicolon. miniprogram-simulate inlined only relative imports that end in
// `;`, and app.wxss was not scanned at all, so the shared stylesheets public apps import (weui,
// common.wxss) were silently missing from layout and screenshots. Each file is inlined once per
// stylesheet; a file that does not exist is left out with a warning naming it.
import fs from 'node:fs'
import path from 'node:path'

const IMPORT = /@import\s+(?:url\(\s*)?(["'])([^"']+)\1\s*\)?\s*;?/g

function importedFile(request: string, from: string, root: string): string {
  const base = request.startsWith('/')
    ? path.join(root, request)
    : path.resolve(path.dirname(from), request)
  return path.extname(base) ? base : `${base}.wxss`
}

/** The stylesheet's text with its imports (and theirs) inlined. */
export function readWxssWithImports(
  file: string,
  root: string,
  onMissing: (message: string) => void = console.warn,
  seen: Set<string> = new Set(),
): string {
  seen.add(file)
  const text = fs.readFileSync(file, 'utf8')
  return text.replace(IMPORT, (_all, _quote: string, request: string) => {
    const target = importedFile(request, file, root)
    if (seen.has(target)) return ''
    if (!fs.existsSync(target)) {
      onMissing(`${path.relative(root, file)}: @import "${request}" not found`)
      return ''
    }
    return readWxssWithImports(target, root, onMissing, seen)
  })
}
