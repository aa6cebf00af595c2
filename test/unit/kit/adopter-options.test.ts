// The options an adopter with an existing back end sets: a session expiry signalled in the body of
// a 200 (`{code: -1}`, as weRequest's loginTrigger handles it), and the flow routes under other
// paths. Runs the built package (jest maps wx-login-kit to miniprogram_dist).
import { installFakeWx, headerOf, type FakeRequest, type FakeResponse } from '../../harness/wx'
import { AuthKitError, createAuth, type ApiResponse, type AuthEvent } from 'wx-login-kit'

const BASE = 'https://legacy.test'

/**
 * A back end in the common Chinese style: every answer is 200, `{code: 0, data}` on success and
 * `{code: -1}` when the session is unknown. Tokens are issued by the login route.
 */
function createLegacyServer() {
  let issued = 0
  const s = {
    valid: new Set<string>(),
    /** When true, even a fresh token is answered with `{code: -1}` (a broken back end). */
    alwaysExpired: false,
    paths: [] as string[],
    handle(req: FakeRequest): FakeResponse {
      const path = req.url.replace(BASE, '').split('?')[0]!
      s.paths.push(`${req.method} ${path}`)
      if (path === '/auth/login') {
        const token = `tok-${++issued}`
        s.valid.add(token)
        return { statusCode: 200, data: { token, expiresIn: 7200, user: null } }
      }
      const token = (headerOf(req.header, 'authorization') ?? '').replace(/^Bearer /, '')
      if (s.alwaysExpired || !s.valid.has(token)) return { statusCode: 200, data: { code: -1 } }
      const data = { code: 0, data: { path, token } }
      return { statusCode: 200, data }
    },
  }
  return s
}

const bodyExpired = (r: ApiResponse<unknown>): boolean =>
  (r.data as { code?: unknown } | null)?.code === -1

function world(options: { isSessionExpired?: (r: ApiResponse<unknown>) => boolean } = {}) {
  const server = createLegacyServer()
  const fake = installFakeWx({ requestHandler: (r) => server.handle(r) })
  const auth = createAuth({ baseUrl: BASE, storageKey: `legacy/${Math.random()}`, ...options })
  const events: AuthEvent['type'][] = []
  auth.on('session:renewed', (e) => events.push(e.type))
  return { server, fake, auth, events }
}

describe('isSessionExpired: a session expiry signalled in the body', () => {
  test('a 200 {code: -1} re-logs in once and retries the call with the new token', async () => {
    const { server, fake, auth, events } = world({ isSessionExpired: bodyExpired })
    await auth.ensureLogin()
    server.valid.clear() // the back end forgot tok-1
    server.paths.length = 0

    const res = await auth.request<{ code: number; data: { token: string } }>({ url: '/orders' })

    expect(res.data).toEqual({ code: 0, data: { path: '/orders', token: 'tok-2' } })
    expect(server.paths).toEqual(['GET /orders', 'POST /auth/login', 'GET /orders'])
    expect(fake.control.loginCalls).toBe(2)
    expect(events).toEqual(['session:renewed'])
    expect(auth.store.status).toBe('authenticated')
  })

  test('without the option the same answer is an ordinary success: no login, body as sent', async () => {
    const { server, fake, auth } = world()
    await auth.ensureLogin()
    server.valid.clear()

    const res = await auth.request<{ code: number }>({ url: '/orders' })

    expect(res.statusCode).toBe(200)
    expect(res.data).toEqual({ code: -1 })
    expect(fake.control.loginCalls).toBe(1)
  })

  test('an expiry again after the re-login rejects like a second 401: one re-login, one retry', async () => {
    const { server, fake, auth } = world({ isSessionExpired: bodyExpired })
    await auth.ensureLogin()
    server.alwaysExpired = true
    server.paths.length = 0

    const error = await auth.request({ url: '/orders' }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(AuthKitError)
    expect(error).toMatchObject({ code: 'http', statusCode: 401 })
    expect(server.paths).toEqual(['GET /orders', 'POST /auth/login', 'GET /orders'])
    expect(fake.control.loginCalls).toBe(2)
  })

  test('a predicate that throws leaves the answer as it is', async () => {
    const { auth, server } = world({
      isSessionExpired: () => {
        throw new Error('unexpected shape')
      },
    })
    await auth.ensureLogin()
    server.valid.clear()
    const res = await auth.request<{ code: number }>({ url: '/orders' })
    expect(res.data).toEqual({ code: -1 })
  })
})

describe('flow routes are options', () => {
  /** A back end whose routes live under /api/v2; every call succeeds. */
  function createRoutedWorld() {
    const seen: string[] = []
    const user = { id: 'u1', nickname: 'n', avatarUrl: null, phone: '138****0000' }
    const fake = installFakeWx({
      requestHandler: (req) => {
        const path = req.url.replace(BASE, '').split('?')[0]!
        seen.push(`${req.method} ${path}`)
        if (path === '/api/v2/login')
          return { statusCode: 200, data: { token: 't', expiresIn: 7200, user } }
        return { statusCode: 200, data: path === '/api/v2/bye' ? { ok: true } : user }
      },
    })
    const auth = createAuth({
      baseUrl: BASE,
      storageKey: `routes/${Math.random()}`,
      loginPath: '/api/v2/login',
      logoutPath: '/api/v2/bye',
      mePath: '/api/v2/profile',
      phonePath: '/api/v2/phone',
      avatarUploadPath: '/api/v2/avatar',
    })
    fake.control.setUploadHandler((u) => {
      seen.push(`UPLOAD ${u.url.replace(BASE, '')}`)
      return { statusCode: 200, data: { url: `${BASE}/a.jpg` } }
    })
    return { seen, fake, auth }
  }

  test('bindPhone, the avatar upload, saveProfile and logout call the configured paths', async () => {
    const { seen, fake, auth } = createRoutedWorld()
    await auth.ensureLogin()
    expect(seen).toEqual(['POST /api/v2/login'])
    seen.length = 0
    await auth.bindPhone({ code: 'phone-code', errMsg: 'getPhoneNumber:ok' })
    await auth.saveProfile({ nickname: '小满', avatarPath: fake.control.addTempFile() })
    await auth.logout()
    // logout resolves once the local state is reset; the revoke follows in the background
    for (let turn = 0; turn < 100 && seen.length < 4; turn++)
      await new Promise((resolve) => setImmediate(resolve))

    expect(seen).toEqual([
      'POST /api/v2/phone',
      'UPLOAD /api/v2/avatar',
      'PUT /api/v2/profile',
      'POST /api/v2/bye',
    ])
  })
})
