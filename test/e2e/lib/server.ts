// The reference server the app talks to: the one `npm run e2e` started (WX_SIM_SERVER), or
// `npm start`'s on 127.0.0.1:3000 (DevTools' develop build).
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'

export function serverOrigin(): string {
  return process.env.WX_SIM_SERVER ?? 'http://127.0.0.1:3000'
}

/** The session token the app keeps in storage (the kit's versioned record), or undefined. */
export async function storedToken(mp: MiniProgram): Promise<string | undefined> {
  const rec: unknown = await mp.callWxMethod('getStorageSync', 'auth/session/v1')
  const t = typeof rec === 'object' && rec !== null ? (rec as { t?: unknown }).t : undefined
  return typeof t === 'string' && t !== '' ? t : undefined
}

/** Revokes a session on the server, as an admin or another device logging it out would. */
export async function revokeOnServer(token: string): Promise<void> {
  const res = await fetch(`${serverOrigin()}/auth/logout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
  if (res.status >= 300) throw new Error(`revoking the session: HTTP ${res.status}`)
}

/** What the server answers a token on GET /me (200 while the session lives, 401 after). */
export async function meStatus(token: string): Promise<number> {
  const res = await fetch(`${serverOrigin()}/me`, { headers: { authorization: `Bearer ${token}` } })
  return res.status
}
