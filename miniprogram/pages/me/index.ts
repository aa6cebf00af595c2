// 我的: login state, profile (avatar and nickname through profile-form, or "use WeChat profile"
// with the anonymous-answer fallback to the form), phone binding shown masked, the permissions
// entry and logout. Nothing here logs in by itself except the explicit 登录 button.
// A failed login (wherever it ran: this page, a protected call on another page, a silent renew
// of a held session) shows here with a retry, and any successful login clears it. Logging out
// clears the page at once; the server-side revoke finishes in the background.
import { ComponentWithStore } from 'mobx-miniprogram-bindings'
import { auth } from '../../api/client'
import { errorCode, errorMessage } from '../../api/errors'
import { fetchMe } from '../../api/me'
import { cart, syncCartBadge } from '../../stores/cart'
import type { AuthErrorCode, AuthStatus, ProfilePrompt, User } from 'wx-login-kit'

interface UserView {
  nickname: string
  avatarUrl: string
  phone: string
}

const toUserView = (u: User | null): UserView | null =>
  u
    ? {
        nickname: u.nickname || '',
        avatarUrl: u.avatarUrl || '',
        phone: u.phone || '',
      }
    : null

const PROFILE_DESC = '用于完善会员资料'

/** A login failure worth showing: not one cancelled by a logout. */
const loginFailureText = (code: AuthErrorCode): string =>
  code === 'login_loop' ? '登录过于频繁，请点击重试' : errorMessage({ code }, '登录失败，请重试')

/** Each page instance's unsubscribe from the kit's login events. */
const unsubscribers = new WeakMap<object, () => void>()

ComponentWithStore({
  storeBindings: {
    store: auth.store,
    fields: {
      isLoggedIn: () => auth.store.isLoggedIn,
      status: () => auth.store.status,
      user: () => toUserView(auth.store.user),
      profilePrompt: () => auth.store.profilePrompt,
    },
    actions: {},
  },

  data: {
    /** Bound from the auth store. */
    isLoggedIn: false,
    status: 'anonymous' as AuthStatus,
    user: null as UserView | null,
    profilePrompt: null as ProfilePrompt,

    /** The fill-in form, opened by 编辑资料 (the anonymous answer opens it through the store). */
    editing: false,
    loggingIn: false,
    profileMessage: '',
    phoneMessage: '',
    phoneError: false,
    binding: false,
    /** The last login failure (any login, session held or not), until a login succeeds. */
    loginError: '',
  },

  lifetimes: {
    attached() {
      const offFailure = auth.on('login:failure', (e) => {
        if (e.code !== 'aborted') this.setData({ loginError: loginFailureText(e.code) })
      })
      const offSuccess = auth.on('login:success', () => this.setData({ loginError: '' }))
      unsubscribers.set(this, () => {
        offFailure()
        offSuccess()
      })
    },
    detached() {
      unsubscribers.get(this)?.()
      unsubscribers.delete(this)
    },
  },

  methods: {
    onShow() {
      // Only when already logged in, so that opening 我的 never logs anyone in by itself.
      if (!auth.store.isLoggedIn) return
      // The profile flow needs a login code fetched before the tap.
      void auth.prepareProfile().catch(() => undefined)
      // A login carried by a protected call (X-WX-Code) returns no user: read it once.
      if (!auth.store.user) void this.loadUser()
    },

    async loadUser(): Promise<void> {
      try {
        auth.store.setUser(await fetchMe())
      } catch {
        // Shown as 未设置昵称 until the next visit; nothing the user must act on.
      }
    },

    /** 登录 and the login error's 重试: a user's tap, so ensureLogin() re-arms the kit. */
    async onLogin(): Promise<void> {
      if (this.data.loggingIn) return
      this.setData({ loggingIn: true, profileMessage: '' })
      try {
        await auth.ensureLogin()
        this.setData({ loginError: '' })
        if (!auth.store.user) void this.loadUser()
        void auth.prepareProfile().catch(() => undefined)
      } catch (e) {
        const code = errorCode(e)
        if (code !== 'aborted')
          this.setData({ loginError: code ? loginFailureText(code) : '登录失败，请重试' })
      } finally {
        this.setData({ loggingIn: false })
      }
    },

    /** 使用微信头像昵称: getUserProfile must be the first call in the tap handler. */
    onUseWechatProfile() {
      const asked = auth.getUserProfile({ desc: PROFILE_DESC })
      this.setData({ profileMessage: '' })
      asked
        .then((r) => {
          if (r.status === 'anonymous') {
            this.setData({ profileMessage: '微信未提供头像昵称，请在下方填写' })
          } else {
            this.setData({ profileMessage: '已使用微信头像昵称', editing: false })
          }
        })
        .catch((e: unknown) => {
          this.setData({ profileMessage: errorMessage(e, '获取头像昵称失败，请重试') })
        })
    },

    onEditProfile() {
      this.setData({ editing: !this.data.editing, profileMessage: '' })
    },

    onProfileSaved() {
      this.setData({ editing: false, profileMessage: '资料已保存' })
    },

    /** From <button open-type="getPhoneNumber" bindgetphonenumber>. */
    async onGetPhoneNumber(
      e: WechatMiniprogram.CustomEvent<{ code?: string; errMsg: string; errno?: number }>,
    ): Promise<void> {
      if (this.data.binding) return
      this.setData({ binding: true, phoneMessage: '', phoneError: false })
      try {
        await auth.bindPhone(e.detail)
        this.setData({ phoneMessage: '手机号已绑定', phoneError: false })
      } catch (err) {
        const code = errorCode(err)
        const message =
          code === 'phone_denied'
            ? '你拒绝了授权手机号，需要时可再次点击绑定'
            : code === 'phone_cancelled'
              ? '已取消绑定手机号'
              : code === 'phone_quota'
                ? '手机号验证次数已达今日上限，请明天再试'
                : errorMessage(err, '绑定手机号失败，请重试')
        this.setData({ phoneMessage: message, phoneError: code !== 'phone_cancelled' })
      } finally {
        this.setData({ binding: false })
      }
    },

    onOpenSettings() {
      wx.navigateTo({ url: '/pages/settings/index' })
    },

    async onLogout(): Promise<void> {
      const answer = await wx
        .showModal({
          title: '退出登录',
          content: '退出后，购物车会被清空，下单时需要重新登录。',
          confirmText: '退出',
          confirmColor: '#e03131',
        })
        .catch(() => ({ confirm: false }))
      if (!answer.confirm) return
      // The kit resets its state at once; the server-side revoke must not hold the page up.
      void auth.logout().catch(() => undefined)
      cart.clear()
      syncCartBadge(0)
      this.setData({
        editing: false,
        profileMessage: '',
        phoneMessage: '',
        phoneError: false,
        binding: false,
        loggingIn: false,
        loginError: '',
      })
      wx.showToast({ title: '已退出登录', icon: 'none' })
    },
  },
})
