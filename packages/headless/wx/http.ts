// The fake wx in real-HTTP mode (headless runtime): wx.request goes over the network with Node's
// fetch, and the platform's secrets (login codes, phone codes, getUserProfile payloads) are minted
// by the reference server's simulated WeChat through its control routes (/__sim/...), so the
// server accepts them exactly as it would accept codes from WeChat.
// The app is configured for http://127.0.0.1:3000 (DevTools' develop target); requests to that
// origin are rewritten to the test server's origin.
import type { ProfilePayload, ProfileSource } from './profile'
import type { FakeRequest, FakeResponse, RequestHandler } from './request'
import type { UploadHandler } from './upload'

export interface SimServer {
  /** The test server, e.g. http://127.0.0.1:43121 */
  origin: string
  /** Origins the app may be configured with, rewritten to `origin`. */
  rewriteOrigins?: string[]
}

export const DEFAULT_APP_ORIGINS = ['http://127.0.0.1:3000', 'http://localhost:3000']

export function rewriteUrl(url: string, server: SimServer): string {
  for (const from of server.rewriteOrigins ?? DEFAULT_APP_ORIGINS) {
    if (url === from || url.startsWith(`${from}/`) || url.startsWith(`${from}?`)) {
      return server.origin.replace(/\/$/, '') + url.slice(from.length)
    }
  }
  return url
}

function bodyOf(req: FakeRequest): string | ArrayBuffer | undefined {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined
  return req.body
}

/** wx.request over real HTTP. A network error or timeout rejects (the fake turns it into fail). */
export function httpRequestHandler(server: SimServer): RequestHandler {
  return async (req: FakeRequest): Promise<FakeResponse> => {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), req.timeout)
    try {
      const res = await fetch(rewriteUrl(req.url, server), {
        method: req.method,
        headers: req.header,
        body: bodyOf(req) ?? null,
        signal: controller.signal,
      })
      const text = await res.text()
      const header: Record<string, string> = {}
      res.headers.forEach((v, k) => {
        header[k] = v
      })
      // WeChat hands `data` over parsed when it is JSON (dataType 'json'), else as text.
      return { statusCode: res.status, header, data: text }
    } catch (e) {
      if (controller.signal.aborted) throw new Error('timeout')
      throw new Error(e instanceof Error ? e.message : String(e))
    } finally {
      clearTimeout(timer)
    }
  }
}

async function postJson(
  server: SimServer,
  path: string,
  body: Record<string, unknown>,
): Promise<unknown> {
  const res = await fetch(`${server.origin.replace(/\/$/, '')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 200)}`)
  return JSON.parse(text) as unknown
}

function field(value: unknown, name: string, path: string): string {
  const v =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[name]
      : undefined
  if (typeof v !== 'string') throw new Error(`${path}: answer has no "${name}"`)
  return v
}

/** wx.login codes minted for `openid` (the runtime's test user). */
export function simLoginCodeSource(server: SimServer, openid: string): () => Promise<string> {
  return async () =>
    field(await postJson(server, '/__sim/login-code', { openid }), 'code', '/__sim/login-code')
}

/** Tells the simulated WeChat that `openid` accepted a template (one subscribe/send allowed). */
export function simSubscribeAcceptReporter(
  server: SimServer,
  openid: string,
): (templateId: string) => Promise<void> {
  return async (templateId) => {
    const res = await fetch(`${server.origin.replace(/\/$/, '')}/__sim/subscribe-accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid, templateId }),
    })
    await res.text()
    if (!res.ok) throw new Error(`/__sim/subscribe-accept: HTTP ${res.status}`)
  }
}

/** getPhoneNumber codes for `openid`. */
export function simPhoneCodeSource(server: SimServer, openid: string): () => Promise<string> {
  return async () =>
    field(await postJson(server, '/__sim/phone-code', { openid }), 'code', '/__sim/phone-code')
}

/**
 * getUserProfile payloads encrypted by the simulator with the user's current session_key.
 * `anonymous` reproduces base library ≥ 2.27.1 ('微信用户', grey avatar, is_demote).
 */
export function simProfileSource(
  server: SimServer,
  openid: string,
  anonymous: () => boolean,
): ProfileSource {
  return async () => {
    const answer = await postJson(server, '/__sim/profile-payload', {
      openid,
      anonymous: anonymous(),
    })
    if (
      typeof answer !== 'object' ||
      answer === null ||
      typeof (answer as { userInfo?: unknown }).userInfo !== 'object'
    ) {
      throw new Error('/__sim/profile-payload: malformed answer')
    }
    return answer as ProfilePayload
  }
}

/** wx.uploadFile as a device sends it: a multipart/form-data POST. */
export function httpUploadHandler(server: SimServer): UploadHandler {
  return async (u) => {
    const fd = new FormData()
    for (const [k, v] of Object.entries(u.formData)) fd.append(k, v)
    fd.append(u.name, new Blob([new Uint8Array(u.file)]), u.filePath.split('/').pop() ?? 'file')
    const header: Record<string, string> = {}
    // fetch writes the multipart content-type with its boundary itself.
    for (const [k, v] of Object.entries(u.header))
      if (k.toLowerCase() !== 'content-type') header[k] = v
    const res = await fetch(rewriteUrl(u.url, server), {
      method: 'POST',
      headers: header,
      body: fd,
    })
    const out: Record<string, string> = {}
    res.headers.forEach((v, k) => {
      out[k] = v
    })
    return { statusCode: res.status, data: await res.text(), header: out }
  }
}
