// Subscription messages (order status): requestSubscribeMessage from a tap.
import { call, wxError, type FlowCtx } from './flow-util'
import type { SubscriptionState } from './types'

export function subscribeFlows(ctx: FlowCtx) {
  const { store } = ctx
  return {
    /**
     * Must be called first in a tap handler. Each template's answer is recorded in
     * store.subscriptions. Banned templates set `store.reprompt = { scope: 'subscribe:<id>,<id>',
     * reason }`: the auth-sheet sends the user to settings with its openSetting button, exactly
     * as for a refused scope, and resolveReprompt re-reads the subscription settings.
     */
    requestSubscribe(
      tmplIds: string[],
      o?: { reason?: string },
    ): Promise<Record<string, SubscriptionState>> {
      return call<Record<string, string>>('requestSubscribeMessage', { tmplIds }).then(
        (r) => {
          const out: Record<string, SubscriptionState> = {}
          const banned: string[] = []
          for (const id of tmplIds) {
            const s = r[id] as SubscriptionState | undefined
            if (!s) continue
            out[id] = s
            store.setSubscription(id, s)
            if (s === 'ban') banned.push(id)
          }
          if (banned[0])
            store.setReprompt({ scope: 'subscribe:' + banned, reason: o?.reason ?? '' })
          return out
        },
        (e: unknown) => {
          throw wxError(ctx, e, 'scope_denied')
        },
      )
    },
  }
}
