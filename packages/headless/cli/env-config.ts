// The runtime's settings that DevTools' command line has no place for, from the environment
// (automator.launch() passes its process environment to the CLI):
//   WX_SIM_ROUTES          JSON (or @file): app origin → server origin, e.g.
//                          {"https://api.shop.example":"http://127.0.0.1:4000"}
//   WX_SIM_LOGIN_CODE_URL  URL that mints wx.login codes: POST {"openid"} → {"code"} (or text)
//   WX_SIM_DEVICE          JSON (or @file): answers of the common wx APIs (wx-device.ts
//                          DeviceConfig: systemInfo, networkType, update, address, payment …)
import fs from 'node:fs'
import type { DeviceConfig } from '../runtime/wx-device'
import { parseRoutes, type NetworkRoutes } from '../wx/network-routes'

function jsonValue(name: string, text: string): unknown {
  const source = text.startsWith('@') ? fs.readFileSync(text.slice(1), 'utf8') : text
  try {
    return JSON.parse(source) as unknown
  } catch (e) {
    throw new Error(`${name}: not JSON (${e instanceof Error ? e.message : String(e)})`)
  }
}

export interface EnvConfig {
  routes?: NetworkRoutes
  loginCodeUrl?: string
  device?: Partial<DeviceConfig>
}

export function readEnvConfig(env: NodeJS.ProcessEnv): EnvConfig {
  const out: EnvConfig = {}
  if (env.WX_SIM_ROUTES)
    out.routes = parseRoutes(jsonValue('WX_SIM_ROUTES', env.WX_SIM_ROUTES), 'WX_SIM_ROUTES')
  if (env.WX_SIM_LOGIN_CODE_URL) {
    try {
      new URL(env.WX_SIM_LOGIN_CODE_URL)
    } catch {
      throw new Error(`WX_SIM_LOGIN_CODE_URL: not a URL: ${env.WX_SIM_LOGIN_CODE_URL}`)
    }
    out.loginCodeUrl = env.WX_SIM_LOGIN_CODE_URL
  }
  if (env.WX_SIM_DEVICE) {
    const device = jsonValue('WX_SIM_DEVICE', env.WX_SIM_DEVICE)
    if (typeof device !== 'object' || device === null || Array.isArray(device))
      throw new Error('WX_SIM_DEVICE: expected a JSON object')
    out.device = device as Partial<DeviceConfig>
  }
  return out
}
