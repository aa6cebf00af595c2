// privacy-popup: the app's own privacy authorization popup (wechat-platform.md §7). While this
// popup is on screen (attached and its page shown) it holds the kit's privacy take-over: the kit
// answers wx.onNeedPrivacyAuthorization and puts the pending request in `store.privacy`; this
// popup shows it and resolves it. When it leaves (detached, or its page hidden) it lets go, so a
// page without a privacy-popup gets WeChat's own popup instead of a call that never settles. Agree only comes from the tap on
// `<button id="agree-privacy-btn" open-type="agreePrivacyAuthorization">` (the base library checks
// the buttonId); disagree makes the gated API fail (errno 104).
import { ComponentWithStore } from 'mobx-miniprogram-bindings'
import { getAuth } from '../current'
import type { PrivacyRequest } from '../types'
import { authStoreBindings } from '../common/auth-store'

/** The agree button's id in index.wxml, passed on as `resolve({event:'agree', buttonId})`. */
const AGREE_BUTTON_ID = 'agree-privacy-btn'
const DEFAULT_CONTRACT_NAME = '用户隐私保护指引'

/** The name without its 《》 (getPrivacySetting may give it with them); the popup adds them. */
function contractTitle(name: string | undefined): string {
  return (
    name
      ?.replace(/^\s*《/, '')
      .replace(/》\s*$/, '')
      .trim() || DEFAULT_CONTRACT_NAME
  )
}

/** Each popup instance's release of the kit's take-over, while it holds it. */
const releases = new WeakMap<object, () => void>()

/** This popup holds the kit's take-over of wx.onNeedPrivacyAuthorization (once). */
function holdTakeOver(popup: object): void {
  if (!releases.has(popup)) releases.set(popup, getAuth().holdPrivacyPopup())
}

/** This popup lets go of the take-over (if it held it). */
function releaseTakeOver(popup: object): void {
  releases.get(popup)?.()
  releases.delete(popup)
}

interface PopupData {
  /** Bound to store.privacy: the pending authorization request, or null (hidden). */
  privacy: PrivacyRequest | null
  /** The contract's name from getPrivacySetting, without 《》, or a default. */
  contractName: string
}

const data: PopupData = { privacy: null, contractName: DEFAULT_CONTRACT_NAME }

ComponentWithStore({
  // An empty (not omitted) properties object keeps `this.data` strictly typed.
  properties: {},

  data,

  storeBindings: authStoreBindings<PopupData>({
    privacy: (s) => s.privacy,
    contractName: (s) => contractTitle(s.privacy?.contractName),
  }),

  lifetimes: {
    attached() {
      holdTakeOver(this)
    },
    detached() {
      releaseTakeOver(this)
    },
  },

  pageLifetimes: {
    // A popup on a page under the one shown (navigateTo keeps it attached) cannot be seen.
    show() {
      holdTakeOver(this)
    },
    hide() {
      releaseTakeOver(this)
    },
  },

  methods: {
    /** bindagreeprivacyauthorization: fired by the platform only after the agree button's tap. */
    onAgree() {
      if (!this.data.privacy) return
      getAuth().resolvePrivacy('agree', AGREE_BUTTON_ID)
    },

    /** 拒绝: the pending API fails with the privacy error. */
    onDisagree() {
      if (!this.data.privacy) return
      getAuth().resolvePrivacy('disagree')
    },

    /** 《…》: opens the contract page (wx.openPrivacyContract), the popup stays. */
    onOpenContract() {
      void getAuth().openPrivacyContract()
    },

    /** Keeps the page under the mask from scrolling. */
    noop() {},
  },
})
