// Privacy (platform doc §7): while a privacy-popup is on screen the kit answers
// wx.onNeedPrivacyAuthorization and exposes the pending request in store.privacy; the popup
// resolves it. With no popup on screen the kit lets go of the listener, so WeChat shows its own
// popup: a listener that is registered must call resolve, and a page without <privacy-popup/>
// could never do that, so the gated call would hang.
import { call, type FlowCtx } from './flow-util'

type PrivacyResolve = (r: { event: 'agree'; buttonId: string } | { event: 'disagree' }) => void
type PrivacyListener = (resolve: PrivacyResolve, info: { referrer: string }) => void
interface PrivacyWx {
  onNeedPrivacyAuthorization?: (l: PrivacyListener) => void
  // Not in the typings and missing on some base libraries (public code feature-detects it).
  offNeedPrivacyAuthorization?: (l: PrivacyListener) => void
}

export function privacyFlows(ctx: FlowCtx) {
  const { store } = ctx
  let contractName = ''
  /** Every pending resolve: several gated calls may wait on the same popup. */
  let pending: PrivacyResolve[] = []
  /** Privacy popups on screen now (attached, their page shown). */
  let popupsShown = 0
  // Base library < 2.32.3 has no privacy APIs and intercepts nothing.
  const w = wx as unknown as PrivacyWx

  const listener: PrivacyListener = (resolve, info) => {
    // Only when the listener could not be released (no offNeedPrivacyAuthorization): no popup can
    // ask the user, so the call fails now (errno 104) instead of hanging.
    if (!popupsShown) return resolve({ event: 'disagree' })
    pending.push(resolve)
    store.setPrivacy({ referrer: info.referrer, contractName })
  }

  return {
    /**
     * Called by the privacy-popup when it is on screen (attached, page shown); the returned
     * function is called when it leaves (detached, page hidden). The kit takes over
     * wx.onNeedPrivacyAuthorization only while at least one popup holds it.
     */
    holdPrivacyPopup(): () => void {
      if (!w.onNeedPrivacyAuthorization) return () => {}
      if (!popupsShown++) {
        w.onNeedPrivacyAuthorization(listener)
        call<{ privacyContractName: string }>('getPrivacySetting').then(
          (r) => {
            contractName = r.privacyContractName
            if (store.privacy) store.setPrivacy({ ...store.privacy, contractName })
          },
          () => {},
        )
      }
      let held = true
      return () => {
        if (held && !--popupsShown) w.offNeedPrivacyAuthorization?.(listener)
        held = false
      }
    },

    /**
     * 'agree' only with the id of the tapped `<button open-type="agreePrivacyAuthorization">`
     * (the platform checks that tap); without one the request stays pending.
     */
    resolvePrivacy(choice: 'agree' | 'disagree', buttonId?: string): void {
      const agreed = choice === 'agree'
      if (agreed && !buttonId) return void ctx.fail('invalid_input', 'agree needs a buttonId')
      const p = pending
      pending = []
      store.setPrivacy(null)
      if (!agreed) ctx.fail('privacy_denied', 'privacy declined')
      for (const r of p) r(agreed ? { event: 'agree', buttonId: buttonId! } : { event: 'disagree' })
    },

    /** Opens the privacy contract page; a failure to open it is ignored. */
    async openPrivacyContract(): Promise<void> {
      await call('openPrivacyContract').catch(() => {})
    },
  }
}
