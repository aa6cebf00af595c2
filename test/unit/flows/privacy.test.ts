import { flushMicrotasks } from '../../../packages/headless/wx/clock'
import { pending, rejection, realProfile, setup } from './setup'

const CONTRACT = '《点餐小程序隐私保护指引》'
const needPrivacy = {
  before: (f: ReturnType<typeof setup>['fake']) =>
    f.control.setPrivacy({ needAuthorization: true }),
}

describe('privacy', () => {
  it('registers onNeedPrivacyAuthorization and reads getPrivacySetting at creation', async () => {
    const { fake, auth } = setup(needPrivacy)
    expect(fake.control.hasPrivacyListener).toBe(true)
    const p = fake.wx.getLocation({})!
    await flushMicrotasks()
    expect(auth.store.privacy).toEqual({ referrer: 'getLocation', contractName: CONTRACT })
    void p.catch(() => undefined)
  })

  it('agree (from the agree button tap, with its id): the pending call proceeds', async () => {
    const { fake, auth } = setup(needPrivacy)
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
    const { fake, auth } = setup(needPrivacy)
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
    const { fake, auth } = setup(needPrivacy)
    const p = fake.wx.getLocation({})!
    await flushMicrotasks()
    auth.resolvePrivacy('agree', 'agree-btn')
    expect(await pending(p)).toBe(true)
    expect(fake.control.privacyResolves).toEqual([expect.objectContaining({ honoured: false })])
    expect(fake.control.needPrivacyAuthorization).toBe(true)
  })

  it('disagree: the gated call fails with errno 104; the kit maps it to privacy_denied', async () => {
    const { fake, auth } = setup(needPrivacy)
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
    const { fake, auth, tap, opened } = setup(needPrivacy)
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
    const { fake, auth } = setup(needPrivacy)
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
