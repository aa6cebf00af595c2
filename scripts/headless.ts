// `npm run headless [-- --project P --auto-port N --auto-account openid]`: packs npm (构建 npm),
// then starts the headless runtime by hand, serving the automator protocol (connect with
// automator.connect({ wsEndpoint: 'ws://127.0.0.1:9420' })). It talks to the server of
// `npm start` (http://127.0.0.1:3000) unless WX_SIM_SERVER says otherwise.
import path from 'node:path'
import { main } from '../packages/headless/cli/main'
import { packProjectNpm } from '../packages/headless/runtime/pack-npm'

const args = process.argv.slice(2)
const has = (flag: string): boolean => args.includes(flag)
const argv = ['auto', ...args]
if (!has('--project')) argv.push('--project', path.resolve(__dirname, '..'))
if (!has('--auto-port') && !has('--port')) argv.push('--auto-port', '9420')
process.env.WX_SIM_SERVER ??= 'http://127.0.0.1:3000'

// As DevTools after 构建 npm: the runtime loads npm from miniprogram_npm.
const project = argv[argv.indexOf('--project') + 1]!
void packProjectNpm(path.resolve(project)).then(() => main(argv))
