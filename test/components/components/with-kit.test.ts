// The three components against the REAL kit (createAuth) over the harness's fake wx: the store the
// kit fills drives the components, and their taps reach the platform through the kit (settings
// page, privacy resolve with the button id, avatar upload and PATCH /me). Unit-level cases are in
// the per-component suites (a recorded test double there).
import {
  installFakeWx,
  headerOf,
  type FakeRequest,
  type FakeResponse,
} from '../../../packages/headless/wx'
import { WxFail } from '../../../packages/headless/wx/api'
import type { FakeUpload, FakeUploadResponse } from '../../../packages/headless/wx/upload'
import { createAuth, type User } from '../../../miniprogram/auth'
import { loadComponent, loadFormHost, mount, text, until } from '../helpers/simulate'

const BASE = 'https://api.test'

/** A minimal server for the routes the components lead to: login, PATCH /me, the avatar upload. */
function createServer() {
  let user: User = { id: 'u1', nickname: null, avatarUrl: null, phone: null }
  const s = {
    patches: [] as unknown[],
    uploads: [] as string[],
    failPatch: false,
    handle(req: FakeRequest): FakeResponse {
      const route = req.url.replace(BASE, '').split('?')[0]
      if (route === '/auth/login') {
        return { statusCode: 200, data: { token: 'tok-1', expiresIn: 7200, user } }
      }
      const header: Record<string, string> = {}
      if (headerOf(req.header, 'x-wx-code')) {
        header['X-Session-Token'] = 'tok-1'
        header['X-Session-Expires-In'] = '7200'
      }
      if (route === '/me' && req.method === 'PATCH') {
        if (s.failPatch) throw new WxFail('request', 'network error')
        s.patches.push(req.data)
        const d = (req.data ?? {}) as { nickname?: string; avatarUrl?: string }
        user = { ...user, nickname: d.nickname ?? user.nickname, avatarUrl: d.avatarUrl ?? null }
      }
      return { statusCode: 200, header, data: user }
    },
    upload(u: FakeUpload): FakeUploadResponse {
      s.uploads.push(u.filePath)
      return { statusCode: 200, data: { url: `${BASE}/avatars/a${s.uploads.length}.jpg` } }
    },
  }
  return s
}

const server = createServer()
const fake = installFakeWx({ requestHandler: (r) => server.handle(r) })
fake.control.setUploadHandler((u) => server.upload(u))
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
    server.failPatch = false
  })

  const mountForm = () => formHost.mount()

  test('chosen avatar + nickname -> uploaded, PATCH /me, saved; the store user shows in the form', async () => {
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

    expect(server.uploads).toEqual([avatarUrl])
    expect(server.patches).toEqual([{ nickname: '小满', avatarUrl: `${BASE}/avatars/a1.jpg` }])
    expect(formHost.saved[0]).toMatchObject({
      nickname: '小满',
      avatarUrl: `${BASE}/avatars/a1.jpg`,
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

  test('PATCH /me failing on the network -> 网络不可用，请稍后重试', async () => {
    const { host, form } = mountForm()
    server.failPatch = true
    form.querySelector('#profile-form-el')!.dispatchEvent('submit', {
      detail: { value: { nickname: '阿满' } },
    })
    await settled(() => !!form.querySelector('.profile-form__submit-error'), 'the error')
    expect(text(form, '.profile-form__submit-error')).toBe('网络不可用，请稍后重试')
    expect(form.instance.data.saving).toBe(false)
    host.detach()
  })
})
