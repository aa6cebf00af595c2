// The server origin per environment, read once at launch from the running version of the app:
// develop (DevTools, 开发版) talks to the local reference server from `npm start`;
// trial (体验版) and release (正式版) talk to https origins that must be configured in the
// MP admin console (开发管理 → 服务器域名 → request 合法域名).

export type EnvVersion = 'develop' | 'trial' | 'release'

export const ORIGINS: Record<EnvVersion, string> = {
  develop: 'http://127.0.0.1:3000',
  // REPLACE before uploading a trial build: the staging server's https origin.
  trial: 'https://staging.example.com',
  // REPLACE before release: the production server's https origin.
  release: 'https://api.example.com',
}

/** The running version; 'develop' when the API is unavailable (tests, old base libraries). */
export function envVersion(): EnvVersion {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion
  } catch {
    return 'develop'
  }
}

export function serverOrigin(env: EnvVersion = envVersion()): string {
  return ORIGINS[env] ?? ORIGINS.develop
}

/** Subscription-message template ids for order-status notifications (MP admin → 订阅消息). */
export const ORDER_STATUS_TEMPLATE_IDS: string[] = [
  // REPLACE with the template id chosen in the MP admin console.
  'ORDER_STATUS_TEMPLATE_ID',
]
