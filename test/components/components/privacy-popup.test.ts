// privacy-popup on miniprogram-simulate, bound to a test double of the kit's surface that owns the
// kit's own observable store (helpers/fake-auth).
import { createFakeAuth } from '../helpers/fake-auth'
import { flush, loadComponent, mount as mountId, text } from '../helpers/simulate'
import type { PrivacyRequest } from 'wx-login-kit/types'

const mockAuth = createFakeAuth()
// The components reach the kit through getAuth(): it returns the double.
jest.mock('wx-login-kit/current', () => ({ getAuth: () => mockAuth }))

let id: string

const setPrivacy = (p: PrivacyRequest | null): void => mockAuth.store.setPrivacy(p)

const mount = () => mountId(id)

const PENDING: PrivacyRequest = { referrer: 'getUserProfile', contractName: '小满食堂隐私保护指引' }

beforeAll(() => {
  id = loadComponent('privacy-popup')
})

beforeEach(() => {
  setPrivacy(null)
  mockAuth.resolvePrivacy.mockClear()
  mockAuth.openPrivacyContract.mockClear()
  mockAuth.holdPrivacyPopup.mockClear()
})

/** The page the popup sits on shows or hides (simulate runs pageLifetimes only when asked). */
const pageLifetime = (comp: ReturnType<typeof mount>, name: 'show' | 'hide'): void =>
  (comp as unknown as { triggerPageLifeTime(n: string): void }).triggerPageLifeTime(name)

/** The release functions the kit handed out, in order. */
const releases = () => mockAuth.holdPrivacyPopup.mock.results.map((r) => r.value as jest.Mock)

describe('privacy-popup takes over the privacy prompt only while on screen', () => {
  test('attached: holds the take-over once, even when its page then shows', async () => {
    const comp = mount()
    await flush()
    pageLifetime(comp, 'show')
    expect(mockAuth.holdPrivacyPopup).toHaveBeenCalledTimes(1)
    expect(releases()[0]).not.toHaveBeenCalled()
    comp.detach()
  })

  test('detached: releases it, so WeChat’s own popup serves pages without one', async () => {
    const comp = mount()
    await flush()
    comp.detach()
    expect(releases()[0]).toHaveBeenCalledTimes(1)
  })

  test('its page hidden (another page on top): releases; shown again: holds again', async () => {
    const comp = mount()
    await flush()
    pageLifetime(comp, 'hide')
    expect(releases()[0]).toHaveBeenCalledTimes(1)
    pageLifetime(comp, 'hide')
    expect(releases()[0]).toHaveBeenCalledTimes(1)
    pageLifetime(comp, 'show')
    expect(mockAuth.holdPrivacyPopup).toHaveBeenCalledTimes(2)
    comp.detach()
    expect(releases()[1]).toHaveBeenCalledTimes(1)
  })
})

describe('privacy-popup', () => {
  test('hidden while store.privacy is null', async () => {
    const comp = mount()
    await flush()
    expect(comp.querySelector('.privacy-popup')).toBeUndefined()
    expect(comp.querySelector('#agree-privacy-btn')).toBeUndefined()
    comp.detach()
  })

  test('shows the title, the contract name and both choices', async () => {
    setPrivacy(PENDING)
    const comp = mount()
    await flush()
    expect(text(comp, '.privacy-popup__title')).toBe('用户隐私保护提示')
    expect(text(comp, '#privacy-contract-link')).toBe('《小满食堂隐私保护指引》')
    expect(text(comp, '.privacy-popup__body')).toContain('请仔细阅读《小满食堂隐私保护指引》')
    expect(text(comp, '#agree-privacy-btn')).toBe('同意并继续')
    expect(text(comp, '#disagree-privacy-btn')).toBe('拒绝')
    comp.detach()
  })

  test('falls back to a default contract name when the platform gives none', async () => {
    setPrivacy({ referrer: 'button.getPhoneNumber', contractName: '' })
    const comp = mount()
    await flush()
    expect(text(comp, '#privacy-contract-link')).toBe('《用户隐私保护指引》')
    comp.detach()
  })

  test('a contract name that already carries 《》 is not wrapped twice', async () => {
    setPrivacy({ referrer: 'getLocation', contractName: '《点餐小程序隐私保护指引》' })
    const comp = mount()
    await flush()
    expect(text(comp, '#privacy-contract-link')).toBe('《点餐小程序隐私保护指引》')
    comp.detach()
  })

  test('follows the store: appears, changes and disappears', async () => {
    const comp = mount()
    await flush()
    expect(comp.querySelector('.privacy-popup')).toBeUndefined()

    setPrivacy(PENDING)
    await flush()
    expect(text(comp, '#privacy-contract-link')).toBe('《小满食堂隐私保护指引》')

    setPrivacy({ referrer: 'chooseAvatar', contractName: '新版隐私指引' })
    await flush()
    expect(text(comp, '#privacy-contract-link')).toBe('《新版隐私指引》')

    setPrivacy(null)
    await flush()
    expect(comp.querySelector('.privacy-popup')).toBeUndefined()
    comp.detach()
  })

  test('agreeprivacyauthorization resolves agree with the button id', async () => {
    setPrivacy(PENDING)
    const comp = mount()
    await flush()
    comp.querySelector('#agree-privacy-btn')!.dispatchEvent('agreeprivacyauthorization', {
      detail: { errMsg: 'agreePrivacyAuthorization:ok' },
    })
    await flush()
    expect(mockAuth.resolvePrivacy).toHaveBeenCalledTimes(1)
    expect(mockAuth.resolvePrivacy).toHaveBeenCalledWith('agree', 'agree-privacy-btn')
    expect(comp.querySelector('.privacy-popup')).toBeUndefined()
    comp.detach()
  })

  test('a plain tap on the agree button does not agree (only the platform event does)', async () => {
    setPrivacy(PENDING)
    const comp = mount()
    await flush()
    comp.querySelector('#agree-privacy-btn')!.dispatchEvent('tap')
    await flush()
    expect(mockAuth.resolvePrivacy).not.toHaveBeenCalled()
    expect(comp.querySelector('.privacy-popup')).toBeDefined()
    comp.detach()
  })

  test('拒绝 resolves disagree without a button id', async () => {
    setPrivacy(PENDING)
    const comp = mount()
    await flush()
    comp.querySelector('#disagree-privacy-btn')!.dispatchEvent('tap')
    await flush()
    expect(mockAuth.resolvePrivacy).toHaveBeenCalledTimes(1)
    expect(mockAuth.resolvePrivacy.mock.calls[0]).toEqual(['disagree'])
    expect(comp.querySelector('.privacy-popup')).toBeUndefined()
    comp.detach()
  })

  test('the contract name opens the contract and keeps the popup open', async () => {
    setPrivacy(PENDING)
    const comp = mount()
    await flush()
    comp.querySelector('#privacy-contract-link')!.dispatchEvent('tap')
    await flush()
    expect(mockAuth.openPrivacyContract).toHaveBeenCalledTimes(1)
    expect(mockAuth.resolvePrivacy).not.toHaveBeenCalled()
    expect(text(comp, '.privacy-popup__title')).toBe('用户隐私保护提示')
    comp.detach()
  })
})
