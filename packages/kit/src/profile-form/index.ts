// profile-form: the avatar/nickname fill-in (wechat-platform.md §4), the recommended way to get a
// user's profile since getUserProfile went anonymous. `<button open-type="chooseAvatar">` gives a
// temp path, `<input type="nickname">` is collected through the form's submit, and the platform's
// nickname review (`bindnicknamereview`) is respected. Saving goes through auth.saveProfile(),
// which uploads the avatar and updates the user; a `saved` event carries the user.
import { ComponentWithStore } from 'mobx-miniprogram-bindings'
import { errorCode } from '../messages'
import { getAuth } from '../current'
import type { ProfilePrompt, User } from '../types'
import { authStoreBindings } from '../common/auth-store'

const NICKNAME_MAX_LENGTH = 32

const MESSAGES = {
  nicknameRequired: '请输入昵称',
  nicknameTooLong: `昵称不能超过 ${NICKNAME_MAX_LENGTH} 个字符`,
  nicknameRejected: '昵称未通过审核，请重新输入',
  uploadFailed: '头像上传失败，请重试',
  offline: '网络不可用，请稍后重试',
  generic: '保存失败，请稍后重试',
}

type ChooseAvatarEvent = WechatMiniprogram.CustomEvent<{ avatarUrl: string }>
type NicknameReviewEvent = WechatMiniprogram.CustomEvent<{ pass: boolean; timeout: boolean }>

function failureMessage(e: unknown): string {
  switch (errorCode(e)) {
    case 'upload_failed':
      return MESSAGES.uploadFailed
    case 'network':
    case 'timeout':
      return MESSAGES.offline
    default:
      return MESSAGES.generic
  }
}

interface ProfileFormData {
  /** Bound to store.user: initial nickname and avatar. */
  user: User | null
  /** Bound to store.profilePrompt: 'anonymous' shows the fill-in tip. */
  profilePrompt: ProfilePrompt
  /** The nickname as typed (the form's submit value wins when present). */
  nickname: string
  /** A newly chosen avatar's temp path; '' when unchanged. */
  avatarPath: string
  nicknameError: string
  submitError: string
  saving: boolean
  /** The user has edited the nickname: store updates no longer overwrite it. */
  dirty: boolean
  /** The last review rejected the nickname; cleared by the next input. */
  reviewRejected: boolean
}

const data: ProfileFormData = {
  user: null,
  profilePrompt: null,
  nickname: '',
  avatarPath: '',
  nicknameError: '',
  submitError: '',
  saving: false,
  dirty: false,
  reviewRejected: false,
}

/** Characters, not UTF-16 units: an emoji counts as one. */
function charCount(s: string): number {
  return Array.from(s).length
}

ComponentWithStore({
  // An empty (not omitted) properties object keeps `this.data` strictly typed.
  properties: {},

  data,

  storeBindings: authStoreBindings<ProfileFormData>({
    user: (s) => s.user,
    profilePrompt: (s) => s.profilePrompt,
  }),

  observers: {
    /** Initial values (and later logins) from the store, until the user starts editing. */
    user(user: User | null) {
      if (this.data.dirty || this.data.saving) return
      this.setData({ nickname: user?.nickname ?? '' })
    },
  },

  methods: {
    onChooseAvatar(e: ChooseAvatarEvent) {
      const avatarPath = e.detail.avatarUrl
      if (!avatarPath) return
      this.setData({ avatarPath, submitError: '' })
    },

    onNicknameInput(e: WechatMiniprogram.Input) {
      this.setData({
        nickname: e.detail.value,
        dirty: true,
        nicknameError: '',
        reviewRejected: false,
      })
    },

    /** A nickname picked from WeChat's suggestion may only arrive here (or with the submit). */
    onNicknameBlur(e: WechatMiniprogram.InputBlur) {
      const nickname = e.detail.value
      if (nickname === this.data.nickname) return
      // A rejection stands until the next review passes (the review follows the blur).
      const nicknameError = this.data.reviewRejected ? this.data.nicknameError : ''
      this.setData({ nickname, dirty: true, nicknameError })
    },

    /**
     * The platform's content check (base library 2.24.4+), after the blur: a rejected nickname
     * is cleared and cannot be saved until a new one passes.
     */
    onNicknameReview(e: NicknameReviewEvent) {
      if (e.detail.pass === false) {
        this.setData({
          nickname: '',
          dirty: true,
          reviewRejected: true,
          nicknameError: MESSAGES.nicknameRejected,
        })
      } else if (this.data.reviewRejected) {
        this.setData({ reviewRejected: false, nicknameError: '' })
      }
    },

    async onSubmit(e: WechatMiniprogram.FormSubmit) {
      if (this.data.saving) return
      const submitted: unknown = e.detail.value.nickname
      const nickname = (typeof submitted === 'string' ? submitted : this.data.nickname).trim()

      const nicknameError = this.data.reviewRejected
        ? MESSAGES.nicknameRejected
        : !nickname
          ? MESSAGES.nicknameRequired
          : charCount(nickname) > NICKNAME_MAX_LENGTH
            ? MESSAGES.nicknameTooLong
            : ''
      if (nicknameError) {
        this.setData({ nicknameError, submitError: '' })
        return
      }

      const { avatarPath } = this.data
      this.setData({ nickname, saving: true, nicknameError: '', submitError: '' })
      try {
        const user = await getAuth().saveProfile(
          avatarPath ? { nickname, avatarPath } : { nickname },
        )
        this.setData({ saving: false, dirty: false, avatarPath: '' })
        this.triggerEvent('saved', user)
      } catch (err) {
        this.setData({ saving: false, submitError: failureMessage(err) })
      }
    },
  },
})
