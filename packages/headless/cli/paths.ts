// Where the headless CLI lives: pass it as automator.launch({ cliPath }).
import path from 'node:path'

export const HEADLESS_CLI = path.join(__dirname, 'headless-cli.js')
