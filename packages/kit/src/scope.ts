// Scopes: getSetting / authorize, and the re-prompt after a refusal (behaviour 8).
import { call, getSetting, isPrivacy, kind, wxError, type FlowCtx, type Setting } from './flow-util'
import type { ScopeState } from './types'

/** `outcome` of the auth-sheet: the `bindopensetting` detail, or null when dismissed. */
export type RepromptOutcome = Setting | null

export function scopeFlows(ctx: FlowCtx) {
  const { store } = ctx
  /** ensureScope calls waiting for the user to come back from settings or dismiss the sheet; each
   * settles itself from store.scopes. */
  let waiters: Array<() => void> = []

  // getSetting / openSetting answers list only the scopes already asked: absent means unasked.
  const read = (s: Setting) => {
    const m: Record<string, ScopeState> = {}
    for (const [k, v] of Object.entries(s.authSetting || {})) m[k] = v ? 'granted' : 'denied'
    store.setScopes(m)
    for (const [k, v] of Object.entries(s.subscriptionsSetting?.itemSettings || {}))
      store.setSubscription(k, v)
  }

  /** Re-reads the scopes (and subscription settings) into the store; never rejects. */
  const refreshScopes = () => getSetting().then(read, () => {})

  return {
    refreshScopes,

    async ensureScope(scope: string, o: { reason: string }): Promise<boolean> {
      await refreshScopes()
      if (!store.scopes[scope]) {
        try {
          await call('authorize', { scope })
          store.setScope(scope, 'granted')
        } catch (e) {
          const k = kind(e)
          if (isPrivacy(k)) throw wxError(ctx, e, 'privacy_denied')
          if (k === 'deny') store.setScope(scope, 'denied')
          wxError(ctx, e, 'scope_denied')
          return false
        }
      }
      // Granted before, or just now.
      if (store.scopes[scope] === 'granted') return true
      // Refused before: wx.authorize would fail at once, and wx.openSetting needs a tap, so the
      // auth-sheet explains `reason` and offers <button open-type="openSetting">.
      store.setReprompt({ scope, reason: o.reason })
      return new Promise((r) =>
        waiters.push(() => {
          const ok = store.scopes[scope] === 'granted'
          if (!ok) ctx.fail('scope_denied', scope + ' not granted')
          r(ok)
        }),
      )
    },

    resolveReprompt(outcome: RepromptOutcome): void {
      const sub = store.reprompt?.scope.startsWith('subscribe:')
      if (outcome) {
        read(outcome)
        // The button's detail may lack subscription settings: re-read them.
        if (sub && !outcome.subscriptionsSetting) void refreshScopes()
      }
      store.setReprompt(null)
      const w = waiters
      waiters = []
      for (const settle of w) settle()
    },
  }
}
