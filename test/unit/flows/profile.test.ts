import { flushMicrotasks } from '../../../packages/headless/wx/clock'
import { BASE, realProfile, rejection, setup } from './setup'

const desc = '用于完善会员资料'

describe('getUserProfile', () => {
  it('anonymous answer (微信用户, is_demote): routes to the form, saves nothing', async () => {
    const { auth, server, tap, answer } = setup()
    await auth.prepareProfile()
    const p = tap(() => auth.getUserProfile({ desc }))
    const d = await answer('profile', 'confirm')
    expect(d.detail).toEqual({ desc })
    await expect(p).resolves.toEqual({ status: 'anonymous' })
    expect(auth.store.profilePrompt).toBe('anonymous')
    expect(server.calls.filter((c) => c.path === '/me/wechat-profile')).toHaveLength(0)
    expect(auth.store.user?.nickname).toBeNull()
  })

  it('sends the code fetched before the tap, never one fetched after it', async () => {
    const { fake, auth, server, tap, answer } = setup()
    fake.control.setProfileSource(realProfile)
    await auth.prepareProfile() // login (code-1, exchanged), then the prefetch (code-2)
    expect(fake.control.codes).toEqual(['code-1', 'code-2'])
    expect(server.exchanged).toEqual(['code-1'])
    const p = tap(() => auth.getUserProfile({ desc }))
    await answer('profile', 'confirm')
    const r = await p
    expect(r).toEqual({ status: 'saved', user: expect.objectContaining({ nickname: '小明' }) })
    expect(fake.control.loginCalls).toBe(2) // no wx.login after the tap
    const call = server.calls.find((c) => c.path === '/me/wechat-profile')!
    expect(call.data).toEqual({
      code: 'code-2',
      rawData: expect.stringContaining('小明'),
      signature: expect.stringMatching(/^[0-9a-f]{40}$/),
      encryptedData: expect.any(String),
      iv: expect.any(String),
    })
    expect(call.token).toBe('tok-1')
    expect(auth.store.user?.nickname).toBe('小明')
    expect(auth.store.profilePrompt).toBeNull()
  })

  it('a login between prefetch and tap makes the code stale: refused, a new one fetched', async () => {
    // The new login may rotate session_key; the payload would then not verify against the
    // prefetched code's key. The kit detects it (session token changed since the prefetch),
    // sends nothing, and prefetches a fresh code so the next tap works.
    const { fake, auth, server, tap, answer } = setup()
    fake.control.setProfileSource(realProfile)
    await auth.prepareProfile()
    await auth.logout()
    await auth.ensureLogin() // code-3: a new session
    const p = tap(() => auth.getUserProfile({ desc }))
    await answer('profile', 'confirm')
    const e = await rejection(p)
    expect(e.code).toBe('login_failed')
    expect(server.calls.filter((c) => c.path === '/me/wechat-profile')).toHaveLength(0)
    await flushMicrotasks()
    expect(fake.control.codes).toEqual(['code-1', 'code-2', 'code-3', 'code-4'])
    const again = tap(() => auth.getUserProfile({ desc }))
    await answer('profile', 'confirm')
    await expect(again).resolves.toMatchObject({ status: 'saved' })
    expect(server.calls.find((c) => c.path === '/me/wechat-profile')!.data).toMatchObject({
      code: 'code-4',
    })
  })

  it('no prefetched code: refused without sending, one fetched for the next tap', async () => {
    const { fake, auth, server, tap, answer } = setup()
    fake.control.setProfileSource(realProfile)
    await auth.ensureLogin()
    const p = tap(() => auth.getUserProfile({ desc }))
    await answer('profile', 'confirm')
    expect((await rejection(p)).code).toBe('login_failed')
    expect(server.calls).toHaveLength(0)
  })

  it('a prefetched code older than the 5-minute validity (with margin) is not sent', async () => {
    const { fake, auth, server, tap, answer } = setup()
    fake.control.setProfileSource(realProfile)
    await auth.prepareProfile()
    const now = Date.now()
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now + 280_000)
    try {
      const p = tap(() => auth.getUserProfile({ desc }))
      await answer('profile', 'confirm')
      expect((await rejection(p)).code).toBe('login_failed')
      expect(server.calls.filter((c) => c.path === '/me/wechat-profile')).toHaveLength(0)
    } finally {
      spy.mockRestore()
    }
  })

  it('refusal is recorded, and the next tap retries', async () => {
    const { fake, auth, tap, answer } = setup()
    fake.control.setProfileSource(realProfile)
    await auth.prepareProfile()
    const p = tap(() => auth.getUserProfile({ desc }))
    await answer('profile', 'cancel')
    const e = await rejection(p)
    expect(e.code).toBe('profile_denied')
    expect(e.message).toContain('getUserProfile:fail auth deny')
    expect(auth.store.profilePrompt).toBe('refused')
    expect(auth.store.lastError?.code).toBe('profile_denied')
    const again = tap(() => auth.getUserProfile({ desc }))
    await answer('profile', 'confirm')
    await expect(again).resolves.toMatchObject({ status: 'saved' })
    expect(auth.store.profilePrompt).toBeNull()
    expect(fake.control.profileCalls).toBe(2)
  })

  it('gesture rule: called after an await in the tap handler -> gesture_required', async () => {
    const { fake, auth, tap, opened } = setup()
    await auth.prepareProfile()
    const p = tap(async () => {
      await auth.refreshScopes() // any await loses the tap
      return auth.getUserProfile({ desc })
    })
    const e = await rejection(p)
    expect(e.code).toBe('gesture_required')
    expect(auth.store.lastError?.code).toBe('gesture_required')
    expect(auth.store.profilePrompt).toBeNull()
    expect(opened('profile')).toHaveLength(0)
    expect(fake.control.gestureRefusals).toBe(1)
  })

  it('calls wx.getUserProfile synchronously (inside the tap turn)', () => {
    const { fake, auth, tap } = setup()
    tap(() => void auth.getUserProfile({ desc }).catch(() => undefined))
    expect(fake.control.profileCalls).toBe(1)
    expect(fake.control.gestureRefusals).toBe(0)
  })
})

describe('saveProfile', () => {
  it('validates the nickname (trimmed, 1-32 characters) before any call', async () => {
    const { fake, auth } = setup()
    for (const nickname of ['', '   ', 'x'.repeat(33)]) {
      const e = await rejection(auth.saveProfile({ nickname }))
      expect(e.code).toBe('invalid_input')
    }
    expect((await rejection(auth.saveProfile({}))).code).toBe('invalid_input')
    expect(auth.store.lastError?.code).toBe('invalid_input')
    expect(fake.control.requests).toHaveLength(0)
    expect(fake.control.uploads).toHaveLength(0)
  })

  it('saves a trimmed nickname of up to 32 characters (emoji count as one)', async () => {
    const { auth, server } = setup()
    const nickname = '😀'.repeat(32)
    await expect(auth.saveProfile({ nickname: `  ${nickname} ` })).resolves.toMatchObject({
      nickname,
    })
    expect(server.calls).toEqual([
      expect.objectContaining({ method: 'PUT', path: '/me', data: { nickname } }),
    ])
    expect(auth.store.user?.nickname).toBe(nickname)
  })

  it('uploads the chosen avatar (bearer, field file), retrying network failures, then PUT /me', async () => {
    const { fake, auth, server, answer } = setup()
    const chosen = fake.control.chooseAvatar()
    await answer('avatar', 'confirm')
    const { avatarUrl: avatarPath } = (await chosen)!
    expect(avatarPath).toMatch(/^wxfile:\/\/tmp_/)
    fake.control.failUploads(2)
    const user = await auth.saveProfile({ nickname: '小红', avatarPath })
    expect(fake.control.uploads.map((u) => u.outcome)).toEqual(['fail', 'fail', 'ok'])
    expect(server.uploads).toEqual([
      { url: `${BASE}/me/avatar`, name: 'file', token: 'tok-1', filePath: avatarPath },
    ])
    expect(server.calls.at(-1)).toMatchObject({
      method: 'PUT',
      path: '/me',
      data: { nickname: '小红', avatarUrl: `${BASE}/avatars/a1` },
    })
    expect(user).toMatchObject({ nickname: '小红', avatarUrl: `${BASE}/avatars/a1` })
    expect(auth.store.user).toEqual(user)
  })

  it('upload failing three times -> upload_failed, nothing patched', async () => {
    const { fake, auth, server } = setup()
    const avatarPath = fake.control.addTempFile()
    fake.control.failUploads(3)
    const e = await rejection(auth.saveProfile({ nickname: '小红', avatarPath }))
    expect(e.code).toBe('upload_failed')
    expect(e.message).toContain('uploadFile:fail')
    expect(fake.control.uploads).toHaveLength(3)
    expect(server.calls.filter((c) => c.method === 'PUT')).toHaveLength(0)
    expect(auth.store.lastError?.code).toBe('upload_failed')
  })

  it('a session revoked on the server: the upload renews it once and goes through', async () => {
    const { fake, auth, server } = setup()
    await auth.ensureLogin()
    server.revokeAll()
    const user = await auth.saveProfile({
      nickname: '小红',
      avatarPath: fake.control.addTempFile(),
    })
    expect(server.uploads.map((u) => u.token)).toEqual(['tok-1', 'tok-2'])
    expect(server.exchanged).toHaveLength(2)
    expect(user.avatarUrl).toBe(`${BASE}/avatars/a2`)
  })

  it('an upload answered 401 even after renewal fails with upload_failed', async () => {
    const { fake, auth, server } = setup()
    fake.control.setUploadHandler(() => ({ statusCode: 401, data: '{}' }))
    const e = await rejection(auth.saveProfile({ avatarPath: fake.control.addTempFile() }))
    expect(e.code).toBe('upload_failed')
    expect(fake.control.uploads).toHaveLength(2)
    expect(server.exchanged).toHaveLength(1)
  })

  it('an HTTP error on upload is not retried', async () => {
    const { fake, auth } = setup()
    fake.control.setUploadHandler(() => ({ statusCode: 415, data: '{}' }))
    const e = await rejection(auth.saveProfile({ avatarPath: fake.control.addTempFile() }))
    expect(e.code).toBe('upload_failed')
    expect(fake.control.uploads).toHaveLength(1)
  })
})
