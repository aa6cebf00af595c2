// WXML `<import src="/tpl/x.wxml"/>` and `<include src="/tpl/x.wxml"/>` name files from the
// miniprogram root. WeChat's `wcc` resolves such a root-absolute path only when its input files are
// given as DevTools gives them, `./pages/a/index.wxml`; miniprogram-compiler passes
// `pages/a/index.wxml`, and then wcc reports `Path '/tpl/x.wxml' not found` and renders nothing of
// the template. This passes every .wxml and .wxs file as `./…`, and lets simulate keep asking for
// the compiled page by its plain relative name.
import fs from 'node:fs'
import path from 'node:path'

export interface WxmlCompiler {
  wxmlToJs(rootPath: string, options?: Record<string, unknown>): string
}

/** Files under `root` ending in `ext`, relative and `./`-prefixed (node_modules excluded). */
export function dotSlashFiles(root: string, ext: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith(ext))
        out.push(`./${path.relative(root, full).split(path.sep).join('/')}`)
    }
  }
  walk(root)
  return out.sort()
}

/** The compiled `$gwx` answers `pages/a/index.wxml` for the file it knows as `./pages/a/index.wxml`. */
const ACCEPT_PLAIN_PATHS = `return function (p) {
  var args = Array.prototype.slice.call(arguments);
  if (typeof p === 'string' && p.indexOf('./') !== 0 && p.charAt(0) !== '/') args[0] = './' + p;
  return $gwx.apply(this, args);
};`

export function compileWithRootPaths(compiler: WxmlCompiler): void {
  const original = compiler.wxmlToJs.bind(compiler)
  compiler.wxmlToJs = (rootPath, options = {}) => {
    const code = original(rootPath, {
      ...options,
      wxmlList: dotSlashFiles(rootPath, '.wxml'),
      wxsList: dotSlashFiles(rootPath, '.wxs'),
    })
    const tail = code.lastIndexOf('return $gwx;')
    if (tail < 0) throw new Error('miniprogram-compiler: unexpected wxmlToJs output')
    return `${code.slice(0, tail)}${ACCEPT_PLAIN_PATHS}`
  }
}
