#!/usr/bin/env node
// The simulated WeChat over HTTP (docs/protocol.md): the TypeScript CLI, loaded through tsx.
/* eslint-disable @typescript-eslint/no-require-imports */
require('tsx/cjs')
require('../src/wechat/sim/cli.ts').runSimCli()
