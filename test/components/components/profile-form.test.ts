// profile-form on miniprogram-simulate, bound to a test double of the kit's surface that owns the
// kit's own observable store (helpers/fake-auth).
import { createFakeAuth } from '../helpers/fake-auth'
import { flush, loadComponent, loadFormHost, text } from '../helpers/simulate'
import type { User } from 'wx-login-kit/types'

const mockAuth = createFakeAuth()
// The components reach the kit through getAuth(): it returns the double.
jest.mock('wx-login-kit/current', () => ({ getAuth: () => mockAuth }))

let host: ReturnType<typeof loadFormHost>

const ANN: User = {
  id: 'u1',
  nickname: '阿满',
  avatarUrl: 'https://cdn.example.com/a/u1.png',
  phone: null,
}

const setUser = (user: User | null): void => mockAuth.store.setUser(user)

/** saveProfile answers like the kit: the user is updated in the store, then returned. */
function answerWith(patch: Partial<User>): void {
  mockAuth.saveProfile.mockImplementation(async () => {
    const user: User = { ...(mockAuth.store.user ?? ANN), ...patch }
    setUser(user)
    return user
  })
}

/** saveProfile rejects with an AuthKitError-shaped error of this code. */
function failWith(code: string): void {
  mockAuth.saveProfile.mockRejectedValue(
    Object.assign(new Error(code), { name: 'AuthKitError', code }),
  )
}

/** saveProfile stays pending until the returned function settles it. */
function hold(): (user: User) => void {
  let settle: (user: User) => void = () => undefined
  mockAuth.saveProfile.mockImplementation(
    () =>
      new Promise<User>((resolve) => {
        settle = resolve
      }),
  )
  return (user) => settle(user)
}

/** A fresh form inside its host; `saved` records the host's `saved` events. */
function mount() {
  const { form: comp, detach } = host.mount()
  return { comp, saved: host.saved, detach }
}

type Mounted = ReturnType<typeof mount>['comp']

function submit(comp: Mounted, nickname?: string): void {
  comp.querySelector('#profile-form-el')!.dispatchEvent('submit', {
    detail: { value: nickname === undefined ? {} : { nickname }, target: {} },
  })
}

function chooseAvatar(comp: Mounted, avatarUrl: string): void {
  comp.querySelector('#avatar-btn')!.dispatchEvent('chooseavatar', { detail: { avatarUrl } })
}

function typeNickname(comp: Mounted, value: string): void {
  comp
    .querySelector('#nickname-input')!
    .dispatchEvent('input', { detail: { value, cursor: value.length } })
}

function blur(comp: Mounted, value: string): void {
  comp.querySelector('#nickname-input')!.dispatchEvent('blur', { detail: { value } })
}

function review(comp: Mounted, pass: boolean, timeout = false): void {
  comp
    .querySelector('#nickname-input')!
    .dispatchEvent('nicknamereview', { detail: { pass, timeout } })
}

beforeAll(() => {
  host = loadFormHost(loadComponent('profile-form'))
})

beforeEach(() => {
  setUser(ANN)
  mockAuth.store.setProfilePrompt(null)
  mockAuth.saveProfile.mockReset()
})

describe('profile-form: rendered from the store', () => {
  test('starts from store.user: nickname and avatar', async () => {
    const { comp, detach } = mount()
    await flush()
    expect(comp.instance.data.nickname).toBe('阿满')
    expect(comp.querySelector('#avatar-image')).toBeDefined()
    expect(comp.querySelector('.profile-form__avatar--empty')).toBeUndefined()
    expect(text(comp, '.profile-form__avatar-hint')).toBe('点击更换头像')
    expect(text(comp, '#save-btn')).toBe('保存')
    expect(comp.querySelector('.profile-form__error')).toBeUndefined()
    detach()
  })

  test('no user yet: empty nickname and the avatar placeholder; filled in when the user arrives', async () => {
    setUser(null)
    const { comp, detach } = mount()
    await flush()
    expect(comp.instance.data.nickname).toBe('')
    expect(comp.querySelector('#avatar-image')).toBeUndefined()
    expect(text(comp, '.profile-form__avatar--empty')).toBe('头像')

    setUser(ANN)
    await flush()
    expect(comp.instance.data.nickname).toBe('阿满')
    expect(comp.querySelector('#avatar-image')).toBeDefined()
    detach()
  })

  test('a store update does not overwrite what the user is typing', async () => {
    const { comp, detach } = mount()
    await flush()
    typeNickname(comp, '小满')
    await flush()
    setUser({ ...ANN, nickname: '别的名字' })
    await flush()
    expect(comp.instance.data.nickname).toBe('小满')
    detach()
  })

  test('an anonymous profile answer shows the fill-in tip', async () => {
    const { comp, detach } = mount()
    await flush()
    expect(comp.querySelector('.profile-form__tip')).toBeUndefined()
    mockAuth.store.setProfilePrompt('anonymous')
    await flush()
    expect(text(comp, '.profile-form__tip')).toBe('微信不再提供头像和昵称，请设置你的头像和昵称')
    detach()
  })
})

describe('profile-form: events and the kit', () => {
  test('chooseavatar shows the temp avatar; submit saves nickname and avatarPath', async () => {
    answerWith({ nickname: '小满', avatarUrl: 'https://cdn.example.com/a/u1-2.png' })
    const { comp, saved, detach } = mount()
    await flush()
    chooseAvatar(comp, 'wxfile://tmp_avatar.png')
    await flush()
    expect(comp.instance.data.avatarPath).toBe('wxfile://tmp_avatar.png')
    expect(text(comp, '.profile-form__avatar-hint')).toBe('已选择新头像，保存后生效')

    submit(comp, '  小满  ')
    await flush()
    expect(mockAuth.saveProfile).toHaveBeenCalledTimes(1)
    expect(mockAuth.saveProfile).toHaveBeenCalledWith({
      nickname: '小满',
      avatarPath: 'wxfile://tmp_avatar.png',
    })
    expect(saved).toEqual([
      { ...ANN, nickname: '小满', avatarUrl: 'https://cdn.example.com/a/u1-2.png' },
    ])
    // The temp path is done with: the avatar now comes from the saved user.
    expect(comp.instance.data.avatarPath).toBe('')
    expect(comp.instance.data.nickname).toBe('小满')
    expect(text(comp, '#save-btn')).toBe('保存')
    detach()
  })

  test('without a new avatar only the nickname is sent', async () => {
    answerWith({ nickname: '新名字' })
    const { comp, saved, detach } = mount()
    await flush()
    submit(comp, '新名字')
    await flush()
    expect(mockAuth.saveProfile.mock.calls).toEqual([[{ nickname: '新名字' }]])
    expect(saved).toHaveLength(1)
    detach()
  })

  test('typed input is used when the submit carries no value', async () => {
    answerWith({ nickname: '打字输入' })
    const { comp, detach } = mount()
    await flush()
    typeNickname(comp, '打字输入')
    await flush()
    submit(comp)
    await flush()
    expect(mockAuth.saveProfile).toHaveBeenCalledWith({ nickname: '打字输入' })
    detach()
  })

  test('an empty chooseavatar answer changes nothing', async () => {
    const { comp, detach } = mount()
    await flush()
    chooseAvatar(comp, '')
    await flush()
    expect(comp.instance.data.avatarPath).toBe('')
    detach()
  })
})

describe('profile-form: validation', () => {
  test('nickname required (blank after trim)', async () => {
    const { comp, saved, detach } = mount()
    await flush()
    submit(comp, '   ')
    await flush()
    expect(text(comp, '.profile-form__nickname-error')).toBe('请输入昵称')
    expect(mockAuth.saveProfile).not.toHaveBeenCalled()
    expect(saved).toEqual([])

    // Typing clears the message.
    typeNickname(comp, '阿')
    await flush()
    expect(comp.querySelector('.profile-form__nickname-error')).toBeUndefined()
    detach()
  })

  test('at most 32 characters after trim (an emoji counts once)', async () => {
    answerWith({})
    const { comp, detach } = mount()
    await flush()
    submit(comp, '好'.repeat(33))
    await flush()
    expect(text(comp, '.profile-form__nickname-error')).toBe('昵称不能超过 32 个字符')
    expect(mockAuth.saveProfile).not.toHaveBeenCalled()

    const ok = '😀'.repeat(32)
    submit(comp, `  ${ok}  `)
    await flush()
    expect(comp.querySelector('.profile-form__nickname-error')).toBeUndefined()
    expect(mockAuth.saveProfile).toHaveBeenCalledWith({ nickname: ok })
    detach()
  })

  test('nicknamereview fail clears the nickname, shows the message, and blocks saving', async () => {
    const { comp, detach } = mount()
    await flush()
    typeNickname(comp, '违规昵称')
    await flush()
    review(comp, false)
    await flush()
    expect(comp.instance.data.nickname).toBe('')
    expect(text(comp, '.profile-form__nickname-error')).toBe('昵称未通过审核，请重新输入')

    // Even if the form still reports the old value, it is not sent.
    submit(comp, '违规昵称')
    await flush()
    expect(mockAuth.saveProfile).not.toHaveBeenCalled()
    expect(text(comp, '.profile-form__nickname-error')).toBe('昵称未通过审核，请重新输入')

    // A new nickname is accepted again.
    answerWith({ nickname: '合规昵称' })
    typeNickname(comp, '合规昵称')
    await flush()
    review(comp, true)
    await flush()
    expect(comp.querySelector('.profile-form__nickname-error')).toBeUndefined()
    submit(comp, '合规昵称')
    await flush()
    expect(mockAuth.saveProfile).toHaveBeenCalledWith({ nickname: '合规昵称' })
    detach()
  })

  test('after a rejection, a suggestion picked without typing is accepted once its review passes', async () => {
    answerWith({ nickname: '微信昵称' })
    const { comp, detach } = mount()
    await flush()
    review(comp, false)
    await flush()
    expect(text(comp, '.profile-form__nickname-error')).toBe('昵称未通过审核，请重新输入')

    // The WeChat nickname chosen above the keyboard: no input event, a blur, then the review.
    blur(comp, '微信昵称')
    await flush()
    expect(text(comp, '.profile-form__nickname-error')).toBe('昵称未通过审核，请重新输入')
    review(comp, true)
    await flush()
    expect(comp.querySelector('.profile-form__nickname-error')).toBeUndefined()
    submit(comp, '微信昵称')
    await flush()
    expect(mockAuth.saveProfile).toHaveBeenCalledWith({ nickname: '微信昵称' })
    detach()
  })

  test('a blur with a new value clears the required message', async () => {
    setUser(null)
    const { comp, detach } = mount()
    await flush()
    submit(comp, '')
    await flush()
    expect(text(comp, '.profile-form__nickname-error')).toBe('请输入昵称')
    blur(comp, '小满')
    await flush()
    expect(comp.querySelector('.profile-form__nickname-error')).toBeUndefined()
    expect(comp.instance.data.nickname).toBe('小满')
    detach()
  })

  test('nicknamereview pass leaves the nickname alone', async () => {
    const { comp, detach } = mount()
    await flush()
    typeNickname(comp, '小满')
    review(comp, true)
    await flush()
    expect(comp.instance.data.nickname).toBe('小满')
    expect(comp.querySelector('.profile-form__nickname-error')).toBeUndefined()
    detach()
  })
})

describe('profile-form: saving state and errors', () => {
  test('while saving: 保存中…, controls disabled, a second submit ignored', async () => {
    const settle = hold()
    const { comp, saved, detach } = mount()
    await flush()
    submit(comp, '小满')
    await flush()
    expect(text(comp, '#save-btn')).toBe('保存中…')
    expect(comp.instance.data.saving).toBe(true) // bound to the button's disabled/loading

    submit(comp, '小满')
    await flush()
    expect(mockAuth.saveProfile).toHaveBeenCalledTimes(1)

    settle({ ...ANN, nickname: '小满' })
    await flush()
    expect(text(comp, '#save-btn')).toBe('保存')
    expect(comp.instance.data.saving).toBe(false)
    expect(saved).toEqual([{ ...ANN, nickname: '小满' }])
    detach()
  })

  test.each([
    ['upload_failed', '头像上传失败，请重试'],
    ['network', '网络不可用，请稍后重试'],
    ['timeout', '网络不可用，请稍后重试'],
    ['http', '保存失败，请稍后重试'],
    ['invalid_input', '保存失败，请稍后重试'],
  ])('a %s failure shows %s and keeps the input', async (code, message) => {
    failWith(code)
    const { comp, saved, detach } = mount()
    await flush()
    chooseAvatar(comp, 'wxfile://tmp_avatar.png')
    submit(comp, '小满')
    await flush()
    expect(text(comp, '.profile-form__submit-error')).toBe(message)
    expect(text(comp, '#save-btn')).toBe('保存')
    expect(comp.instance.data.saving).toBe(false)
    expect(comp.instance.data.avatarPath).toBe('wxfile://tmp_avatar.png')
    expect(saved).toEqual([])
    detach()
  })

  test('a rejection that is not an AuthKitError gets the generic message', async () => {
    mockAuth.saveProfile.mockRejectedValue('boom')
    const { comp, detach } = mount()
    await flush()
    submit(comp, '小满')
    await flush()
    expect(text(comp, '.profile-form__submit-error')).toBe('保存失败，请稍后重试')
    detach()
  })

  test('retry after a failure clears the error and saves', async () => {
    failWith('upload_failed')
    const { comp, saved, detach } = mount()
    await flush()
    chooseAvatar(comp, 'wxfile://tmp_avatar.png')
    submit(comp, '小满')
    await flush()
    expect(text(comp, '.profile-form__submit-error')).toBe('头像上传失败，请重试')

    answerWith({ nickname: '小满', avatarUrl: 'https://cdn.example.com/a/u1-3.png' })
    submit(comp, '小满')
    await flush()
    expect(comp.querySelector('.profile-form__submit-error')).toBeUndefined()
    expect(mockAuth.saveProfile).toHaveBeenLastCalledWith({
      nickname: '小满',
      avatarPath: 'wxfile://tmp_avatar.png',
    })
    expect(saved).toHaveLength(1)
    detach()
  })
})
