import { flushMicrotasks } from '../../../packages/headless/wx/clock'
import { pending, rejection, setup } from './setup'

const LOC = 'scope.userLocation'
const reason = '用于查找附近门店'

describe('ensureScope', () => {
  it('granted: true at once, no popup, no authorize call', async () => {
    const { fake, auth, opened } = setup()
    fake.control.setScope(LOC, true)
    await expect(auth.ensureScope(LOC, { reason })).resolves.toBe(true)
    expect(fake.control.authorizeCalls).toBe(0)
    expect(opened('authorize')).toHaveLength(0)
    expect(auth.store.scopes[LOC]).toBe('granted')
  })

  it('unasked then allow: wx.authorize pops up, true, recorded granted', async () => {
    const { fake, auth, answer } = setup()
    expect(fake.control.authSetting[LOC]).toBeUndefined() // getSetting omits unasked scopes
    const p = auth.ensureScope(LOC, { reason })
    const d = await answer('authorize', 'confirm')
    expect(d.detail).toEqual({ scope: LOC })
    await expect(p).resolves.toBe(true)
    expect(auth.store.scopes[LOC]).toBe('granted')
    expect(fake.control.authSetting[LOC]).toBe(true)
    expect(auth.store.reprompt).toBeNull()
  })

  it('unasked then refuse: false, recorded denied, no re-prompt', async () => {
    const { fake, auth, answer } = setup()
    const p = auth.ensureScope(LOC, { reason })
    await answer('authorize', 'cancel')
    await expect(p).resolves.toBe(false)
    expect(auth.store.scopes[LOC]).toBe('denied')
    expect(auth.store.reprompt).toBeNull()
    expect(auth.store.lastError?.code).toBe('scope_denied')
    expect(fake.control.authSetting[LOC]).toBe(false)
  })

  it.each(['auth deny', ':auth deny', 'auth denied'] as const)(
    'matches the refusal by substring (%s)',
    async (variant) => {
      const { fake, auth, answer } = setup()
      fake.control.setAuthDenyVariant(variant)
      const p = auth.ensureScope(LOC, { reason })
      await answer('authorize', 'cancel')
      await expect(p).resolves.toBe(false)
      expect(auth.store.scopes[LOC]).toBe('denied')
    },
  )

  it('refused then granted in settings: reprompt set, settles true on return', async () => {
    const { fake, auth, dialog, answer, opened } = setup()
    fake.control.setScope(LOC, false)
    const p = auth.ensureScope(LOC, { reason })
    await flushMicrotasks()
    // no popup and no doomed wx.authorize: the sheet explains and offers the settings button
    expect(fake.control.authorizeCalls).toBe(0)
    expect(opened('authorize')).toHaveLength(0)
    expect(auth.store.reprompt).toEqual({ scope: LOC, reason })
    expect(await pending(p)).toBe(true)
    // auth-sheet: <button open-type="openSetting" bindopensetting>
    const detail = fake.control.tapOpenSettingButton()
    const d = await dialog('settings')
    expect(d.detail).toEqual({ authSetting: { [LOC]: false } })
    fake.control.setScope(LOC, true) // the user flips the switch, then comes back
    await answer('settings', 'confirm')
    auth.resolveReprompt(await detail)
    await expect(p).resolves.toBe(true)
    expect(auth.store.reprompt).toBeNull()
    expect(auth.store.scopes[LOC]).toBe('granted')
  })

  it('refused, back from settings without granting: false', async () => {
    const { fake, auth, answer } = setup()
    fake.control.setScope(LOC, false)
    const p = auth.ensureScope(LOC, { reason })
    await flushMicrotasks()
    const detail = fake.control.tapOpenSettingButton()
    await answer('settings', 'confirm')
    auth.resolveReprompt(await detail)
    await expect(p).resolves.toBe(false)
    expect(auth.store.scopes[LOC]).toBe('denied')
  })

  it('refused then sheet dismissed: false, reprompt cleared', async () => {
    const { fake, auth } = setup()
    fake.control.setScope(LOC, false)
    const p = auth.ensureScope(LOC, { reason })
    await flushMicrotasks()
    auth.resolveReprompt(null)
    await expect(p).resolves.toBe(false)
    expect(auth.store.reprompt).toBeNull()
    expect(auth.store.lastError?.code).toBe('scope_denied')
    expect(fake.control.openSettingCalls).toBe(0)
  })

  it('logout while the re-prompt sheet waits: settles false and the sheet closes', async () => {
    const { fake, auth } = setup()
    fake.control.setScope(LOC, false)
    const p = auth.ensureScope(LOC, { reason })
    await flushMicrotasks()
    expect(auth.store.reprompt).not.toBeNull()
    await auth.logout()
    await expect(p).resolves.toBe(false)
    expect(auth.store.reprompt).toBeNull()
    expect(auth.store.lastError).toBeNull()
  })

  it('a privacy disagreement during authorize is not a scope answer: privacy_denied', async () => {
    const { fake, auth } = setup()
    fake.wx.authorize = ((o: { fail?: (e: object) => void }) =>
      o.fail?.({
        errMsg: 'authorize:fail privacy permission is not authorized',
        errno: 104,
      })) as never
    const e = await rejection(auth.ensureScope(LOC, { reason }))
    expect(e.code).toBe('privacy_denied')
    expect(auth.store.scopes[LOC]).toBeUndefined()
  })
})

describe('refreshScopes', () => {
  it('re-reads getSetting: asked scopes only, unasked ones absent', async () => {
    const { fake, auth } = setup()
    fake.control.setScope(LOC, true)
    fake.control.setScope('scope.camera', false)
    await auth.refreshScopes()
    expect(auth.store.scopes).toEqual({ [LOC]: 'granted', 'scope.camera': 'denied' })
    fake.control.setScope(LOC, null)
    await auth.refreshScopes()
    expect(auth.store.scopes).toEqual({ 'scope.camera': 'denied' })
  })
})

describe('fake wx: openSetting needs a tap', () => {
  it('fails outside a tap and after an await; opens settings inside one', async () => {
    const { fake, tap, answer } = setup()
    const w = fake.wx
    await expect(w.openSetting({})).rejects.toEqual({
      errMsg: 'openSetting:fail can only be invoked by user TAP gesture.',
    })
    await expect(
      tap(async () => {
        await Promise.resolve()
        return w.openSetting({})
      }),
    ).rejects.toMatchObject({ errMsg: expect.stringContaining('TAP gesture') })
    const p = tap(() => w.openSetting({}))
    await answer('settings', 'confirm')
    const plain = await p
    expect(plain).toMatchObject({ errMsg: 'openSetting:ok', authSetting: {} })
    // subscription settings only when asked for (withSubscriptions: true)
    expect(plain).not.toHaveProperty('subscriptionsSetting')
    fake.control.setSubscription('t1', 'reject')
    const withSubscriptions = tap(() => w.openSetting({ withSubscriptions: true }))
    await answer('settings', 'confirm')
    await expect(withSubscriptions).resolves.toMatchObject({
      subscriptionsSetting: { mainSwitch: true, itemSettings: { t1: 'reject' } },
    })
  })

  it('authorize on a refused scope fails at once without a popup', async () => {
    const { fake, opened } = setup()
    fake.control.setScope('scope.camera', false)
    await expect(fake.wx.authorize({ scope: 'scope.camera' })).rejects.toEqual({
      errMsg: 'authorize:fail auth deny',
    })
    expect(opened('authorize')).toHaveLength(0)
  })
})
