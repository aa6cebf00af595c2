// One kit with its flows over the fake wx (VirtualClock: nothing waits on time) and the shared
// in-memory server (test/support/fake-server). Dialogs are answered explicitly by the tests.
import { flushMicrotasks } from '../../harness/wx/clock'
import type { DialogAnswer, DialogKind, PendingDialog } from '../../harness/wx/dialogs'
import { installFakeWx, type FakeWx } from '../../harness/wx'
import { profilePayload } from '../../harness/wx/profile'
import { createAuth, getAuth, type AuthKitError } from 'wx-login-kit'
import { BASE, FakeServer } from '../../support/fake-server'

export { BASE }

/**
 * The shared server as the flow suites read it: `calls` are the app routes served with a session
 * (login and logout left out), in order.
 */
export function createServer() {
  const server = new FakeServer()
  return {
    server,
    get calls() {
      return server.log
        .filter((l) => !l.path.startsWith('/auth/') && l.status !== undefined && l.status !== 401)
        .map(({ method, path, token, data }) => ({ method, path, token, data }))
    },
    /** Login codes exchanged (login route and X-WX-Code), in order. */
    get exchanged() {
      return server.exchanged
    },
    get uploads() {
      return server.uploads
    },
    get user() {
      return server.user
    },
    revokeAll: () => server.revokeAll(),
    handle: server.handle,
    upload: server.upload,
  }
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
