// auth-sheet: the re-prompt after a refused scope. Shown while `store.reprompt` is set; explains why
// the permission is needed and offers WeChat's settings page through
// `<button open-type="openSetting">` (wx.openSetting needs a user's tap). Coming back from settings
// or dismissing the sheet settles the pending `ensureScope()` through `auth.resolveReprompt()`.
import { ComponentWithStore } from 'mobx-miniprogram-bindings'
import { getAuth } from '../current'
import type { Reprompt, SubscriptionState } from '../types'
import { authStoreBindings } from '../common/auth-store'

/** Friendly names of the scopes a user can be asked for (wechat-platform.md §6). */
const SCOPE_LABELS: Record<string, string> = {
  'scope.userLocation': '位置信息',
  'scope.userFuzzyLocation': '模糊位置信息',
  'scope.userLocationBackground': '后台定位',
  'scope.record': '麦克风',
  'scope.camera': '摄像头',
  'scope.bluetooth': '蓝牙',
  'scope.writePhotosAlbum': '相册',
  'scope.addPhoneContact': '通讯录',
  'scope.addPhoneCalendar': '日历',
  'scope.werun': '微信运动步数',
  'scope.address': '通讯地址',
  'scope.invoiceTitle': '发票抬头',
  'scope.invoice': '发票',
}

/** The kit's re-prompt for subscription messages: `subscribe:<template ids>`. */
const isSubscription = (scope: string | undefined): boolean => !!scope?.startsWith('subscribe:')

function scopeLabel(scope: string | undefined): string {
  if (isSubscription(scope)) return '订阅消息'
  return (scope && SCOPE_LABELS[scope]) || '相关权限'
}

/** How to get the permission back: the wording differs for subscription messages. */
function hintOf(scope: string | undefined): string {
  return isSubscription(scope)
    ? '你之前选择了不再接收这类消息，或关闭了消息通知，请在设置中开启“订阅消息”后继续。'
    : `你之前拒绝了授权，请在设置中开启“${scopeLabel(scope)}”后继续。`
}

type OpenSettingEvent = WechatMiniprogram.ButtonOpenSetting

interface SheetData {
  /** Bound to store.reprompt: the refused scope and why it is needed, or null (hidden). */
  reprompt: Reprompt | null
  /** The scope's friendly name, e.g. 位置信息. */
  scopeLabel: string
  /** How to turn it back on in settings. */
  hint: string
}

const data: SheetData = { reprompt: null, scopeLabel: '', hint: '' }

ComponentWithStore({
  // An empty (not omitted) properties object keeps `this.data` strictly typed.
  properties: {},

  data,

  storeBindings: authStoreBindings<SheetData>({
    reprompt: (s) => s.reprompt,
    scopeLabel: (s) => scopeLabel(s.reprompt?.scope),
    hint: (s) => hintOf(s.reprompt?.scope),
  }),

  methods: {
    /** The user came back from the settings page: the kit re-reads the scope from this answer. */
    onOpenSetting(e: OpenSettingEvent) {
      const detail = e.detail as OpenSettingEvent['detail'] & {
        subscriptionsSetting?: { itemSettings?: Record<string, SubscriptionState> }
      }
      getAuth().resolveReprompt({
        authSetting: { ...detail.authSetting },
        // Passed on when WeChat gives it; without it the kit re-reads the subscription settings.
        ...(detail.subscriptionsSetting
          ? { subscriptionsSetting: detail.subscriptionsSetting }
          : {}),
      })
    },

    /** 暂不, or a tap on the mask: the pending ensureScope() settles with false. */
    onDismiss() {
      if (!this.data.reprompt) return
      getAuth().resolveReprompt(null)
    },

    /** Keeps the page under the mask from scrolling. */
    noop() {},
  },
})
