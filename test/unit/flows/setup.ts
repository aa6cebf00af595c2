// One kit with its flows over the fake wx (VirtualClock: nothing waits on time) and a small
// in-memory server for the routes the flows call. Dialogs are answered explicitly by the tests.
import { flushMicrotasks } from '../../../packages/headless/wx/clock'
import type { DialogAnswer, DialogKind, PendingDialog } from '../../../packages/headless/wx/dialogs'
import {
  installFakeWx,
  headerOf,
  type FakeRequest,
  type FakeResponse,
  type FakeWx,
} from '../../../packages/headless/wx'
import type { FakeUpload } from '../../../packages/headless/wx/upload'
import { profilePayload } from '../../../packages/headless/wx/profile'
import { createAuth, getAuth, type AuthKitError, type User } from '../../../miniprogram/auth'

export const BASE = 'https://api.test'

export function createServer() {
  let n = 0
  let user: User = { id: 'u1', nickname: null, avatarUrl: null, phone: null }
  const tokens = new Set<string>()
  const s = {
    /** Login codes exchanged (login route and X-WX-Code), in order. */
    exchanged: [] as string[],
    /** Bodies of the app routes, in order. */
    calls: [] as Array<{ method: string; path: string; token?: string; data: unknown }>,
    uploads: [] as Array<{ url: string; name: string; token?: string; filePath: string }>,
    get user() {
      return user
    },
    revokeAll() {
      tokens.clear()
    },
    handle(req: FakeRequest): FakeResponse {
      const path = req.url.replace(BASE, '').split('?')[0]!
      const token = headerOf(req.header, 'authorization')?.replace(/^Bearer /, '')
      const code = headerOf(req.header, 'x-wx-code')
      const issue = (c: string) => {
        s.exchanged.push(c)
        const t = `tok-${++n}`
        tokens.add(t)
        return t
      }
      if (path === '/auth/login') {
        const t = issue((req.data as { code: string }).code)
        return { statusCode: 200, data: { token: t, expiresIn: 7200, user } }
      }
      const header: Record<string, string> = {}
      if (code) {
        header['X-Session-Token'] = issue(code)
        header['X-Session-Expires-In'] = '7200'
      } else if (!token || !tokens.has(token))
        return { statusCode: 401, data: { error: { code: 'SESSION_INVALID', message: 'no' } } }
      s.calls.push({ method: req.method, path, token, data: req.data })
      const d = (req.data ?? {}) as Record<string, string>
      if (path === '/me/wechat-profile') {
        const info = JSON.parse(d.rawData!) as { nickName: string; avatarUrl: string }
        user = { ...user, nickname: info.nickName, avatarUrl: info.avatarUrl }
      } else if (path === '/me/phone') user = { ...user, phone: '138****0000' }
      else if (path === '/me' && req.method === 'PATCH')
        user = {
          ...user,
          nickname: d.nickname ?? user.nickname,
          avatarUrl: d.avatarUrl ?? user.avatarUrl,
        }
      return { statusCode: 200, header, data: user }
    },
    upload(u: FakeUpload) {
      const token = headerOf(u.header, 'authorization')?.replace(/^Bearer /, '')
      s.uploads.push({ url: u.url, name: u.name, token, filePath: u.filePath })
      if (!token || !tokens.has(token)) return { statusCode: 401, data: '{"error":{}}' }
      return { statusCode: 200, data: { url: `${BASE}/avatars/a${s.uploads.length}` } }
    },
  }
  return s
}

export function setup(o: { before?: (fake: FakeWx) => void } = {}) {
  const fake = installFakeWx()
  const server = createServer()
  fake.control.setHandler((r) => server.handle(r))
  fake.control.setUploadHandler((u) => server.upload(u))
  o.before?.(fake)
  const auth = createAuth({ baseUrl: BASE })
  expect(getAuth()).toBe(auth)
  /** Runs `fn` as the synchronous part of a tap handler. */
  const tap = <T>(fn: () => T): T => fake.control.runAsTap(fn)
  /** Waits (in promise turns, no time) until a dialog of `kind` is open. */
  const dialog = async (kind: DialogKind): Promise<PendingDialog> => {
    for (let i = 0; i < 40; i++) {
      const d = fake.control.dialogs.pending().find((x) => x.kind === kind)
      if (d) return d
      await flushMicrotasks()
    }
    throw new Error(`no '${kind}' dialog opened`)
  }
  /** Waits until a dialog of `kind` is open, then answers it. */
  const answer = async (kind: DialogKind, a: DialogAnswer): Promise<PendingDialog> => {
    const d = await dialog(kind)
    fake.control.dialogs.answer(a, [kind])
    return d
  }
  const opened = (kind: DialogKind) => fake.control.dialogs.history.filter((d) => d.kind === kind)
  return { fake, server, auth, tap, dialog, answer, opened }
}

/** A non-anonymous getUserProfile payload (base library < 2.27.1). */
export const realProfile = () =>
  profilePayload({ nickName: '小明', avatarUrl: 'https://thirdwx.qlogo.cn/x/132', gender: 1 })

/** The rejection of `p`, as the kit's typed error. */
export async function rejection(p: Promise<unknown>): Promise<AuthKitError> {
  try {
    await p
  } catch (e) {
    return e as AuthKitError
  }
  throw new Error('expected a rejection')
}

/** Whether `p` is still pending after the promise jobs run out. */
export async function pending(p: Promise<unknown>): Promise<boolean> {
  let done = false
  p.then(
    () => (done = true),
    () => (done = true),
  )
  await flushMicrotasks()
  return !done
}
