import { reaction } from 'mobx-miniprogram'
import { createStore } from 'wx-login-kit/store'

describe('auth store', () => {
  it('starts anonymous with every field of AuthStoreState', () => {
    const s = createStore()
    expect(s).toMatchObject({
      status: 'anonymous',
      user: null,
      isLoggedIn: false,
      scopes: {},
      reprompt: null,
      privacy: null,
      profilePrompt: null,
      subscriptions: {},
      lastError: null,
    })
  })

  it('derives isLoggedIn from status and notifies observers of record updates', () => {
    const s = createStore()
    const seen: unknown[] = []
    reaction(
      () => [s.isLoggedIn, s.scopes['scope.userLocation'], s.subscriptions.t1],
      (v) => seen.push(v),
    )
    s.setSession({ id: 'u', nickname: null, avatarUrl: null, phone: null })
    s.setScope('scope.userLocation', 'denied')
    s.setSubscription('t1', 'accept')
    expect(seen).toEqual([
      [true, undefined, undefined],
      [true, 'denied', undefined],
      [true, 'denied', 'accept'],
    ])
    s.setStatus('logging-in')
    expect(s.isLoggedIn).toBe(false)
  })

  it('sets each field through its action and resets them all', () => {
    const s = createStore()
    s.setSession(null)
    s.setUser({ id: 'u', nickname: 'n', avatarUrl: null, phone: null })
    s.setScopes({ 'scope.camera': 'granted' })
    s.setReprompt({ scope: 'scope.camera', reason: 'scan' })
    s.setPrivacy({ referrer: 'p', contractName: 'c' })
    s.setProfilePrompt('refused')
    s.setError({ code: 'network', message: 'x' })
    expect(s.user?.nickname).toBe('n')
    expect(s.reprompt?.reason).toBe('scan')
    expect(s.privacy?.contractName).toBe('c')
    expect(s.profilePrompt).toBe('refused')
    expect(s.lastError?.code).toBe('network')
    s.reset()
    expect(s.status).toBe('anonymous')
    expect(s.scopes).toEqual({})
    expect(s.lastError).toBeNull()
  })
})
