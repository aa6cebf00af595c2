// Privacy (behaviour 9): the kit owns wx.onNeedPrivacyAuthorization and exposes the pending
// request in store.privacy; the privacy-popup resolves it.
import { call, type FlowCtx } from './flow-util'

type PrivacyResolve = (r: { event: 'agree'; buttonId: string } | { event: 'disagree' }) => void
interface PrivacyWx {
  onNeedPrivacyAuthorization?: (
    l: (resolve: PrivacyResolve, info: { referrer: string }) => void,
  ) => void
}

export function privacyFlows(ctx: FlowCtx) {
  const { store } = ctx
  let contractName = ''
  /** Every pending resolve: several gated calls may wait on the same popup. */
  let pending: PrivacyResolve[] = []

  // Base library < 2.32.3 has no privacy APIs and intercepts nothing.
  const w = wx as unknown as PrivacyWx
  if (w.onNeedPrivacyAuthorization) {
    w.onNeedPrivacyAuthorization((resolve, info) => {
      pending.push(resolve)
      store.setPrivacy({ referrer: info.referrer, contractName })
    })
    call<{ privacyContractName: string }>('getPrivacySetting').then(
      (r) => {
        contractName = r.privacyContractName
        if (store.privacy) store.setPrivacy({ ...store.privacy, contractName })
      },
      () => {},
    )
  }

  return {
    /**
     * 'agree' only with the id of the tapped `<button open-type="agreePrivacyAuthorization">`
     * (the platform checks that tap); without one the request stays pending.
     */
    resolvePrivacy(choice: 'agree' | 'disagree', buttonId?: string): void {
      if (choice === 'agree' && !buttonId) {
        ctx.fail('invalid_input', 'agree needs the agree button id')
        return
      }
      const p = pending
      pending = []
      store.setPrivacy(null)
      if (choice !== 'agree') ctx.fail('privacy_denied', 'privacy contract declined')
      for (const r of p)
        r(buttonId && choice === 'agree' ? { event: 'agree', buttonId } : { event: 'disagree' })
    },

    /** Opens the privacy contract page; a failure to open it is ignored. */
    openPrivacyContract: (): Promise<void> =>
      call('openPrivacyContract').then(
        () => {},
        () => {},
      ),
  }
}
