// Privacy on the fake wx (platform doc §7): the kit answers onNeedPrivacyAuthorization only while
// a privacy-popup holds it (else WeChat's own popup shows, so no call hangs); errno 104 is the
// user's refusal, errno 112 (an API missing from the privacy guide) the developer's configuration
// error, classified by errno first and by text only when errno is absent.
import { WxFail, wxAsync } from '../../../packages/headless/wx/api'
import { flushMicrotasks } from '../../../packages/headless/wx/clock'
import { pending, rejection, realProfile, setup } from './setup'

const CONTRACT = '《点餐小程序隐私保护指引》'
const needPrivacy = {
  before: (f: ReturnType<typeof setup>['fake']) =>
    f.control.setPrivacy({ needAuthorization: true }),
}

/** A kit with a privacy-popup on screen (it holds the take-over). */
function withPopup() {
  const t = setup(needPrivacy)
  const release = t.auth.holdPrivacyPopup()
  return { ...t, release }
}

describe('privacy: who answers onNeedPrivacyAuthorization', () => {
  it('no popup on screen: the kit registers nothing and WeChat’s own popup answers', async () => {
    const { fake, auth, answer } = setup(needPrivacy)
    expect(fake.control.hasPrivacyListener).toBe(false)
    fake.control.setScope('scope.userLocation', true)
    const p = fake.wx.getLocation({})!
    await answer('privacy', 'confirm') // the official popup
    await expect(p).resolves.toMatchObject({ errMsg: 'getLocation:ok' })
    expect(auth.store.privacy).toBeNull()
    expect(fake.control.officialPrivacyPopups).toBe(1)
  })

  it('a popup on screen takes over: the request goes to store.privacy with the contract name', async () => {
    const { fake, auth } = withPopup()
    expect(fake.control.hasPrivacyListener).toBe(true)
    const p = fake.wx.getLocation({})!
    await flushMicrotasks()
    expect(auth.store.privacy).toEqual({ referrer: 'getLocation', contractName: CONTRACT })
    expect(fake.control.officialPrivacyPopups).toBe(0)
    auth.resolvePrivacy('disagree')
    await expect(p).rejects.toMatchObject({ errno: 104 })
  })

  it('the last popup leaving releases it: the next gated call gets the official popup', async () => {
    const { fake, auth, release, answer } = withPopup()
    const second = auth.holdPrivacyPopup() // e.g. a popup on another page still on screen
    release()
    release() // idempotent: one popup cannot release another's hold
    expect(fake.control.hasPrivacyListener).toBe(true)
    second()
    expect(fake.control.hasPrivacyListener).toBe(false)
    const p = fake.wx.requirePrivacyAuthorize({})!
    await answer('privacy', 'cancel')
    await expect(p).rejects.toMatchObject({ errno: 104 })
    expect(auth.store.privacy).toBeNull()
  })

  it('a popup coming back takes over again', async () => {
    const { fake, auth, release } = withPopup()
    release()
    auth.holdPrivacyPopup()
    const p = fake.wx.requirePrivacyAuthorize({})!
    await flushMicrotasks()
    expect(auth.store.privacy?.referrer).toBe('requirePrivacyAuthorize')
    expect(fake.control.officialPrivacyPopups).toBe(0)
    auth.resolvePrivacy('disagree')
    await expect(p).rejects.toMatchObject({ errno: 104 })
  })

  it('a request shown survives its page hiding (e.g. to read the contract) and coming back', async () => {
    const { fake, auth, release } = withPopup()
    fake.control.setScope('scope.userLocation', true)
    const p = fake.wx.getLocation({})!
    await flushMicrotasks()
    release() // openPrivacyContract covers the page: it hides
    await auth.openPrivacyContract()
    auth.holdPrivacyPopup() // back on the page
    expect(auth.store.privacy?.referrer).toBe('getLocation')
    fake.control.tapAgreePrivacy('agree-btn')
    auth.resolvePrivacy('agree', 'agree-btn')
    await expect(p).resolves.toMatchObject({ errMsg: 'getLocation:ok' })
  })

  it('no offNeedPrivacyAuthorization on this base library: with no popup the call fails, never hangs', async () => {
    const { fake, auth } = setup({
      before: (f) => {
        f.control.setPrivacy({ needAuthorization: true })
        f.control.setPrivacyOffSupported(false)
      },
    })
    auth.holdPrivacyPopup()()
    expect(fake.control.hasPrivacyListener).toBe(true) // could not be released
    const p = fake.wx.requirePrivacyAuthorize({})!
    await expect(p).rejects.toMatchObject({ errno: 104 })
    expect(auth.store.privacy).toBeNull()
  })
})

describe('privacy: the kit’s popup', () => {
  it('agree (from the agree button tap, with its id): the pending call proceeds', async () => {
    const { fake, auth } = withPopup()
    fake.control.setScope('scope.userLocation', true)
    const p = fake.wx.getLocation({})!
    await flushMicrotasks()
    expect(auth.store.privacy).not.toBeNull()
    fake.control.tapAgreePrivacy('agree-btn') // <button id="agree-btn" open-type="agreePrivacyAuthorization">
    auth.resolvePrivacy('agree', 'agree-btn')
    await expect(p).resolves.toMatchObject({ errMsg: 'getLocation:ok' })
    expect(auth.store.privacy).toBeNull()
    expect(fake.control.needPrivacyAuthorization).toBe(false)
    expect(fake.control.privacyResolves).toEqual([
      { referrer: 'getLocation', event: 'agree', buttonId: 'agree-btn', honoured: true },
    ])
  })

  it('agree without the button id is refused by the kit: the request stays pending', async () => {
    const { fake, auth } = withPopup()
    const p = fake.wx.getLocation({})!
    await flushMicrotasks()
    auth.resolvePrivacy('agree')
    expect(auth.store.privacy).not.toBeNull()
    expect(auth.store.lastError?.code).toBe('invalid_input')
    expect(await pending(p)).toBe(true)
    expect(fake.control.privacyResolves).toHaveLength(0)
    auth.resolvePrivacy('disagree')
    await expect(p).rejects.toMatchObject({ errno: 104 })
  })

  it('agree with an id but no tap on that button is not honoured by the platform', async () => {
    const { fake, auth } = withPopup()
    const p = fake.wx.getLocation({})!
    await flushMicrotasks()
    auth.resolvePrivacy('agree', 'agree-btn')
    expect(await pending(p)).toBe(true)
    expect(fake.control.privacyResolves).toEqual([expect.objectContaining({ honoured: false })])
    expect(fake.control.needPrivacyAuthorization).toBe(true)
  })

  it('disagree: the gated call fails with errno 104; the kit maps it to privacy_denied', async () => {
    const { fake, auth } = withPopup()
    const p = fake.wx.getLocation({})!
    await flushMicrotasks()
    auth.resolvePrivacy('disagree')
    await expect(p).rejects.toEqual({
      errMsg: 'getLocation:fail privacy permission is not authorized',
      errno: 104,
    })
    expect(auth.store.privacy).toBeNull()
    expect(auth.store.lastError?.code).toBe('privacy_denied')
  })

  it('disagree during getUserProfile -> privacy_denied, not a profile refusal', async () => {
    const { fake, auth, tap, opened } = withPopup()
    fake.control.setProfileSource(realProfile)
    await auth.prepareProfile()
    const p = tap(() => auth.getUserProfile({ desc: '用于完善会员资料' }))
    await flushMicrotasks()
    expect(auth.store.privacy).toEqual({ referrer: 'getUserProfile', contractName: CONTRACT })
    auth.resolvePrivacy('disagree')
    const e = await rejection(p)
    expect(e.code).toBe('privacy_denied')
    expect(auth.store.profilePrompt).toBeNull()
    expect(opened('profile')).toHaveLength(0)
  })

  it('disagree on the phone button -> privacy_denied', async () => {
    const { fake, auth } = withPopup()
    const t = fake.control.tapPhoneButton()
    await flushMicrotasks()
    expect(auth.store.privacy?.referrer).toBe('button.getPhoneNumber')
    auth.resolvePrivacy('disagree')
    const detail = await t
    expect(detail).toMatchObject({ errno: 104 })
    expect((await rejection(auth.bindPhone(detail))).code).toBe('privacy_denied')
  })

  it('openPrivacyContract opens the contract page', async () => {
    const { fake, auth } = setup()
    await auth.openPrivacyContract()
    expect(fake.control.privacyContractOpened).toBe(1)
  })
})

describe('privacy: errno 112, an API not declared in the privacy guide', () => {
  const undeclared = (apis: string[]) => ({
    before: (f: ReturnType<typeof setup>['fake']) => {
      f.control.setPrivacy({ needAuthorization: true })
      f.control.setUndeclaredPrivacyApis(apis)
    },
  })

  it('ensureScope -> privacy_undeclared: no popup, no scope recorded as refused', async () => {
    const { fake, auth, opened } = setup()
    auth.holdPrivacyPopup()
    // wx.authorize of a privacy scope, declared nowhere in the guide (the fake's authorize is not
    // gated, so this one failure is scripted with the platform's exact shape)
    ;(fake.wx as { authorize: unknown }).authorize = wxAsync('authorize', async () => {
      throw new WxFail('authorize', 'api scope is not declared in the privacy agreement', 112)
    })
    const e = await rejection(auth.ensureScope('scope.userLocation', { reason: '选择地址' }))
    expect(e.code).toBe('privacy_undeclared')
    expect(auth.store.lastError?.code).toBe('privacy_undeclared')
    expect(auth.store.privacy).toBeNull()
    expect(auth.store.scopes['scope.userLocation']).toBeUndefined()
    expect(auth.store.reprompt).toBeNull()
    expect(opened('privacy')).toHaveLength(0)
  })

  it('getUserProfile -> privacy_undeclared, not remembered as the user’s refusal', async () => {
    const { auth, tap } = setup(undeclared(['getUserProfile']))
    await auth.prepareProfile()
    const e = await rejection(tap(() => auth.getUserProfile({ desc: '用于完善会员资料' })))
    expect(e.code).toBe('privacy_undeclared')
    expect(auth.store.profilePrompt).toBeNull()
  })

  it('the phone button -> privacy_undeclared', async () => {
    const { fake, auth } = setup(undeclared(['getPhoneNumber']))
    const detail = await fake.control.tapPhoneButton()
    expect(detail).toMatchObject({ errno: 112 })
    expect((await rejection(auth.bindPhone(detail))).code).toBe('privacy_undeclared')
  })

  it('errno decides before the text; the text decides only when errno is absent', async () => {
    const { auth } = setup()
    const bind = async (d: { errMsg: string; errno?: number }) =>
      (await rejection(auth.bindPhone(d))).code
    const notDeclared = 'getPhoneNumber:fail api scope is not declared in the privacy agreement'
    const notAgreed = 'getPhoneNumber:fail privacy permission is not authorized'
    expect(await bind({ errMsg: notDeclared, errno: 112 })).toBe('privacy_undeclared')
    expect(await bind({ errMsg: notDeclared })).toBe('privacy_undeclared')
    expect(await bind({ errMsg: notAgreed })).toBe('privacy_denied')
    // a localized or reworded text: errno wins
    expect(await bind({ errMsg: 'getPhoneNumber:fail 隐私协议未声明', errno: 112 })).toBe(
      'privacy_undeclared',
    )
    expect(await bind({ errMsg: notDeclared, errno: 104 })).toBe('privacy_denied')
  })
})
