// The simulated WeChat as other back ends and their tests use it (the package's `./sim` export):
// the simulator, its HTTP server, and the credentials the reference server and `npm run sim`
// use by default.
export { SIM_APPID, SIM_SECRET } from '../../config'
export { createSimWeChat, type SimWeChat, type SimWeChatOptions } from './sim'
export { buildSimHttpServer, type SimHttpServerOptions } from './http-server'
