// The three components against the REAL kit (createAuth) over the harness's fake wx: the store the
// kit fills drives the components, and their taps reach the platform through the kit (settings
// page, privacy resolve with the button id, avatar upload and PUT /me). Unit-level cases are in
// the per-component suites (a recorded test double there).
import { installFakeWx } from '../../harness/wx'
import { createAuth } from 'wx-login-kit'
import { BASE, FakeServer } from '../../support/fake-server'
import { loadComponent, loadFormHost, mount, text, until } from '../helpers/simulate'

const server = new FakeServer()
const fake = installFakeWx({ requestHandler: server.handle })
fake.control.setUploadHandler(server.upload)
/** The bodies of PUT /me, in order. */
const profileUpdates = () => server.calls('PUT /me').map((c) => c.data)
const auth = createAuth({ baseUrl: BASE })
const dialogs = fake.control.dialogs

let sheetId: string
let popupId: string
let formHost: ReturnType<typeof loadFormHost>

// Each component once per file.
beforeAll(() => {
  sheetId = loadComponent('auth-sheet')
  popupId = loadComponent('privacy-popup')
  formHost = loadFormHost(loadComponent('profile-form'))
})

/** Kit, fake wx and bindings settle over several turns: waits up to 2 s for `cond`. */
const settled = (cond: () => boolean, what: string) => until(cond, 2000, what)

describe('auth-sheet with the kit', () => {
  const REASON = '用于选择外卖配送地址'

  test('refused scope -> sheet; 去设置, granted there -> ensureScope true and the sheet closes', async () => {
    fake.control.setScope('scope.userLocation', false)
    const sheet = mount(sheetId)
    const granted = auth.ensureScope('scope.userLocation', { reason: REASON })
    await settled(() => !!sheet.querySelector('.auth-sheet'), 'the sheet')
    expect(text(sheet, '.auth-sheet__title')).toBe('需要你的位置信息权限')
    expect(text(sheet, '.auth-sheet__reason')).toBe(REASON)

    // The tap on <button open-type="openSetting">: the platform opens its settings page, the user
    // turns the scope on and comes back; bindopensetting carries the new authSetting.
    const back = fake.control.tapOpenSettingButton()
    await settled(() => dialogs.pending().some((d) => d.kind === 'settings'), 'the settings page')
    fake.control.setScope('scope.userLocation', true)
    dialogs.answer('confirm', ['settings'])
    sheet.querySelector('#open-setting-btn')!.dispatchEvent('opensetting', { detail: await back })

    await expect(granted).resolves.toBe(true)
    await settled(() => !sheet.querySelector('.auth-sheet'), 'the sheet to close')
    expect(auth.store.reprompt).toBeNull()
    expect(auth.store.scopes['scope.userLocation']).toBe('granted')
    sheet.detach()
  })

  test('暂不 -> ensureScope false, the sheet closes', async () => {
    fake.control.setScope('scope.camera', false)
    const sheet = mount(sheetId)
    const granted = auth.ensureScope('scope.camera', { reason: '扫码点餐需要使用摄像头' })
    await settled(() => !!sheet.querySelector('.auth-sheet'), 'the sheet')
    expect(text(sheet, '.auth-sheet__title')).toBe('需要你的摄像头权限')
    sheet.querySelector('#dismiss-btn')!.dispatchEvent('tap')
    await expect(granted).resolves.toBe(false)
    await settled(() => !sheet.querySelector('.auth-sheet'), 'the sheet to close')
    sheet.detach()
  })
})

describe('privacy-popup with the kit', () => {
  beforeEach(() => {
    fake.control.setPrivacy({ needAuthorization: true })
  })

  test('a gated call -> popup with the contract name; agree (button tap) -> the call proceeds', async () => {
    const popup = mount(popupId)
    const gated = fake.wx.requirePrivacyAuthorize({})!
    await settled(() => !!popup.querySelector('.privacy-popup'), 'the popup')
    expect(text(popup, '#privacy-contract-link')).toBe('《点餐小程序隐私保护指引》')

    popup.querySelector('#privacy-contract-link')!.dispatchEvent('tap')
    await settled(() => fake.control.privacyContractOpened === 1, 'the contract page')

    // The user taps the agree button: the platform records it and fires the event.
    fake.control.tapAgreePrivacy('agree-privacy-btn')
    popup.querySelector('#agree-privacy-btn')!.dispatchEvent('agreeprivacyauthorization', {
      detail: { errMsg: 'agreePrivacyAuthorization:ok' },
    })
    await expect(gated).resolves.toMatchObject({ errMsg: 'requirePrivacyAuthorize:ok' })
    expect(fake.control.privacyResolves.at(-1)).toEqual({
      referrer: 'requirePrivacyAuthorize',
      event: 'agree',
      buttonId: 'agree-privacy-btn',
      honoured: true,
    })
    await settled(() => !popup.querySelector('.privacy-popup'), 'the popup to close')
    popup.detach()
  })

  test('拒绝 -> the gated call fails with errno 104, the popup closes', async () => {
    const popup = mount(popupId)
    const gated = fake.wx.requirePrivacyAuthorize({})!
    await settled(() => !!popup.querySelector('.privacy-popup'), 'the popup')
    popup.querySelector('#disagree-privacy-btn')!.dispatchEvent('tap')
    await expect(gated).rejects.toMatchObject({ errno: 104 })
    await settled(() => !popup.querySelector('.privacy-popup'), 'the popup to close')
    expect(auth.store.lastError?.code).toBe('privacy_denied')
    popup.detach()
  })
})

describe('profile-form with the kit', () => {
  beforeEach(() => {
    fake.control.setPrivacy({ needAuthorization: false })
  })

  const mountForm = () => formHost.mount()

  test('chosen avatar + nickname -> uploaded, PUT /me, saved; the store user shows in the form', async () => {
    const { host, form } = mountForm()
    const chosen = fake.control.chooseAvatar()
    await settled(() => dialogs.pending().some((d) => d.kind === 'avatar'), 'the avatar picker')
    dialogs.answer('confirm', ['avatar'])
    const { avatarUrl } = (await chosen)!
    form.querySelector('#avatar-btn')!.dispatchEvent('chooseavatar', { detail: { avatarUrl } })
    form.querySelector('#profile-form-el')!.dispatchEvent('submit', {
      detail: { value: { nickname: ' 小满 ' } },
    })
    await settled(() => formHost.saved.length === 1, 'the saved event')

    expect(server.uploads.map((u) => u.filePath)).toEqual([avatarUrl])
    expect(profileUpdates()).toEqual([{ nickname: '小满', avatarUrl: `${BASE}/avatars/a1` }])
    expect(formHost.saved[0]).toMatchObject({
      nickname: '小满',
      avatarUrl: `${BASE}/avatars/a1`,
    })
    expect(auth.store.user).toEqual(formHost.saved[0])
    expect(form.instance.data.nickname).toBe('小满')
    expect(text(form, '#save-btn')).toBe('保存')
    host.detach()
  })

  test('upload failing after the retries -> 头像上传失败，请重试', async () => {
    const { host, form } = mountForm()
    const avatarUrl = fake.control.addTempFile()
    fake.control.failUploads(3)
    form.querySelector('#avatar-btn')!.dispatchEvent('chooseavatar', { detail: { avatarUrl } })
    form.querySelector('#profile-form-el')!.dispatchEvent('submit', {
      detail: { value: { nickname: '小满' } },
    })
    await settled(() => !!form.querySelector('.profile-form__submit-error'), 'the error')
    expect(text(form, '.profile-form__submit-error')).toBe('头像上传失败，请重试')
    expect(formHost.saved).toEqual([])
    host.detach()
  })

  test('PUT /me failing on the network -> 网络不可用，请稍后重试', async () => {
    const { host, form } = mountForm()
    // PUT is idempotent: the kit retries twice (0.5 s, then 1 s of real backoff) before failing
    server.fail('PUT /me', { kind: 'network' }, 3)
    form.querySelector('#profile-form-el')!.dispatchEvent('submit', {
      detail: { value: { nickname: '阿满' } },
    })
    await until(() => !!form.querySelector('.profile-form__submit-error'), 6000, 'the error')
    expect(
      profileUpdates().filter((d) => (d as { nickname?: string }).nickname === '阿满'),
    ).toHaveLength(3)
    expect(text(form, '.profile-form__submit-error')).toBe('网络不可用，请稍后重试')
    expect(form.instance.data.saving).toBe(false)
    host.detach()
  })
})
