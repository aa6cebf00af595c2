#!/usr/bin/env node
// Executable stand-in for DevTools' `cli`: automator.launch({ cliPath: <this file>, projectPath })
// spawns it. The runtime is TypeScript, run through tsx's require hook.
'use strict'
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher by design */
require('tsx/cjs')
require('./main.ts')
  .main(process.argv.slice(2))
  .catch((e) => {
    process.stderr.write(`${e && e.stack ? e.stack : e}\n`)
    process.exit(1)
  })
