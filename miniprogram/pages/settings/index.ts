// 权限设置: every scope the app has asked, with its state from wx.getSetting (re-read on show),
// the subscription settings, and the tap-bound way to WeChat's settings page
// (<button open-type="openSetting">, since wx.openSetting needs a user's tap).
import { ComponentWithStore } from 'mobx-miniprogram-bindings'
import { auth } from '../../api/client'
import type { ScopeState, SubscriptionState } from 'wx-login-kit'

interface ScopeView {
  scope: string
  label: string
  state: ScopeState
  stateText: string
}

interface SubscriptionView {
  id: string
  stateText: string
}

const SCOPE_LABELS: Record<string, string> = {
  'scope.userLocation': '位置信息（选择配送地址）',
  'scope.userFuzzyLocation': '模糊位置信息',
  'scope.userLocationBackground': '后台定位',
  'scope.record': '麦克风',
  'scope.camera': '摄像头',
  'scope.bluetooth': '蓝牙',
  'scope.writePhotosAlbum': '保存到相册',
  'scope.addPhoneContact': '添加到通讯录',
  'scope.addPhoneCalendar': '添加到日历',
  'scope.werun': '微信运动步数',
  'scope.address': '通讯地址',
  'scope.invoiceTitle': '发票抬头',
  'scope.invoice': '发票',
  'scope.userInfo': '用户信息',
}

const STATE_TEXT: Record<ScopeState, string> = {
  granted: '已允许',
  denied: '已拒绝',
  unasked: '未询问',
}

const SUBSCRIPTION_TEXT: Partial<Record<SubscriptionState, string>> = {
  accept: '已订阅',
  reject: '已拒绝',
}

/** The subscription answers that are the user's own choice. */
const USER_CHOICES = new Set<SubscriptionState>(['accept', 'reject'])

const toScopeViews = (scopes: Record<string, ScopeState>): ScopeView[] =>
  Object.keys(scopes)
    // getSetting lists only what the app has asked; 'unasked' entries are not shown.
    .filter((s) => scopes[s] !== 'unasked')
    .sort()
    .map((scope) => {
      const state = scopes[scope]!
      return { scope, label: SCOPE_LABELS[scope] ?? scope, state, stateText: STATE_TEXT[state] }
    })

ComponentWithStore({
  storeBindings: {
    store: auth.store,
    fields: {
      scopeList: () => toScopeViews(auth.store.scopes),
      subscriptionList: (): SubscriptionView[] =>
        Object.keys(auth.store.subscriptions)
          // 'ban' and 'filter' are the developer's problems, nothing the user chose or can change.
          .filter((id) => USER_CHOICES.has(auth.store.subscriptions[id]!))
          .map((id) => ({
            id,
            stateText: SUBSCRIPTION_TEXT[auth.store.subscriptions[id]!] ?? '',
          })),
    },
    actions: {},
  },

  data: {
    /** Bound from the auth store. */
    scopeList: [] as ScopeView[],
    subscriptionList: [] as SubscriptionView[],
    loaded: false,
  },

  methods: {
    onShow() {
      void this.refresh()
    },

    async refresh(): Promise<void> {
      await auth.refreshScopes()
      this.setData({ loaded: true })
    },

    /** Back from WeChat's settings page: re-read what the user changed there. */
    onOpenSetting() {
      void this.refresh()
    },

    onOpenPrivacyContract() {
      void auth.openPrivacyContract().catch(() => undefined)
    },
  },
})
