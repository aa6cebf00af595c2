// Which mini-program the journeys drive: WeChat DevTools when WECHAT_DEVTOOLS_CLI points at its
// `cli`, otherwise the headless runtime's CLI. Both are started by the unmodified
// automator.launch(), so a journey does not know which one it runs against.
import { freePort } from '../../../packages/headless/cli/free-port'
import path from 'node:path'
import automator from 'miniprogram-automator'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'

export const REPO_ROOT = path.resolve(__dirname, '../../..')
export const HEADLESS_CLI = path.join(REPO_ROOT, 'packages/headless/cli/headless-cli.js')

export interface Target {
  name: 'devtools' | 'headless'
  cliPath: string
}

export function target(): Target {
  const devtools = process.env.WECHAT_DEVTOOLS_CLI
  return devtools
    ? { name: 'devtools', cliPath: devtools }
    : { name: 'headless', cliPath: HEADLESS_CLI }
}

export interface LaunchOptions {
  /**
   * 'required': the user has not agreed to the privacy guide yet, so privacy APIs ask first.
   * The headless runtime reads it from WX_SIM_PRIVACY; on DevTools, clear the project's privacy
   * agreement by hand (详情 → 本地设置) before running.
   */
  privacy?: 'required'
}

/** Opens the app for `account` (the test user's openid in the simulated WeChat). */
export async function launchApp(account: string, o: LaunchOptions = {}): Promise<MiniProgram> {
  const t = target()
  const previous = process.env.WX_SIM_PRIVACY
  // The CLI inherits this process's environment when launch() spawns it.
  if (o.privacy) process.env.WX_SIM_PRIVACY = o.privacy
  else delete process.env.WX_SIM_PRIVACY
  try {
    return await automator.launch({
      cliPath: t.cliPath,
      projectPath: REPO_ROOT,
      // DevTools' --auto-account wants a real WeChat account: there the DevTools user is the user.
      ...(t.name === 'headless' ? { account } : {}),
      trustProject: true,
      port: await freePort(),
    })
  } finally {
    if (previous === undefined) delete process.env.WX_SIM_PRIVACY
    else process.env.WX_SIM_PRIVACY = previous
  }
}

/** A test user nobody else uses: journeys never share server-side state. */
export function freshAccount(journey: string): string {
  return `o-e2e-${journey}-${Date.now().toString(36)}`.slice(0, 64)
}
